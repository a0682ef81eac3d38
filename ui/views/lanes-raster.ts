// Rasterises the agent lanes for the canvas renderer: state bands and command ticks written
// straight into an RGBA pixel buffer, aggregated per pixel column (at 100 k commands dozens share
// a column), so a frame costs O(visible rows x width) whatever the run's size. Also the hit test
// that matches what is drawn. Pure: no DOM, so it is tested in Node.
import { bandEnd, lowerBound, upperBound, type LaneIndex, type LaneRow } from "./lanes-model.js";

/** Where a row's parts sit, in CSS px from the row's top. */
export interface LaneGeometry {
  rowH: number;
  tickTop: number;
  tickH: number;
  bandTop: number;
  bandH: number;
}

/** Ticks above, the state band below, scaled to the row height (34 px gives the SVG's 2/13/17/14). Pure. */
export function laneGeometry(rowH: number): LaneGeometry {
  const tickTop = Math.max(1, Math.round(rowH * 0.06));
  const tickH = Math.round(rowH * 0.38);
  const bandTop = tickTop + tickH + 2;
  const bandH = rowH - bandTop - Math.max(1, Math.round(rowH * 0.08));
  return { rowH, tickTop, tickH, bandTop, bandH };
}

/** A state's paint as pixels (0xAABBGGRR); `stripe` draws diagonal lines (reserved states), which win their pixel columns. */
export interface StatePaint {
  fill: number;
  stripe?: number;
  direction: 1 | -1;
}

/** A tick kind's paint: width in CSS px, fill, and an outline colour (null: none). */
export interface TickPaint {
  width: number;
  fill: number;
  stroke: number | null;
  dashed: boolean;
}

/** What part of the lanes the image shows. */
export interface RasterView {
  /** Image size in device px. */
  width: number;
  height: number;
  /** Device px per CSS px. */
  scale: number;
  /** Visible time domain: fromMs at the image's left edge, toMs at its right. */
  fromMs: number;
  toMs: number;
  /** CSS px of rows scrolled off the top. */
  scrollTop: number;
  geometry: LaneGeometry;
}

/** What was drawn: rows, and per tick kind (indexed like TICK_KINDS) the pixel columns it won. */
export interface RasterStats {
  rows: number;
  marks: number[];
}

/** The x (CSS px) of the centre of the pixel column a tick at `t` is drawn in. Pure. */
export function tickX(t: number, view: Pick<RasterView, "width" | "scale" | "fromMs" | "toMs">): number {
  const perMs = view.width / (view.toMs - view.fromMs);
  return (Math.floor((t - view.fromMs) * perMs) + 0.5) / view.scale;
}

/** The rows (inclusive) with a part inside the image. Pure. */
export function visibleRows(rows: number, view: Pick<RasterView, "height" | "scale" | "scrollTop" | "geometry">): [number, number] {
  const rowH = view.geometry.rowH;
  return [Math.max(0, Math.floor(view.scrollTop / rowH)), Math.min(rows - 1, Math.floor((view.scrollTop + view.height / view.scale) / rowH))];
}

/**
 * Draws `index` into `pixels` (width x height, row-major, cleared first): odd rows on a light
 * `rowShade`, per pixel column the state at the column's centre (a reserved state anywhere in the
 * column wins) and the tick kind of highest priority, drawn lowest priority first so the widths of
 * neighbours never cover a rejected command. Mutates `pixels` only.
 */
export function rasterLanes(pixels: Uint32Array, index: LaneIndex, view: RasterView, states: readonly StatePaint[], ticks: readonly TickPaint[], rowShade: number): RasterStats {
  const { width, height, scale, fromMs, toMs, geometry: g } = view;
  pixels.fill(0);
  const stats: RasterStats = { rows: 0, marks: ticks.map(() => 0) };
  if (width <= 0 || height <= 0 || !(toMs > fromMs)) return stats;
  const perMs = width / (toMs - fromMs);
  const pad = Math.ceil((Math.max(...ticks.map((t) => t.width)) * scale) / 2) + 1;
  const padMs = pad / perMs;
  const colState = new Int32Array(width);
  const bandLine = new Uint32Array(width);
  const edgeLine = new Uint32Array(width);
  const midLine = new Uint32Array(width);
  const gapLine = new Uint32Array(width);
  const striped: number[] = [];
  const colKind = new Int8Array(width + 2 * pad);
  const columnsOfKind: number[][] = ticks.map(() => []);
  const period = Math.max(3, Math.round(6 * scale));
  const line = Math.max(1, Math.round(2 * scale));
  const border = Math.max(1, Math.round(scale));
  const [first, last] = visibleRows(index.rows.length, view);

  for (let row = first; row <= last; row++) {
    const lane = index.rows[row];
    const top = Math.round((row * g.rowH - view.scrollTop) * scale);
    stats.rows++;
    if (row % 2 === 1) fillRect(pixels, width, height, 0, width, top, top + Math.round(g.rowH * scale), rowShade);

    // Bands: each column takes the state at its centre; a reserved state takes every column it touches.
    colState.fill(-1);
    for (let k = Math.max(0, upperBound(lane.bandFrom, fromMs) - 1); k < lane.bandFrom.length && lane.bandFrom[k] < toMs; k++) {
      const from = lane.bandFrom[k];
      const to = bandEnd(index, lane, k);
      if (to <= from || to <= fromMs) continue;
      const x0 = (from - fromMs) * perMs;
      const x1 = (to - fromMs) * perMs;
      const s = lane.bandState[k];
      if (states[s].stripe !== undefined) {
        const c0 = Math.max(0, Math.floor(x0));
        const c1 = Math.min(width, Math.max(Math.floor(x0) + 1, Math.ceil(x1)));
        for (let c = c0; c < c1; c++) colState[c] = s;
      } else {
        const c0 = Math.max(0, Math.ceil(x0 - 0.5));
        const c1 = Math.min(width, Math.ceil(x1 - 0.5));
        for (let c = c0; c < c1; c++) if (colState[c] < 0 || states[colState[c]].stripe === undefined) colState[c] = s;
      }
    }
    // One pixel row of the band, copied down natively; only striped columns are drawn per pixel.
    const shade = row % 2 === 1 ? rowShade : 0;
    striped.length = 0;
    for (let c = 0; c < width; c++) {
      const s = colState[c];
      bandLine[c] = s < 0 ? shade : states[s].fill;
      if (s >= 0 && states[s].stripe !== undefined) striped.push(c);
    }
    const by0 = Math.max(0, top + Math.round(g.bandTop * scale));
    const by1 = Math.min(height, top + Math.round((g.bandTop + g.bandH) * scale));
    for (let y = by0; y < by1; y++) {
      const base = y * width;
      pixels.set(bandLine, base);
      for (const c of striped) {
        const p = states[colState[c]];
        if ((((c + p.direction * y) % period) + period) % period < line) pixels[base + c] = p.stripe!;
      }
    }

    // Ticks: the highest-priority kind per column (columns padded so ticks just off-screen show their edge).
    colKind.fill(-1);
    for (let k = lowerBound(lane.tickT, fromMs - padMs); k < lane.tickT.length && lane.tickT[k] < toMs + padMs; k++) {
      const c = Math.floor((lane.tickT[k] - fromMs) * perMs) + pad;
      if (c < 0 || c >= colKind.length) continue;
      if (lane.tickKind[k] > colKind[c]) colKind[c] = lane.tickKind[k];
    }
    // Marks are composed into three pixel rows (outline rows, middle rows, and the middle rows a
    // dashed outline leaves a gap in), lowest priority first, then copied down natively.
    edgeLine.fill(shade);
    midLine.fill(shade);
    gapLine.fill(shade);
    for (const list of columnsOfKind) list.length = 0;
    for (let c = 0; c < colKind.length; c++) if (colKind[c] >= 0) columnsOfKind[colKind[c]].push(c);
    for (let kind = 0; kind < ticks.length; kind++) {
      const p = ticks[kind];
      const w = Math.max(1, Math.round(p.width * scale));
      const half = Math.floor(w / 2);
      stats.marks[kind] += columnsOfKind[kind].length;
      for (const c of columnsOfKind[kind]) {
        const x0 = c - pad - half;
        for (let x = Math.max(0, x0); x < Math.min(width, x0 + w); x++) {
          if (p.stroke === null) {
            edgeLine[x] = midLine[x] = gapLine[x] = p.fill;
            continue;
          }
          const edgeCol = x < x0 + border || x >= x0 + w - border;
          edgeLine[x] = p.dashed && (x - x0) % 3 === 2 ? p.fill : p.stroke;
          midLine[x] = edgeCol ? p.stroke : p.fill;
          gapLine[x] = edgeCol && !p.dashed ? p.stroke : p.fill;
        }
      }
    }
    const ty0 = top + Math.round(g.tickTop * scale);
    const ty1 = top + Math.round((g.tickTop + g.tickH) * scale);
    for (let y = Math.max(0, ty0); y < Math.min(height, ty1); y++) {
      const edgeRow = y < ty0 + border || y >= ty1 - border;
      pixels.set(edgeRow ? edgeLine : (y - ty0) % 3 === 2 ? gapLine : midLine, y * width);
    }
  }
  return stats;
}

function fillRect(pixels: Uint32Array, width: number, height: number, x0: number, x1: number, y0: number, y1: number, colour: number): void {
  const xa = Math.max(0, x0);
  const xb = Math.min(width, x1);
  if (xa >= xb) return;
  for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) pixels.fill(colour, y * width + xa, y * width + xb);
}

/**
 * The seq of the tick drawn at `x` (CSS px from the image's left) in `lane`: of the ticks whose
 * drawn box holds x, the one drawn on top (highest kind, then nearest); else the nearest within
 * `tolerancePx`; else -1. Pure.
 */
export function tickAt(lane: LaneRow, x: number, view: Pick<RasterView, "width" | "scale" | "fromMs" | "toMs">, ticks: readonly TickPaint[], tolerancePx: number): number {
  const perCssPx = (view.toMs - view.fromMs) / (view.width / view.scale);
  const reach = Math.max(tolerancePx, Math.max(...ticks.map((t) => t.width)) / 2 + 1) + 1;
  let best = -1;
  let bestCovered = false;
  let bestKind = -1;
  let bestD = Infinity;
  for (let k = lowerBound(lane.tickT, view.fromMs + (x - reach) * perCssPx); k < lane.tickT.length && lane.tickT[k] <= view.fromMs + (x + reach) * perCssPx; k++) {
    const d = Math.abs(tickX(lane.tickT[k], view) - x);
    const kind = lane.tickKind[k];
    const covered = d <= ticks[kind].width / 2 + 0.5;
    if (covered ? !bestCovered || kind > bestKind || (kind === bestKind && d < bestD) : !bestCovered && d <= tolerancePx && d < bestD) {
      best = lane.tickSeq[k];
      bestCovered = covered;
      bestKind = kind;
      bestD = d;
    }
  }
  return best;
}
