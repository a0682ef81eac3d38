// The report's space-time diagram: a lane per actor, x = simulated time, a dot per event (linking
// to its row in the event table) and a line per cause, laid out by sim/causal's spaceTimeLayout
// (the same lanes the UI draws) and drawn as inline SVG. Capped in nodes so a long run still gives
// a file a browser opens at once. Pure; strings in, strings out.
import { spaceTimeLayout } from "../causal/layout.js";
import { formatTime } from "../core/units.js";
import type { EventRecord } from "../log/record.js";
import { describeRecord } from "./describe.js";
import { esc, px, tickLabel, timeTicks } from "./html-text.js";

export interface LanesOptions {
  endMs: number;
  /** Seqs that must be drawn if any are (finding witnesses and root causes). */
  important: ReadonlySet<number>;
  /** Seqs that have a row (and an anchor) in the report's event table. */
  anchored: ReadonlySet<number>;
  /** Dots at most (default 1500). */
  nodesMax?: number;
}

const WIDTH = 1000;
const LEFT = 150;
const RIGHT = 28;
const TOP = 8;
const LANE_H = 24;
const AXIS_H = 22;

/** CSS class of an event's dot. Pure. */
export function eventClass(r: EventRecord): string {
  if (r.type === "command.rejected") return "ev-rejected";
  if (r.type === "command.held" || r.type === "command.duplicate") return "ev-held";
  if (r.type.startsWith("fault.")) return "ev-fault";
  if (r.type === "health.changed") return r.data.healthy === false ? "ev-unhealthy" : "ev-healthy";
  if (r.type === "document.put" || r.type === "document.deleted") return "ev-document";
  if (r.type === "intent.published" || r.type === "lease.acquired") return "ev-coord";
  if (r.type === "agent.logged") return "ev-log";
  if (typeof r.data.to === "number") return "ev-change";
  return "ev-other";
}

/**
 * The space-time diagram as HTML (an SVG and a caption): sim/causal's spaceTimeLayout of the
 * drawn records, without the engine's lane. When there are more than `nodesMax` actor records,
 * the important ones are kept first and then the earliest. Pure.
 */
export function lanesHtml(log: readonly EventRecord[], options: LanesOptions): string {
  const nodesMax = options.nodesMax ?? 1500;
  const endMs = Math.max(1, options.endMs);
  const candidates = log.filter((r) => r.actor !== "engine");
  if (candidates.length === 0) return `<p class="note">No actor events to draw.</p>`;

  let drawn = candidates;
  if (candidates.length > nodesMax) {
    const keep = new Set<number>();
    for (const r of candidates) if (keep.size < nodesMax && options.important.has(r.seq)) keep.add(r.seq);
    for (const r of candidates) if (keep.size < nodesMax) keep.add(r.seq);
    drawn = candidates.filter((r) => keep.has(r.seq));
  }
  const layout = spaceTimeLayout(drawn, { omitEngine: true });
  const { lanes } = layout;

  const plotW = WIDTH - LEFT - RIGHT;
  const height = TOP + lanes.length * LANE_H + AXIS_H;
  const x = (t: number) => LEFT + (Math.min(Math.max(t, 0), endMs) / endMs) * plotW;
  const y = (lane: number) => TOP + lane * LANE_H + LANE_H / 2;
  const recordOf = new Map(drawn.map((r) => [r.seq, r]));
  const nodeOf = new Map(layout.nodes.map((n) => [n.seq, n]));

  const svg: string[] = [`<svg class="lanes" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="space-time diagram of the actors">`];
  lanes.forEach((l, i) => {
    const cy = y(i);
    svg.push(`<line class="lane lane-${esc(l.kind)}" x1="${LEFT}" y1="${px(cy)}" x2="${WIDTH - RIGHT}" y2="${px(cy)}"/>`);
    svg.push(`<text class="lane-label" x="${LEFT - 6}" y="${px(cy + 4)}" text-anchor="end">${esc(clip(l.actor, 22))}<title>${esc(`${l.actor} (${l.kind}, ${l.count} events)`)}</title></text>`);
  });
  const axisY = TOP + lanes.length * LANE_H;
  for (const t of timeTicks(endMs)) {
    svg.push(`<line class="grid" x1="${px(x(t))}" y1="${TOP}" x2="${px(x(t))}" y2="${axisY}"/>`);
    svg.push(`<text class="tick" x="${px(x(t))}" y="${axisY + 16}" text-anchor="middle">${esc(tickLabel(t))}</text>`);
  }

  // All cause lines in two paths (within a lane, across lanes): one element each keeps the file small.
  const within: string[] = [];
  const across: string[] = [];
  for (const e of layout.edges) {
    const from = nodeOf.get(e.from)!;
    const to = nodeOf.get(e.to)!;
    const seg = `M${px(x(from.t))} ${px(y(from.lane))}L${px(x(to.t))} ${px(y(to.lane))}`;
    (from.lane === to.lane ? within : across).push(seg);
  }
  if (within.length > 0) svg.push(`<path class="edge edge-within" d="${within.join("")}"/>`);
  if (across.length > 0) svg.push(`<path class="edge edge-across" d="${across.join("")}"/>`);

  for (const n of layout.nodes) {
    const r = recordOf.get(n.seq)!;
    const title = esc(`#${r.seq} ${formatTime(r.t)} ${r.actor} ${r.type}: ${describeRecord(r)}`);
    const dot = `<circle class="${esc(eventClass(r))}${options.important.has(r.seq) ? " important" : ""}" cx="${px(x(n.t))}" cy="${px(y(n.lane))}" r="4"><title>${title}</title></circle>`;
    svg.push(options.anchored.has(r.seq) ? `<a href="#seq-${esc(r.seq)}">${dot}</a>` : dot);
  }
  svg.push(`</svg>`);
  const capped = drawn.length < candidates.length ? ` Showing ${drawn.length} of ${candidates.length} events (findings' witnesses first, then the earliest).` : "";
  // Causes on the run's start (the initial state) are not worth a mention; capped-out events are.
  let hiddenCauses = 0;
  const engineSeqs = new Set(log.filter((r) => r.actor === "engine").map((r) => r.seq));
  for (const r of drawn) for (const c of r.causes) if (!nodeOf.has(c) && !engineSeqs.has(c)) hiddenCauses++;
  const hidden = hiddenCauses > 0 ? ` ${hiddenCauses} cause lines lead to events not drawn.` : "";
  return `<figure>${svg.join("")}<figcaption class="caption">${esc(`${lanes.length} lanes, ${layout.nodes.length} events, ${layout.edges.length} cause lines.${capped}${hidden}`)} Click a dot to see the event.</figcaption></figure>`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
