// Rasterizes a window of the causal index (lane stripes, cause edges, dots) into pixels in plain
// JavaScript, for one putImageData. Canvas paths were the bottleneck with the GPU off: stroking
// ~10 k edges that cross ~24 lanes took 50-130 ms and the 100 k-record first draw ~0.5-0.8 s.
// An edge is anti-aliased as in Wu's algorithm (its coverage split between the two nearest pixels
// of each row) but recorded as linear ramps down columns, one per run of rows on the same columns,
// so a steep edge costs O(columns it crosses), not O(rows); one pass per column sums the ramps and
// maps coverage to colour; dots are stamped on top.
import type { CausalIndex } from "./causal-index.js";

/** Where things are in the raster, in device pixels. */
export interface RasterFrame {
  /** x of time t: t * xPerMs + xAt0. */
  xPerMs: number;
  xAt0: number;
  /** y of lane i's centre: yLane0 + i * laneH. */
  yLane0: number;
  laneH: number;
  /** Side of a dot's square. */
  dotSide: number;
  /** Coverage of a line crossing a pixel, in pixels (the device pixel ratio: lines are 1 CSS px). */
  lineWeight: number;
  /** The time window to draw (what falls outside the raster is clipped anyway). */
  fromMs: number;
  toMs: number;
  /** The run's time span: columns outside it hold no node or edge and are only filled. */
  spanFromMs: number;
  spanToMs: number;
}

/** Colours as 0xAABBGGRR words for a little-endian Uint32 view of RGBA bytes (big-endian: swapped). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** `#rrggbb` as an opaque pixel word for a Uint32 view of ImageData. Pure. */
export function pixelOf(hex: string): number {
  const v = Number.parseInt(hex.slice(1), 16);
  const r = (v >> 16) & 255;
  const g = (v >> 8) & 255;
  const b = v & 255;
  return LITTLE_ENDIAN ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
}

const BACKGROUND = [255, 255, 255];
const STRIPE = [0xee, 0xf1, 0xf4];
/** Edges: rgba(87, 96, 106, 0.45), as the canvas version stroked them. */
const EDGE = [87, 96, 106];
const EDGE_ALPHA = 0.45;
/** Coverage is counted in 1/64 pixel and saturates at one pixel: canvas strokes all edges as one path, so overlapping edges do not darken each other. */
const UNIT = 64;
const LEVELS = UNIT;

/** Colour per coverage level: `bg` under the edge colour at `level / UNIT` of its alpha. */
function blendTable(bg: number[]): Uint32Array {
  const table = new Uint32Array(LEVELS + 1);
  for (let level = 0; level <= LEVELS; level++) {
    const a = (EDGE_ALPHA * level) / UNIT;
    const c = bg.map((v, i) => Math.round(v * (1 - a) + EDGE[i] * a));
    table[level] = pixelOf(`#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`);
  }
  return table;
}
const PLAIN = blendTable(BACKGROUND);
const STRIPED = blendTable(STRIPE);

/**
 * A pixel buffer the causal view renders windows into, reused across renders: allocated for the
 * largest window (`capacityW` x `capacityH`); each render may use a smaller top-left part of it.
 */
export class CausalRaster {
  readonly image: ImageData;
  private readonly pixels: Uint32Array;
  /** Pixels per row of `image` (the capacity width), whatever the size in use. */
  private readonly stride: number;
  /** The size in use (see setSize). */
  width: number;
  height: number;
  /** Ramps, column by column: a run of rows [a, b] adds d0 + d1 * row from row a on; stored as +(d0, d1) at row a and -(d0, d1) at row b + 1. */
  private readonly d0: Float32Array;
  private readonly d1: Float32Array;
  /** Edges drawn since the last full render. */
  private edges = 0;

  constructor(
    readonly capacityW: number,
    readonly capacityH: number,
  ) {
    this.stride = Math.max(1, capacityW);
    this.width = this.stride;
    this.height = Math.max(1, capacityH);
    this.image = new ImageData(this.stride, this.height);
    this.pixels = new Uint32Array(this.image.data.buffer);
    this.d0 = new Float32Array(this.stride * this.height);
    this.d1 = new Float32Array(this.stride * this.height);
  }

  /** Uses the top-left `width` x `height` pixels from the next render on (clamped to the capacity). */
  setSize(width: number, height: number): void {
    this.width = Math.max(1, Math.min(this.capacityW, width));
    this.height = Math.max(1, Math.min(this.capacityH, height));
  }

  /**
   * Draws `index`'s nodes and edges in `frame`'s window: stripes on odd lanes, edges, then dots (a
   * square per node, coloured by `laneColours[lane]`). Returns the dots stamped and the edges
   * drawn. O(pixels + columns the edges cross + nodes in the window).
   */
  render(index: CausalIndex, frame: RasterFrame, laneColours: Uint32Array): { nodes: number; edges: number } {
    const [useFrom, useTo] = this.usedColumns(frame, 0, this.width);
    this.d0.fill(0, useFrom * this.height, useTo * this.height);
    this.d1.fill(0, useFrom * this.height, useTo * this.height);
    this.edges = index.forEachEdgeBetween(frame.fromMs, frame.toMs, this.edgeDrawer(index, frame));
    const nodes = this.finish(index, frame, laneColours, 0, this.width);
    return { nodes, edges: this.edges };
  }

  /**
   * Adds what a grown run added from node `fromNode` on, to a raster last drawn with the same
   * `frame` (render, then any appends); `earliestMs` is the earliest time the new nodes and edges
   * touch. Returns the columns that changed, [fromColumn, toColumn) (maybe empty), and the edges
   * drawn so far.
   */
  append(index: CausalIndex, frame: RasterFrame, laneColours: Uint32Array, fromNode: number, earliestMs: number): { fromColumn: number; toColumn: number; edges: number } {
    const draw = this.edgeDrawer(index, frame);
    index.forEachEdgeInto(fromNode, (from, to) => {
      if (index.times[to] < frame.fromMs || index.times[from] > frame.toMs) return;
      draw(from, to);
      this.edges++;
    });
    // Records arrive in time order: nothing changed left of the earliest time they touch or right of the last record.
    const fromColumn = Math.max(0, Math.floor(earliestMs * frame.xPerMs + frame.xAt0 - frame.dotSide) - 2);
    const toColumn = Math.min(this.width, Math.ceil(index.times[index.nodeCount - 1] * frame.xPerMs + frame.xAt0 + frame.dotSide) + 2);
    if (fromColumn < toColumn) this.finish(index, frame, laneColours, fromColumn, toColumn);
    return { fromColumn, toColumn, edges: this.edges };
  }

  /** A function adding one edge's ramps (clipped to the raster). */
  private edgeDrawer(index: CausalIndex, frame: RasterFrame): (from: number, to: number) => void {
    const { width, height, d0, d1 } = this;
    const { xPerMs, xAt0, yLane0, laneH } = frame;
    const times = index.times;
    const laneOf = index.laneOf;
    const unit = UNIT * frame.lineWeight;
    const ramp = (col: number, rowA: number, rowB: number, a: number, b: number): void => {
      const p = col * height + rowA;
      d0[p] += a;
      d1[p] += b;
      if (rowB + 1 < height) {
        const q = p + rowB + 1 - rowA;
        d0[q] -= a;
        d1[q] -= b;
      }
    };
    return (from, to) => {
      let xa = times[from] * xPerMs + xAt0;
      let ya = yLane0 + laneOf[from] * laneH;
      let xb = times[to] * xPerMs + xAt0;
      let yb = yLane0 + laneOf[to] * laneH;
      if ((ya < 0 && yb < 0) || (ya >= height && yb >= height) || (xa < -1 && xb < -1) || (xa > width && xb > width)) return;
      if (Math.abs(yb - ya) >= Math.abs(xb - xa)) {
        if (ya === yb) return;
        if (ya > yb) {
          const x = xa;
          const y = ya;
          xa = xb;
          ya = yb;
          xb = x;
          yb = y;
        }
        // Row r's pixel centre meets the line at x(r) = alpha + slope * r; its coverage goes to
        // columns floor(x) and floor(x) + 1 in the proportions Wu's algorithm gives.
        const slope = (xb - xa) / (yb - ya);
        const alpha = xa + (0.5 - ya) * slope - 0.5;
        const row1 = Math.min(height - 1, Math.floor(yb - 0.5));
        for (let r = Math.max(0, Math.ceil(ya - 0.5)); r <= row1; ) {
          const xi = Math.floor(alpha + slope * r);
          let end = slope > 1e-12 ? Math.ceil((xi + 1 - alpha) / slope) - 1 : slope < -1e-12 ? Math.floor((xi - alpha) / slope) : row1;
          end = Math.min(row1, Math.max(r, end));
          const aRight = (alpha - xi) * unit;
          const bRight = slope * unit;
          if (xi >= 0 && xi < width) ramp(xi, r, end, unit - aRight, -bRight);
          if (xi + 1 >= 0 && xi + 1 < width) ramp(xi + 1, r, end, aRight, bRight);
          r = end + 1;
        }
      } else {
        if (xa > xb) {
          const x = xa;
          const y = ya;
          xa = xb;
          ya = yb;
          xb = x;
          yb = y;
        }
        const slope = (yb - ya) / (xb - xa);
        const col1 = Math.min(width - 1, Math.floor(xb - 0.5));
        for (let col = Math.max(0, Math.ceil(xa - 0.5)); col <= col1; col++) {
          const y = ya + (col + 0.5 - xa) * slope - 0.5;
          const yi = Math.floor(y);
          const below = (y - yi) * unit;
          if (yi >= 0 && yi < height) ramp(col, yi, yi, unit - below, 0);
          if (yi + 1 >= 0 && yi + 1 < height) ramp(col, yi + 1, yi + 1, below, 0);
        }
      }
    };
  }

  /** The columns in [fromColumn, toColumn) that can hold a node or an edge (the run's time span); the rest is only background. */
  private usedColumns(frame: RasterFrame, fromColumn: number, toColumn: number): [number, number] {
    const margin = frame.dotSide + 2;
    return [Math.max(fromColumn, Math.floor(frame.spanFromMs * frame.xPerMs + frame.xAt0) - margin), Math.min(toColumn, Math.ceil(frame.spanToMs * frame.xPerMs + frame.xAt0) + margin)];
  }

  /** Sums the ramps into colours in columns [fromColumn, toColumn), then stamps the dots there. Returns the dots stamped. */
  private finish(index: CausalIndex, frame: RasterFrame, laneColours: Uint32Array, fromColumn: number, toColumn: number): number {
    const { height, stride, pixels, d0, d1 } = this;
    const { xPerMs, xAt0, yLane0, laneH } = frame;
    const side = frame.dotSide;
    const [useFrom, useTo] = this.usedColumns(frame, fromColumn, toColumn);
    // Background rows, then the columns that can hold edges, each summing its ramps top-down.
    const lanes = index.lanes.length;
    const laneTop = yLane0 - laneH / 2;
    const rowTable = new Array<Uint32Array>(height);
    for (let row = 0; row < height; row++) {
      const lane = Math.floor((row + 0.5 - laneTop) / laneH);
      rowTable[row] = lane >= 0 && lane < lanes && lane % 2 === 1 ? STRIPED : PLAIN;
      pixels.fill(rowTable[row][0], row * stride + fromColumn, row * stride + toColumn);
    }
    for (let col = useFrom; col < useTo; col++) {
      let a0 = 0;
      let a1 = 0;
      const base = col * height;
      for (let row = 0; row < height; row++) {
        a0 += d0[base + row];
        a1 += d1[base + row];
        const level = a0 + a1 * row;
        if (level >= 0.5) pixels[row * stride + col] = rowTable[row][level >= LEVELS ? LEVELS : level | 0];
      }
    }

    // Dots on top. A lane's dots share rows and colour, so where one overlaps the previous only
    // its new columns are stamped (at full zoom-out most of a lane's dots overlap).
    const half = side / 2;
    const times = index.times;
    const laneOf = index.laneOf;
    const stampedTo = new Int32Array(lanes).fill(-1 << 30);
    const [i0, i1] = index.nodesBetween(Math.max(frame.fromMs, (fromColumn - side - xAt0) / xPerMs), Math.min(frame.toMs, (toColumn - xAt0) / xPerMs));
    let stamped = 0;
    for (let i = i0; i < i1; i++) {
      const lane = laneOf[i];
      const y = Math.round(yLane0 + lane * laneH - half);
      if (y + side <= 0 || y >= height) continue;
      const x = Math.round(times[i] * xPerMs + xAt0 - half);
      if (x + side <= fromColumn || x >= toColumn || x + side <= stampedTo[lane]) continue;
      const xFrom = Math.max(fromColumn, x, stampedTo[lane]);
      const xTo = Math.min(toColumn, x + side);
      stampedTo[lane] = x + side;
      stamped++;
      const colour = laneColours[lane];
      for (let yy = Math.max(0, y); yy < Math.min(height, y + side); yy++) {
        for (let p = yy * stride + xFrom; p < yy * stride + xTo; p++) pixels[p] = colour;
      }
    }
    return stamped;
  }
}
