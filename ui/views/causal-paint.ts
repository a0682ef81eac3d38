// Canvas painting for the causal view that is cheap enough for every frame: the lane gutter, the
// time axis, and the overlay (fade after the cursor, a finding's highlighted records, the selected
// record). Each costs O(lanes on screen + ticks + highlighted), never a pass over the run.
import type { ScaleLinear } from "d3-scale";
import type { LaneKind } from "../../sim/causal/layout.js";
import type { EventRecord } from "../../sim/log/record.js";
import { formatTime } from "../../sim/core/units.js";
import type { CausalIndex } from "./causal-index.js";
import { timeTicks } from "./lanes-time.js";

export const GUTTER_W = 112;
export const AXIS_H = 18;

export const KIND_COLOUR: Record<LaneKind, string> = {
  agent: "#0b5cad",
  fault: "#b42318",
  workload: "#1a7f37",
  component: "#9a6700",
  engine: "#57606a",
};

/** Where things are on the view's canvases, in CSS pixels, for the current zoom and pan. */
export interface ViewGeometry {
  width: number;
  height: number;
  laneH: number;
  xOf(t: number): number;
  yOf(lane: number): number;
}

/** Paints the gutter (lane swatches and names, over anything panned under it) and the time axis along the top. */
export function paintChrome(ctx: CanvasRenderingContext2D, g: ViewGeometry, index: CausalIndex, scale: ScaleLinear<number, number>): void {
  const { width, height, laneH } = g;
  ctx.fillStyle = "#f6f8fa";
  ctx.fillRect(0, 0, GUTTER_W, height);
  ctx.font = `${Math.min(12, laneH - 2)}px system-ui, sans-serif`;
  ctx.textBaseline = "middle";
  // Only the lanes on screen: y is increasing in the lane index.
  const first = Math.max(0, Math.floor((AXIS_H - g.yOf(0)) / laneH));
  for (let i = first; i < index.lanes.length; i++) {
    const y = g.yOf(i);
    if (y > height) break;
    if (y < AXIS_H) continue;
    const lane = index.lanes[i];
    ctx.fillStyle = KIND_COLOUR[lane.kind];
    ctx.fillRect(2, y - 4, 8, 8);
    ctx.fillStyle = "#1b1f24";
    ctx.fillText(lane.actor.length > 15 ? `${lane.actor.slice(0, 14)}…` : lane.actor, 14, y);
  }
  ctx.fillStyle = "#f6f8fa";
  ctx.fillRect(0, 0, width, AXIS_H);
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
}

export interface OverlayState {
  cursorMs: number;
  selectedSeq: number | null;
  highlighted: ReadonlySet<number>;
}

/**
 * Paints the overlay: a translucent rectangle over what has not happened yet (after the cursor),
 * the highlighted records with the cause edges among them, the selected record's ring and its
 * direct causes, and the cursor line, clipped to the plot (never over the gutter or the axis). Returns how many highlighted records it drew and the
 * selected node (-1: not drawn).
 */
export function paintOverlay(ctx: CanvasRenderingContext2D, g: ViewGeometry, index: CausalIndex, log: readonly EventRecord[], s: OverlayState): { highlighted: number; selected: number } {
  const { width, height, laneH } = g;
  const times = index.times;
  const laneOf = index.laneOf;
  const x = (node: number): number => g.xOf(times[node]);
  const y = (node: number): number => g.yOf(laneOf[node]);
  ctx.clearRect(0, 0, width, height);
  // Everything the overlay draws stays in the plot: an edge to a record panned off to the left
  // must not cross the lane names in the gutter or the time axis.
  ctx.save();
  ctx.beginPath();
  ctx.rect(GUTTER_W, AXIS_H, width - GUTTER_W, height - AXIS_H);
  ctx.clip();
  const cx = g.xOf(s.cursorMs);
  if (cx < width) {
    ctx.fillStyle = "rgba(246, 248, 250, 0.72)";
    ctx.fillRect(Math.max(GUTTER_W, cx), AXIS_H, width - Math.max(GUTTER_W, cx), height - AXIS_H);
  }
  let highlighted = 0;
  const r = Math.max(3, Math.min(5, laneH / 3.5));
  if (s.highlighted.size > 0) {
    ctx.beginPath();
    for (const seq of s.highlighted) {
      const i = index.nodeOfSeq(seq);
      if (i < 0) continue;
      for (const c of log[seq].causes) {
        const j = index.nodeOfSeq(c);
        if (j >= 0 && s.highlighted.has(c)) {
          ctx.moveTo(x(j), y(j));
          ctx.lineTo(x(i), y(i));
        }
      }
    }
    ctx.strokeStyle = "#d4a72c";
    ctx.lineWidth = 2;
    ctx.stroke();
    ctx.beginPath();
    for (const seq of s.highlighted) {
      const i = index.nodeOfSeq(seq);
      if (i < 0) continue;
      highlighted++;
      ctx.moveTo(x(i) + r, y(i));
      ctx.arc(x(i), y(i), r, 0, 2 * Math.PI);
    }
    ctx.fillStyle = "#f2cc60";
    ctx.fill();
    ctx.strokeStyle = "#7d4e00";
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
  const selected = s.selectedSeq === null ? -1 : index.nodeOfSeq(s.selectedSeq);
  if (selected >= 0) {
    ctx.beginPath();
    for (const c of log[index.seqOf[selected]].causes) {
      const j = index.nodeOfSeq(c);
      if (j < 0) continue;
      ctx.moveTo(x(j), y(j));
      ctx.lineTo(x(selected), y(selected));
    }
    ctx.strokeStyle = "#0b5cad";
    ctx.lineWidth = 2;
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(x(selected), y(selected), r + 3, 0, 2 * Math.PI);
    ctx.strokeStyle = "#1b1f24";
    ctx.lineWidth = 2.5;
    ctx.stroke();
  }
  if (cx >= GUTTER_W && cx <= width) {
    ctx.fillStyle = "#b42318";
    ctx.fillRect(cx - 0.5, AXIS_H, 1.5, height - AXIS_H);
  }
  ctx.restore();
  return { highlighted, selected };
}
