// The space-time causal view: one lane per actor, x = simulated time, a dot per record and its
// cause edges, on canvas with d3-zoom (wheel zooms time, drag pans time and lanes). Nodes and
// edges are rasterized (causal-raster.ts) into a cached bitmap covering the view plus a margin;
// every frame blits it at the current zoom and pan, so a wheel or drag step costs one drawImage,
// and the bitmap is redrawn crisply when the gesture settles or no longer fits. The overlay
// (cursor fade, highlights, selection) is repainted on every state change, in O(highlighted).
import { scaleLinear } from "d3-scale";
import { select } from "d3-selection";
import { zoom as d3zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from "d3-zoom";
import { describeEvent } from "../../sim/cli/summary.js";
import type { RunPayload } from "../model/payload.js";
import { selectEvent, type Store } from "../state/store.js";
import { CausalIndex, partitionPoint } from "./causal-index.js";
import { AXIS_H, GUTTER_W, KIND_COLOUR, paintChrome, paintOverlay, type ViewGeometry } from "./causal-paint.js";
import { CausalRaster, pixelOf, type RasterFrame } from "./causal-raster.js";
import { mountCriticalPath } from "./critical-path.js";
import { fitWindow } from "./causal-fit.js";
import { graphOf } from "./detail.js";

const HEIGHT_MAX = 420;
const HIT_PX = 6;
/** The bitmap reaches this fraction of the view's width past each side, so short pans only blit. */
const CACHE_MARGIN = 0.25;
/** During a gesture the bitmap is stretched at most this much (either way) before a redraw. */
const STRETCH_MAX = 2;
/** Idle time after the last wheel or drag event before the bitmap is redrawn crisply. */
const SETTLE_MS = 100;
/** Most device pixels the bitmap holds (it keeps 16 bytes per pixel): fewer lanes off screen on high-DPI screens. */
const BITMAP_PIXELS_MAX = 3_000_000;
/** Selecting an event zooms to its direct causes and effects (further ones would widen the view to most of a run)... */
const FIT_HOPS = 1;
/** ...at most this many of them each way (the nearest). */
const FIT_NODES = 200;

/** The rasterized nodes and edges, and the zoom and pan they were drawn at. */
interface Bitmap {
  canvas: HTMLCanvasElement;
  raster?: CausalRaster;
  /** The frame it was rendered with (undefined: nothing valid to show). */
  frame?: RasterFrame;
  k: number;
  tx: number;
  yPan: number;
  /** Its top-left corner on the view at that zoom and pan, and its size, in CSS px. */
  left: number;
  top: number;
  cssW: number;
  cssH: number;
  edges: number;
  /** Drawn without margins (see renderBitmap): redrawn with them when idle. */
  lean: boolean;
  /** A streaming run grew since: the first node not drawn yet (-1: none), and the earliest time the new records touch. */
  growFrom: number;
  growMs: number;
}

/** Mounts the causal space-time view into `root`; re-renders from `store`. */
export function mountCausal(root: HTMLElement, store: Store): void {
  root.innerHTML = `<h2>Causal graph</h2>
    <section class="causal-path" data-testid="critical-path" aria-label="Root cause to impact"></section>
    <p class="causal-help">Wheel zooms time, drag pans. With the graph focused: <kbd>[</kbd> <kbd>]</kbd> previous / next event in the lane, <kbd>Enter</kbd> moves the cursor there, <kbd>+</kbd> <kbd>-</kbd> zoom, <kbd>0</kbd> resets.</p>
    <div class="causal-stage"><canvas class="causal-static"></canvas><canvas class="causal-overlay" tabindex="0" role="img" data-testid="causal-canvas" data-gutter-w="${GUTTER_W}" data-axis-h="${AXIS_H}"></canvas></div>
    <p class="causal-status mono" aria-live="polite"></p>`;
  const stage = root.querySelector<HTMLDivElement>(".causal-stage")!;
  const base = root.querySelector<HTMLCanvasElement>(".causal-static")!;
  const overlay = root.querySelector<HTMLCanvasElement>(".causal-overlay")!;
  const status = root.querySelector<HTMLParagraphElement>(".causal-status")!;
  mountCriticalPath(root.querySelector<HTMLElement>(".causal-path")!, store);
  let index: CausalIndex | undefined;
  let shownRun: RunPayload | undefined;
  let laneColours: Uint32Array = new Uint32Array(0);
  /** d3-zoom's transform: its x and k stretch time; its y is ignored (see yPan). */
  let transform: ZoomTransform = zoomIdentity;
  /** Vertical pan in px (<= 0): drags move lanes, zooming never does. */
  let yPan = 0;
  let zoomOnly = false;
  let width = 0;
  let height = 0;
  let laneH = 16;
  let dpr = 1;
  /** True from a wheel or drag event until SETTLE_MS without one. */
  let gesturing = false;
  let settleTimer = 0;
  const bitmap: Bitmap = { canvas: document.createElement("canvas"), lean: false, k: 1, tx: 0, yPan: 0, left: 0, top: 0, cssW: 0, cssH: 0, edges: 0, growFrom: -1, growMs: Infinity };
  /** The next bitmap render may be lean (a new run, lanes or size: the first frame matters most). */
  let leanNext = false;
  let pending = { frame: false, overlay: false };
  let rafId = 0;
  let statusKey = "";
  /** True while the canvas itself selects an event (click, keys): then it only pans, it does not re-zoom. */
  let selectingHere = false;

  const x0 = scaleLinear();
  const xOf = (t: number): number => transform.applyX(x0(t));
  const tAt = (x: number): number => x0.invert(transform.invertX(x));
  const yOf = (lane: number): number => yPan + AXIS_H + lane * laneH + laneH / 2;
  const geometry = (): ViewGeometry => ({ width, height, laneH, xOf, yOf });
  const contentH = (): number => (index?.lanes.length ?? 0) * laneH;
  const durationMs = (): number => x0.domain()[1];
  /** Writes a data-* attribute only when it changes (a write invalidates style even when equal). */
  const setData = (key: string, value: string): void => {
    if (root.dataset[key] !== value) root.dataset[key] = value;
  };

  const settle = (): void => {
    gesturing = true;
    clearTimeout(settleTimer);
    settleTimer = window.setTimeout(() => {
      gesturing = false;
      schedule(true);
    }, SETTLE_MS);
  };

  const zoomBehaviour: ZoomBehavior<HTMLCanvasElement, unknown> = d3zoom<HTMLCanvasElement, unknown>()
    .scaleExtent([1, 5000])
    .filter((e: Event) => (e.type === "wheel" || e.type === "mousedown" || e.type === "touchstart" || e.type === "dblclick") && !(e as MouseEvent).button)
    .on("zoom", (e: { transform: ZoomTransform; sourceEvent: Event | null }) => {
      // Zoom stretches time only. A drag's vertical move pans the lanes; the vertical shift d3
      // applies while zooming about the pointer is ignored.
      const type = e.sourceEvent?.type;
      if (!zoomOnly && type !== "wheel" && type !== "dblclick") {
        yPan = Math.max(Math.min(0, height - AXIS_H - contentH() - 4), Math.min(0, yPan + e.transform.y - transform.y));
      }
      transform = e.transform;
      // Wheel and drag steps blit the bitmap; keys and reveal() (no source event) redraw it.
      if (type !== undefined && type !== "dblclick") settle();
      schedule(true);
    });

  const constrain = (): void => {
    zoomBehaviour.translateExtent([
      [GUTTER_W, -Infinity],
      [width, Infinity],
    ]);
    zoomBehaviour.extent([
      [GUTTER_W, 0],
      [width, height],
    ]);
  };

  /** Fits the canvases to the stage's width (`measure`: read it, forcing a layout) and the lane count. */
  const resize = (measure: boolean): void => {
    const lanes = index?.lanes.length ?? 0;
    if (measure || width === 0) width = Math.max(320, stage.clientWidth || root.clientWidth - 20 || 800);
    laneH = lanes > 0 ? Math.max(12, Math.min(24, Math.floor((HEIGHT_MAX - AXIS_H) / lanes))) : 16;
    height = Math.min(HEIGHT_MAX, AXIS_H + Math.max(1, lanes) * laneH + 4);
    dpr = window.devicePixelRatio || 1;
    for (const c of [base, overlay]) {
      // Assigning a canvas's size clears it even when unchanged.
      if (c.width === Math.round(width * dpr) && c.height === Math.round(height * dpr)) continue;
      c.width = Math.round(width * dpr);
      c.height = Math.round(height * dpr);
      c.style.width = `${width}px`;
      c.style.height = `${height}px`;
      c.getContext("2d")!.setTransform(dpr, 0, 0, dpr, 0, 0);
    }
    stage.style.height = `${height}px`;
    x0.range([GUTTER_W + 6, width - 10]);
    yPan = Math.max(Math.min(0, height - AXIS_H - contentH() - 4), yPan);
    constrain();
    bitmap.frame = undefined;
    leanNext = true;
  };

  /**
   * Where the bitmap goes for the current zoom and pan: the view plus margins (none when `lean`),
   * kept on the run's time span and lanes.
   */
  const placeBitmap = (lean: boolean): { left: number; top: number; cssW: number; cssH: number } => {
    const viewW = width - GUTTER_W;
    const margin = lean ? 0 : CACHE_MARGIN;
    const cssW = Math.ceil(viewW * (1 + 2 * margin));
    const domainLeft = Math.floor(xOf(0) - HIT_PX);
    const domainRight = Math.ceil(xOf(durationMs()) + HIT_PX);
    let left = Math.round(GUTTER_W - viewW * margin);
    if (left + cssW > domainRight) left = domainRight - cssW;
    if (left < domainLeft) left = domainLeft;
    const viewH = height - AXIS_H;
    const fullH = contentH();
    const rowsMax = lean ? viewH : Math.min(3 * viewH, Math.max(viewH, Math.floor(BITMAP_PIXELS_MAX / (cssW * dpr * dpr))));
    const cssH = Math.max(1, Math.min(fullH, rowsMax));
    // In lane space (0 = top of the first lane): centred on the view, within the lanes.
    const from = Math.round(Math.max(0, Math.min(fullH - cssH, -yPan - (cssH - viewH) / 2)));
    return { left, top: yPan + AXIS_H + from, cssW, cssH };
  };

  /** Rasterizes the nodes and edges for the current zoom and pan (`lean`: only what is on screen, for a fast first frame). */
  const renderBitmap = (lean: boolean): void => {
    if (!index) return;
    const full = placeBitmap(false);
    const capacityW = Math.round(full.cssW * dpr);
    const capacityH = Math.round(full.cssH * dpr);
    if (!bitmap.raster || bitmap.raster.capacityW !== capacityW || bitmap.raster.capacityH !== capacityH) {
      bitmap.raster = new CausalRaster(capacityW, capacityH);
      bitmap.canvas.width = capacityW;
      bitmap.canvas.height = capacityH;
    }
    const { left, top, cssW, cssH } = lean ? placeBitmap(true) : full;
    const raster = bitmap.raster;
    raster.setSize(Math.round(cssW * dpr), Math.round(cssH * dpr));
    // xOf is affine in t: xOf(t) = t * perMs + xOf(0).
    const perMs = xOf(1) - xOf(0);
    const dotR = Math.max(1.5, Math.min(3.5, laneH / 5));
    const frame: RasterFrame = {
      xPerMs: perMs * dpr,
      xAt0: (xOf(0) - left) * dpr,
      yLane0: (yOf(0) - top) * dpr,
      laneH: laneH * dpr,
      dotSide: Math.max(2, Math.round(2 * dotR * dpr)),
      lineWeight: dpr,
      fromMs: tAt(left - dotR),
      toMs: tAt(left + cssW + dotR),
      spanFromMs: 0,
      spanToMs: durationMs(),
    };
    const { edges } = raster.render(index, frame, laneColours);
    bitmap.canvas.getContext("2d")!.putImageData(raster.image, 0, 0, 0, 0, raster.width, raster.height);
    Object.assign(bitmap, { frame, lean, k: transform.k, tx: transform.x, yPan, left, top, cssW, cssH, edges, growFrom: -1, growMs: Infinity });
    if (lean) upgradeWhenIdle();
  };

  /**
   * After a lean render, the full bitmap (with margins, for pans) once the page is idle and the
   * run complete (while it streams, new lanes would make it lean again; a pan draws it anyway).
   */
  const upgradeWhenIdle = (): void => {
    const upgrade = (): void => {
      if (!bitmap.lean) return;
      if (gesturing || shownRun?.complete === false) {
        upgradeWhenIdle();
        return;
      }
      bitmap.frame = undefined;
      schedule(true);
    };
    if (typeof requestIdleCallback === "function") requestIdleCallback(upgrade, { timeout: 1000 });
    else setTimeout(upgrade, 200);
  };

  /** Draws what a streaming run added into the bitmap, when it reaches the bitmap's window. */
  const appendBitmap = (): void => {
    const { raster, frame } = bitmap;
    if (index && raster && frame && bitmap.growMs <= frame.toMs) {
      const { fromColumn, toColumn, edges } = raster.append(index, frame, laneColours, bitmap.growFrom, bitmap.growMs);
      if (fromColumn < toColumn) bitmap.canvas.getContext("2d")!.putImageData(raster.image, 0, 0, fromColumn, 0, toColumn - fromColumn, raster.height);
      bitmap.edges = edges;
    }
    bitmap.growFrom = -1;
    bitmap.growMs = Infinity;
  };

  /** Where the bitmap lands on the view now, stretched by the zoom since it was drawn. */
  const bitmapPlacement = (): { x: number; y: number; w: number; s: number } => {
    const s = transform.k / bitmap.k;
    return { x: (bitmap.left - bitmap.tx) * s + transform.x, y: bitmap.top + yPan - bitmap.yPan, w: bitmap.cssW * s, s };
  };

  /** True when the bitmap must be redrawn before this frame: none yet, or (settled) off by any zoom or pan, or (in a gesture) too stretched or leaving part of the run blank. */
  const bitmapOutdated = (): boolean => {
    if (!index) return false;
    if (!bitmap.frame) return true;
    const { x, y, w, s } = bitmapPlacement();
    if (!gesturing) return s !== 1 || bitmap.tx !== transform.x || bitmap.yPan !== yPan;
    if (s > STRETCH_MAX || s < 1 / STRETCH_MAX) return true;
    const needLeft = Math.max(GUTTER_W, xOf(0) - HIT_PX);
    const needRight = Math.min(width, xOf(durationMs()) + HIT_PX);
    if (needLeft < needRight && (x > needLeft + 0.5 || x + w < needRight - 0.5)) return true;
    const needTop = Math.max(AXIS_H, yPan + AXIS_H);
    const needBottom = Math.min(height, yPan + AXIS_H + contentH());
    return needTop < needBottom && (y > needTop + 0.5 || y + bitmap.cssH < needBottom - 0.5);
  };

  const drawBase = (): void => {
    const ctx = base.getContext("2d")!;
    ctx.clearRect(0, 0, width, height);
    if (!index) return;
    if (bitmapOutdated()) {
      // A new run or size: draw what is on screen first, the margins when idle.
      renderBitmap(leanNext && !gesturing);
      leanNext = false;
    } else if (bitmap.growFrom >= 0) appendBitmap();
    if (bitmap.frame && bitmap.raster) {
      const { x, y, w } = bitmapPlacement();
      ctx.drawImage(bitmap.canvas, 0, 0, bitmap.raster.width, bitmap.raster.height, x, y, w, bitmap.cssH);
    }
    paintChrome(ctx, geometry(), index, transform.rescaleX(x0));
    const [i0, i1] = index.nodesBetween(tAt(GUTTER_W - HIT_PX), tAt(width + HIT_PX));
    setData("nodes", String(i1 - i0));
    setData("edges", String(bitmap.edges));
    setData("lanes", String(index.lanes.length));
    setData("zoom", transform.k.toFixed(2));
  };

  const drawOverlay = (): void => {
    const ctx = overlay.getContext("2d")!;
    if (!index || !shownRun) {
      ctx.clearRect(0, 0, width, height);
      return;
    }
    const s = store.get();
    const { highlighted, selected } = paintOverlay(ctx, geometry(), index, shownRun.log, s);
    setData("highlighted", String(highlighted));
    setData("selectedSeq", s.selectedSeq === null ? "" : String(s.selectedSeq));
    setData("selectedDrawn", String(selected >= 0));
    // Where the selected dot is on the canvas (CSS px), for tests and tooling.
    setData("selectedX", selected >= 0 ? xOf(index.times[selected]).toFixed(1) : "");
    setData("selectedY", selected >= 0 ? yOf(index.laneOf[selected]).toFixed(1) : "");
    const key = `${selected}:${index.nodeCount}:${index.lanes.length}`;
    if (key !== statusKey) {
      statusKey = key;
      status.textContent =
        selected >= 0
          ? describeEvent(shownRun.log[index.seqOf[selected]], shownRun.log)
          : `${index.nodeCount} events in ${index.lanes.length} lanes, ${index.edgeCount} cause edges${index.hiddenCauses ? ` (${index.hiddenCauses} to the engine, not drawn)` : ""}`;
    }
  };

  const schedule = (frame: boolean): void => {
    pending = { frame: pending.frame || frame, overlay: true };
    if (rafId) return;
    rafId = requestAnimationFrame(() => {
      rafId = 0;
      const p = pending;
      pending = { frame: false, overlay: false };
      if (p.frame) drawBase();
      if (p.overlay) drawOverlay();
    });
  };

  /** The node nearest (px, py) within HIT_PX, or -1. */
  const hit = (px: number, py: number): number => {
    if (!index || px < GUTTER_W) return -1;
    const times = index.times;
    const laneF = (py - yPan - AXIS_H) / laneH - 0.5;
    let best = -1;
    let bestD = HIT_PX * HIT_PX;
    const t0 = tAt(px - HIT_PX);
    const t1 = tAt(px + HIT_PX);
    for (let lane = Math.floor(laneF); lane <= Math.ceil(laneF); lane++) {
      const list = index.byLane[lane];
      if (!list) continue;
      for (let k = partitionPoint(0, list.length, (j) => times[list[j]] < t0); k < list.length && times[list[k]] <= t1; k++) {
        const d = (xOf(times[list[k]]) - px) ** 2 + (yOf(lane) - py) ** 2;
        if (d <= bestD) {
          bestD = d;
          best = list[k];
        }
      }
    }
    return best;
  };

  overlay.addEventListener("click", (e) => {
    const rect = overlay.getBoundingClientRect();
    const i = hit(e.clientX - rect.left, e.clientY - rect.top);
    if (i < 0) return;
    selectingHere = true;
    selectEvent(store, index!.seqOf[i]);
    selectingHere = false;
  });
  overlay.addEventListener("mousemove", (e) => {
    const rect = overlay.getBoundingClientRect();
    const cursor = hit(e.clientX - rect.left, e.clientY - rect.top) >= 0 ? "pointer" : "grab";
    if (overlay.style.cursor !== cursor) overlay.style.cursor = cursor;
  });
  overlay.addEventListener("keydown", (e) => {
    if (!index || !shownRun) return;
    const s = store.get();
    if (e.key === "+" || e.key === "=" || e.key === "-" || e.key === "0") {
      e.preventDefault();
      zoomOnly = true;
      if (e.key === "0") {
        yPan = 0;
        select(overlay).call(zoomBehaviour.transform, zoomIdentity);
      } else select(overlay).call(zoomBehaviour.scaleBy, e.key === "-" ? 1 / 1.5 : 1.5, [Math.max(GUTTER_W, Math.min(width, xOf(s.cursorMs))), height / 2]);
      zoomOnly = false;
      return;
    }
    if (e.key !== "[" && e.key !== "]" && e.key !== "Enter") return;
    e.preventDefault();
    const sel = s.selectedSeq === null ? -1 : index.nodeOfSeq(s.selectedSeq);
    if (e.key === "Enter") {
      selectingHere = true;
      if (sel >= 0) selectEvent(store, index.seqOf[sel]);
      selectingHere = false;
      return;
    }
    let next: number;
    if (sel < 0) {
      // Nothing selected: start from the cursor, in whatever lane.
      const times = index.times;
      const k = partitionPoint(0, index.nodeCount, (i) => times[i] < s.cursorMs);
      next = e.key === "]" ? Math.min(index.nodeCount - 1, k) : Math.max(0, k - 1);
    } else {
      const list = index.byLane[index.laneOf[sel]];
      const k = partitionPoint(0, list.length, (j) => list[j] < sel);
      next = list[Math.max(0, Math.min(list.length - 1, k + (e.key === "]" ? 1 : -1)))];
    }
    if (next === undefined || next < 0) return;
    selectingHere = true;
    store.set({ selectedSeq: index.seqOf[next] });
    selectingHere = false;
    reveal(index.times[next], index.laneOf[next]);
  });

  /** Pans (without zooming) so time `t` and lane `lane` are on screen. */
  const reveal = (t: number, lane: number): void => {
    const x = xOf(t);
    const y = yOf(lane);
    if (x >= GUTTER_W + 10 && x <= width - 10 && y >= AXIS_H + 4 && y <= height - 4) return;
    const dx = x < GUTTER_W + 10 || x > width - 10 ? (GUTTER_W + width) / 2 - x : 0;
    const dy = y < AXIS_H + 4 || y > height - 4 ? (AXIS_H + height) / 2 - y : 0;
    select(overlay).call(zoomBehaviour.translateBy, dx / transform.k, dy / transform.k);
  };

  /**
   * Zooms and pans so the selected record's causes and effects (FIT_HOPS edge each way) fill the
   * view's width (fitWindow: at least 4x zoom, the record always inside), and its lane is in view.
   * Needs the whole run's causal graph: a streaming run only pans.
   */
  const fitNeighbourhood = (seq: number): void => {
    const i = index ? index.nodeOfSeq(seq) : -1;
    if (!index || !shownRun || i < 0) return;
    if (!shownRun.complete) {
      reveal(index.times[i], index.laneOf[i]);
      return;
    }
    const graph = graphOf(shownRun);
    const near = [...graph.ancestors(seq, { depth: FIT_HOPS, limit: FIT_NODES }).nodes, ...graph.descendants(seq, { depth: FIT_HOPS, limit: FIT_NODES }).nodes];
    const times: number[] = [];
    for (const n of near) if (index.nodeOfSeq(n.seq) >= 0) times.push(graph.times[n.seq]);
    const [lo, hi] = fitWindow(index.times[i], times, durationMs());
    const [r0, r1] = x0.range();
    const k = Math.max(1, Math.min(5000, (r1 - r0) / Math.max(1e-9, x0(hi) - x0(lo))));
    const target = zoomIdentity.translate(r0 - k * x0(lo), transform.y).scale(k);
    zoomOnly = true;
    select(overlay).call(zoomBehaviour.transform, target);
    zoomOnly = false;
    reveal(index.times[i], index.laneOf[i]);
  };

  select(overlay).call(zoomBehaviour).on("dblclick.zoom", null);

  const laneColoursOf = (idx: CausalIndex): Uint32Array => Uint32Array.from(idx.lanes, (lane) => pixelOf(KIND_COLOUR[lane.kind]));

  /** A new run: index it, reset zoom and pan, and draw synchronously (tests and the first frame see the counts at once). */
  const showRun = (run: RunPayload): void => {
    shownRun = run;
    index = new CausalIndex(Math.max(1, run.durationMs), run.agents);
    index.extend(run.log);
    laneColours = laneColoursOf(index);
    x0.domain([0, Math.max(1, run.durationMs)]);
    transform = zoomIdentity;
    yPan = 0;
    select(overlay).property("__zoom", zoomIdentity);
    gesturing = false;
    clearTimeout(settleTimer);
    resize(true);
    overlay.setAttribute("aria-label", `Causal space-time graph: ${index.nodeCount} events in ${index.lanes.length} lanes`);
    statusKey = "";
    drawBase();
    drawOverlay();
  };

  /** The same run, grown (streaming): index the new records; the next frame draws them into the bitmap. */
  const growRun = (run: RunPayload): void => {
    shownRun = run;
    const { fromNode, lanesAdded, earliestMs } = index!.extend(run.log);
    if (lanesAdded) {
      laneColours = laneColoursOf(index!);
      resize(false);
    } else if (index!.nodeCount > fromNode) {
      bitmap.growFrom = bitmap.growFrom < 0 ? fromNode : Math.min(bitmap.growFrom, fromNode);
      bitmap.growMs = Math.min(bitmap.growMs, earliestMs);
    }
    if (Math.max(1, run.durationMs) !== durationMs()) {
      x0.domain([0, Math.max(1, run.durationMs)]);
      bitmap.frame = undefined;
    }
    if (run.complete) overlay.setAttribute("aria-label", `Causal space-time graph: ${index!.nodeCount} events in ${index!.lanes.length} lanes`);
    schedule(true);
  };

  store.subscribe((s, prev) => {
    if (!s.run) {
      index = undefined;
      shownRun = undefined;
      setData("nodes", "0");
      setData("highlighted", "0");
      status.textContent = s.status === "running" ? "" : "No run yet.";
      statusKey = "";
      schedule(true);
      return;
    }
    if (s.run !== shownRun) {
      const grows = index !== undefined && shownRun !== undefined && s.run.log === shownRun.log && s.run.runId === shownRun.runId;
      if (!grows) {
        showRun(s.run);
        return;
      }
      growRun(s.run);
    }
    if (s.selectedSeq !== prev.selectedSeq && s.selectedSeq !== null && index) {
      const i = index.nodeOfSeq(s.selectedSeq);
      if (i >= 0 && selectingHere) reveal(index.times[i], index.laneOf[i]);
      else if (i >= 0) fitNeighbourhood(s.selectedSeq);
    }
    if (s.cursorMs !== prev.cursorMs || s.selectedSeq !== prev.selectedSeq || s.highlighted !== prev.highlighted) schedule(false);
  });

  new ResizeObserver(() => {
    if (!index) return;
    const w = Math.max(320, stage.clientWidth || 800);
    if (Math.abs(w - width) > 4) {
      resize(true);
      schedule(true);
    }
  }).observe(stage);
}
