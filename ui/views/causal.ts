// The space-time causal view: one lane per actor, x = simulated time, a dot per record and its
// cause edges, on canvas with d3-zoom (wheel zooms time, drag pans time and lanes). Two layers:
// the static one (edges, dots, labels) is redrawn only on zoom, resize or a new run; the overlay
// (fade after the cursor, highlighted, selected, cursor line) on every state change.
import { scaleLinear } from "d3-scale";
import { select } from "d3-selection";
import { zoom as d3zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from "d3-zoom";
import { spaceTimeLayout, type LaneKind, type SpaceTimeLayout } from "../../sim/causal/index.js";
import { describeEvent } from "../../sim/cli/summary.js";
import { formatTime } from "../../sim/core/units.js";
import type { RunPayload } from "../model/payload.js";
import { selectEvent, type Store } from "../state/store.js";
import { timeTicks } from "./lanes.js";

const GUTTER_W = 112;
const AXIS_H = 18;
const HEIGHT_MAX = 420;
const HIT_PX = 6;

const KIND_COLOUR: Record<LaneKind, string> = {
  agent: "#0b5cad",
  fault: "#b42318",
  workload: "#1a7f37",
  component: "#9a6700",
  engine: "#57606a",
};

/** What the view keeps per run: the layout and the indexes for culling and hit-testing. */
interface Index {
  layout: SpaceTimeLayout;
  /** Per lane, node indexes (into layout.nodes) in time order. */
  byLane: number[][];
  /** Node index by seq (-1: not drawn). */
  nodeOfSeq: Int32Array;
  /** Node times in node order (ascending), for binary search. */
  times: Float64Array;
}

/** Builds the layout and indexes for `run` (engine lane omitted). Pure. */
function indexRun(run: RunPayload): Index {
  const layout = spaceTimeLayout(run.log, { omitEngine: true, agents: run.agents });
  const byLane: number[][] = layout.lanes.map(() => []);
  const nodeOfSeq = new Int32Array(run.log.length).fill(-1);
  const times = new Float64Array(layout.nodes.length);
  layout.nodes.forEach((n, i) => {
    byLane[n.lane].push(i);
    nodeOfSeq[n.seq] = i;
    times[i] = n.t;
  });
  return { layout, byLane, nodeOfSeq, times };
}

/** First index in ascending `values` with value >= `x`. */
function lowerBound(values: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Mounts the causal space-time view into `root`; re-renders from `store`. */
export function mountCausal(root: HTMLElement, store: Store): void {
  root.innerHTML = `<h2>Causal graph</h2>
    <p class="causal-help">Wheel zooms time, drag pans. With the graph focused: <kbd>[</kbd> <kbd>]</kbd> previous / next event in the lane, <kbd>Enter</kbd> moves the cursor there, <kbd>+</kbd> <kbd>-</kbd> zoom, <kbd>0</kbd> resets.</p>
    <div class="causal-stage"><canvas class="causal-static"></canvas><canvas class="causal-overlay" tabindex="0" role="img" data-testid="causal-canvas"></canvas></div>
    <p class="causal-status mono" aria-live="polite"></p>`;
  const stage = root.querySelector<HTMLDivElement>(".causal-stage")!;
  const base = root.querySelector<HTMLCanvasElement>(".causal-static")!;
  const overlay = root.querySelector<HTMLCanvasElement>(".causal-overlay")!;
  const status = root.querySelector<HTMLParagraphElement>(".causal-status")!;
  let index: Index | undefined;
  let shownRun: RunPayload | undefined;
  /** d3-zoom's transform: its x and k stretch time; its y is ignored (see yPan). */
  let transform: ZoomTransform = zoomIdentity;
  /** Vertical pan in px (<= 0): drags move lanes, zooming never does. */
  let yPan = 0;
  let zoomOnly = false;
  let width = 0;
  let height = 0;
  let laneH = 16;
  let pending = { base: false, overlay: false };
  let frame = 0;

  const x0 = scaleLinear();
  const xOf = (t: number): number => transform.applyX(x0(t));
  const yOf = (lane: number): number => yPan + AXIS_H + lane * laneH + laneH / 2;

  const zoomBehaviour: ZoomBehavior<HTMLCanvasElement, unknown> = d3zoom<HTMLCanvasElement, unknown>()
    .scaleExtent([1, 5000])
    .filter((e: Event) => (e.type === "wheel" || e.type === "mousedown" || e.type === "touchstart" || e.type === "dblclick") && !(e as MouseEvent).button)
    .on("zoom", (e: { transform: ZoomTransform; sourceEvent: Event | null }) => {
      // Zoom stretches time only. A drag's vertical move pans the lanes; the vertical shift d3
      // applies while zooming about the pointer is ignored.
      const type = e.sourceEvent?.type;
      if (!zoomOnly && type !== "wheel" && type !== "dblclick") {
        const contentH = AXIS_H + (index?.layout.lanes.length ?? 0) * laneH + 4;
        yPan = Math.max(Math.min(0, height - contentH), Math.min(0, yPan + e.transform.y - transform.y));
      }
      transform = e.transform;
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

  const resize = (): void => {
    const lanes = index?.layout.lanes.length ?? 0;
    width = Math.max(320, stage.clientWidth || root.clientWidth - 20 || 800);
    laneH = lanes > 0 ? Math.max(12, Math.min(24, Math.floor((HEIGHT_MAX - AXIS_H) / lanes))) : 16;
    height = Math.min(HEIGHT_MAX, AXIS_H + Math.max(1, lanes) * laneH + 4);
    const dpr = window.devicePixelRatio || 1;
    for (const c of [base, overlay]) {
      c.width = Math.round(width * dpr);
      c.height = Math.round(height * dpr);
      c.style.width = `${width}px`;
      c.style.height = `${height}px`;
      c.getContext("2d")!.setTransform(dpr, 0, 0, dpr, 0, 0);
    }
    stage.style.height = `${height}px`;
    x0.range([GUTTER_W + 6, width - 10]);
    constrain();
  };

  const schedule = (all: boolean): void => {
    pending = { base: pending.base || all, overlay: true };
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const p = pending;
      pending = { base: false, overlay: false };
      if (p.base) drawBase();
      if (p.overlay) drawOverlay();
    });
  };

  /** Node index range [i0, i1) whose time is on screen (plus a dot's margin). */
  const visibleRange = (): [number, number] => {
    const t0 = x0.invert(transform.invertX(GUTTER_W - HIT_PX));
    const t1 = x0.invert(transform.invertX(width + HIT_PX));
    return [lowerBound(index!.times, t0), lowerBound(index!.times, t1 + 1e-9)];
  };

  const drawBase = (): void => {
    const ctx = base.getContext("2d")!;
    ctx.clearRect(0, 0, width, height);
    if (!index || !shownRun) return;
    const { layout } = index;
    const nodes = layout.nodes;
    // Lane stripes.
    layout.lanes.forEach((_, i) => {
      if (i % 2 === 1) {
        ctx.fillStyle = "#eef1f4";
        ctx.fillRect(GUTTER_W, yOf(i) - laneH / 2, width - GUTTER_W, laneH);
      }
    });
    const [i0, i1] = visibleRange();
    // Edges: one path; culled to those with an end on screen (or spanning it).
    const tLeft = x0.invert(transform.invertX(GUTTER_W));
    const tRight = x0.invert(transform.invertX(width));
    ctx.beginPath();
    let edgesDrawn = 0;
    for (const e of layout.edges) {
      const a = nodes[index.nodeOfSeq[e.from]];
      const b = nodes[index.nodeOfSeq[e.to]];
      if (b.t < tLeft || a.t > tRight) continue;
      ctx.moveTo(xOf(a.t), yOf(a.lane));
      ctx.lineTo(xOf(b.t), yOf(b.lane));
      edgesDrawn++;
    }
    ctx.strokeStyle = "rgba(87, 96, 106, 0.45)";
    ctx.lineWidth = 1;
    ctx.stroke();
    // Dots, one fill per lane kind; squares are far cheaper than arcs at 100k.
    const r = Math.max(1.5, Math.min(3.5, laneH / 5));
    const byKind = new Map<LaneKind, number[]>();
    for (let i = i0; i < i1; i++) {
      const kind = layout.lanes[nodes[i].lane].kind;
      (byKind.get(kind) ?? byKind.set(kind, []).get(kind)!).push(i);
    }
    for (const [kind, list] of byKind) {
      ctx.fillStyle = KIND_COLOUR[kind];
      ctx.beginPath();
      for (const i of list) ctx.rect(xOf(nodes[i].t) - r, yOf(nodes[i].lane) - r, 2 * r, 2 * r);
      ctx.fill();
    }
    // Gutter with lane labels, over anything panned under it.
    ctx.fillStyle = "#f6f8fa";
    ctx.fillRect(0, 0, GUTTER_W, height);
    ctx.font = `${Math.min(12, laneH - 2)}px system-ui, sans-serif`;
    ctx.textBaseline = "middle";
    layout.lanes.forEach((lane, i) => {
      const y = yOf(i);
      if (y < AXIS_H || y > height) return;
      ctx.fillStyle = KIND_COLOUR[lane.kind];
      ctx.fillRect(2, y - 4, 8, 8);
      ctx.fillStyle = "#1b1f24";
      ctx.fillText(lane.actor.length > 15 ? `${lane.actor.slice(0, 14)}…` : lane.actor, 14, y);
    });
    // Time axis along the top.
    ctx.fillStyle = "#f6f8fa";
    ctx.fillRect(0, 0, width, AXIS_H);
    const scale = transform.rescaleX(x0);
    ctx.fillStyle = "#57606a";
    ctx.textBaseline = "top";
    ctx.font = "11px system-ui, sans-serif";
    const [tFrom, tTo] = scale.domain();
    for (const t of timeTicks(Math.max(0, tFrom), tTo, Math.max(2, Math.floor((width - GUTTER_W) / 90)))) {
      const x = scale(t);
      if (x < GUTTER_W) continue;
      ctx.fillRect(x, AXIS_H - 5, 1, 5);
      ctx.fillText(formatTime(t), x + 2, 2);
    }
    root.dataset.nodes = String(i1 - i0);
    root.dataset.edges = String(edgesDrawn);
    root.dataset.lanes = String(layout.lanes.length);
    root.dataset.zoom = transform.k.toFixed(2);
  };

  const drawOverlay = (): void => {
    const ctx = overlay.getContext("2d")!;
    ctx.clearRect(0, 0, width, height);
    const s = store.get();
    if (!index || !shownRun) return;
    const nodes = index.layout.nodes;
    // Fade what has not happened yet.
    const cx = xOf(s.cursorMs);
    if (cx < width) {
      ctx.fillStyle = "rgba(246, 248, 250, 0.72)";
      ctx.fillRect(Math.max(GUTTER_W, cx), AXIS_H, width - Math.max(GUTTER_W, cx), height - AXIS_H);
    }
    // Highlighted: a finding's witnesses and root causes, with their edges among themselves.
    let drawnHighlights = 0;
    const r = Math.max(3, Math.min(5, laneH / 3.5));
    if (s.highlighted.size > 0) {
      ctx.beginPath();
      for (const seq of s.highlighted) {
        const i = index.nodeOfSeq[seq] ?? -1;
        if (i < 0) continue;
        for (const c of shownRun.log[seq].causes) {
          const j = index.nodeOfSeq[c] ?? -1;
          if (j >= 0 && s.highlighted.has(c)) {
            ctx.moveTo(xOf(nodes[j].t), yOf(nodes[j].lane));
            ctx.lineTo(xOf(nodes[i].t), yOf(nodes[i].lane));
          }
        }
      }
      ctx.strokeStyle = "#d4a72c";
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.beginPath();
      for (const seq of s.highlighted) {
        const i = index.nodeOfSeq[seq] ?? -1;
        if (i < 0) continue;
        drawnHighlights++;
        const x = xOf(nodes[i].t);
        const y = yOf(nodes[i].lane);
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, 2 * Math.PI);
      }
      ctx.fillStyle = "#f2cc60";
      ctx.fill();
      ctx.strokeStyle = "#7d4e00";
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
    // The selected event: a ring, and its direct causes' edges.
    const sel = s.selectedSeq === null ? -1 : (index.nodeOfSeq[s.selectedSeq] ?? -1);
    if (sel >= 0) {
      const n = nodes[sel];
      ctx.beginPath();
      for (const c of shownRun.log[n.seq].causes) {
        const j = index.nodeOfSeq[c] ?? -1;
        if (j < 0) continue;
        ctx.moveTo(xOf(nodes[j].t), yOf(nodes[j].lane));
        ctx.lineTo(xOf(n.t), yOf(n.lane));
      }
      ctx.strokeStyle = "#0b5cad";
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.beginPath();
      ctx.arc(xOf(n.t), yOf(n.lane), r + 3, 0, 2 * Math.PI);
      ctx.strokeStyle = "#1b1f24";
      ctx.lineWidth = 2.5;
      ctx.stroke();
    }
    // The cursor line.
    if (cx >= GUTTER_W && cx <= width) {
      ctx.fillStyle = "#b42318";
      ctx.fillRect(cx - 0.5, AXIS_H, 1.5, height - AXIS_H);
    }
    root.dataset.highlighted = String(drawnHighlights);
    root.dataset.selectedSeq = s.selectedSeq === null ? "" : String(s.selectedSeq);
    root.dataset.selectedDrawn = String(sel >= 0);
    // Where the selected dot is on the canvas (CSS px), for tests and tooling.
    root.dataset.selectedX = sel >= 0 ? xOf(nodes[sel].t).toFixed(1) : "";
    root.dataset.selectedY = sel >= 0 ? yOf(nodes[sel].lane).toFixed(1) : "";
    status.textContent =
      sel >= 0 ? describeEvent(shownRun.log[nodes[sel].seq], shownRun.log) : `${nodes.length} events in ${index.layout.lanes.length} lanes, ${index.layout.edges.length} cause edges${index.layout.hiddenCauses ? ` (${index.layout.hiddenCauses} to the engine, not drawn)` : ""}`;
  };

  /** The node nearest (px, py) within HIT_PX, or -1. */
  const hit = (px: number, py: number): number => {
    if (!index || px < GUTTER_W) return -1;
    const nodes = index.layout.nodes;
    const laneF = (py - yPan - AXIS_H) / laneH - 0.5;
    let best = -1;
    let bestD = HIT_PX * HIT_PX;
    const t0 = x0.invert(transform.invertX(px - HIT_PX));
    const t1 = x0.invert(transform.invertX(px + HIT_PX));
    for (let lane = Math.floor(laneF); lane <= Math.ceil(laneF); lane++) {
      const list = index.byLane[lane];
      if (!list) continue;
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (nodes[list[mid]].t < t0) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < list.length && nodes[list[k]].t <= t1; k++) {
        const n = nodes[list[k]];
        const d = (xOf(n.t) - px) ** 2 + (yOf(n.lane) - py) ** 2;
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
    if (i >= 0) selectEvent(store, index!.layout.nodes[i].seq);
  });
  overlay.addEventListener("mousemove", (e) => {
    const rect = overlay.getBoundingClientRect();
    overlay.style.cursor = hit(e.clientX - rect.left, e.clientY - rect.top) >= 0 ? "pointer" : "grab";
  });
  overlay.addEventListener("keydown", (e) => {
    if (!index || !shownRun) return;
    const s = store.get();
    const nodes = index.layout.nodes;
    if (e.key === "+" || e.key === "=" || e.key === "-" || e.key === "0") {
      e.preventDefault();
      if (e.key === "0") {
        yPan = 0;
        zoomOnly = true;
        select(overlay).call(zoomBehaviour.transform, zoomIdentity);
        zoomOnly = false;
      }
      else {
        zoomOnly = true;
        select(overlay).call(zoomBehaviour.scaleBy, e.key === "-" ? 1 / 1.5 : 1.5, [Math.max(GUTTER_W, Math.min(width, xOf(s.cursorMs))), height / 2]);
        zoomOnly = false;
      }
      return;
    }
    if (e.key !== "[" && e.key !== "]" && e.key !== "Enter") return;
    e.preventDefault();
    const sel = s.selectedSeq === null ? -1 : (index.nodeOfSeq[s.selectedSeq] ?? -1);
    if (e.key === "Enter") {
      if (sel >= 0) selectEvent(store, nodes[sel].seq);
      return;
    }
    let next: number;
    if (sel < 0) {
      // Nothing selected: start from the cursor, in whatever lane.
      const k = lowerBound(index.times, s.cursorMs);
      next = e.key === "]" ? Math.min(nodes.length - 1, k) : Math.max(0, k - 1);
    } else {
      const list = index.byLane[nodes[sel].lane];
      const k = list.indexOf(sel);
      next = list[Math.max(0, Math.min(list.length - 1, k + (e.key === "]" ? 1 : -1)))];
    }
    if (next === undefined || next < 0) return;
    store.set({ selectedSeq: nodes[next].seq });
    reveal(nodes[next].t, nodes[next].lane);
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

  select(overlay).call(zoomBehaviour).on("dblclick.zoom", null);

  store.subscribe((s, prev) => {
    if (!s.run) {
      index = undefined;
      shownRun = undefined;
      root.dataset.nodes = "0";
      root.dataset.highlighted = "0";
      status.textContent = s.status === "running" ? "" : "No run yet.";
      schedule(true);
      return;
    }
    if (s.run !== shownRun) {
      shownRun = s.run;
      index = indexRun(s.run);
      overlay.setAttribute("aria-label", `Causal space-time graph: ${index.layout.nodes.length} events in ${index.layout.lanes.length} lanes`);
      resize();
      transform = zoomIdentity;
      yPan = 0;
      select(overlay).property("__zoom", zoomIdentity);
      x0.domain([0, Math.max(1, s.run.durationMs)]);
      schedule(true);
      // Synchronously too, so tests and the first frame see the counts at once.
      drawBase();
      drawOverlay();
      return;
    }
    if (s.selectedSeq !== prev.selectedSeq && s.selectedSeq !== null && index) {
      const i = index.nodeOfSeq[s.selectedSeq] ?? -1;
      if (i >= 0) reveal(index.layout.nodes[i].t, index.layout.nodes[i].lane);
    }
    if (s.cursorMs !== prev.cursorMs || s.selectedSeq !== prev.selectedSeq || s.highlighted !== prev.highlighted) schedule(false);
  });

  new ResizeObserver(() => {
    if (!index) return;
    const w = Math.max(320, stage.clientWidth || 800);
    if (Math.abs(w - width) > 4) {
      resize();
      schedule(true);
    }
  }).observe(stage);
}
