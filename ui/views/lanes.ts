// Agent lanes: one row per agent with its machine state over time as coloured bands and its
// commands as ticks (applied, rejected, held, suppressed, documents), plus the time cursor.
// SVG: a run has a few thousand commands at most; the static layer is rebuilt only when the run,
// the width, the selection or the highlight changes, and the cursor line moves every frame.
import { axisBottom } from "d3-axis";
import { scaleLinear, type ScaleLinear } from "d3-scale";
import { select } from "d3-selection";
import { formatTime } from "../../sim/core/units.js";
import type { EventRecord } from "../../sim/log/record.js";
import { describeEvent } from "../../sim/cli/summary.js";
import type { RunPayload } from "../model/payload.js";
import { selectEvent, type Store } from "../state/store.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const LABEL_W = 110;
const ROW_H = 34;
const AXIS_H = 22;
const MARGIN_RIGHT = 12;
const TICK_NUDGE_MAX = 8;

/** How a command tick is drawn; `data-kind` in the DOM. */
export type TickKind = "change" | "document" | "rejected" | "held" | "suppressed" | "duplicate" | "other";

/** States drawn with fixed, reserved colours (and a pattern) so they never look like others. */
const RESERVED: Record<string, { fill: string; pattern: string }> = {
  crashed: { fill: "#1b1f24", pattern: "lanes-crashed" },
  blocked: { fill: "#c2410c", pattern: "lanes-blocked" },
};
/** Light categorical colours for ordinary states (dark text and ticks stay readable on them). */
const PALETTE = ["#a6cee3", "#b2df8a", "#fdd49e", "#cab2d6", "#8dd3c7", "#fbb4ae", "#d9d9d9", "#ffffb3", "#bebada", "#c7e9c0", "#e5d8bd", "#fddaec", "#9ecae1", "#fdae6b", "#bcbddc", "#c6dbef", "#d4b9da", "#ccebc5"];

const TICK_STYLE: Record<TickKind, { label: string; fill: string; stroke: string; dash?: string; width: number }> = {
  change: { label: "knob change", fill: "#0b5cad", stroke: "#0b5cad", width: 3 },
  document: { label: "document write", fill: "#6f42c1", stroke: "#6f42c1", width: 5 },
  rejected: { label: "rejected", fill: "#ffffff", stroke: "#b42318", width: 5 },
  held: { label: "held", fill: "#ffffff", stroke: "#9a6700", width: 5 },
  suppressed: { label: "suppressed", fill: "#ffffff", stroke: "#57606a", dash: "2 1", width: 5 },
  duplicate: { label: "duplicate", fill: "#d0d7de", stroke: "#57606a", width: 4 },
  other: { label: "other", fill: "#57606a", stroke: "#57606a", width: 2 },
};

const TICK_STEPS_MS = [1e3, 5e3, 10e3, 15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3, 1_800e3, 3_600e3, 7_200e3, 10_800e3, 21_600e3, 43_200e3, 86_400e3];

/** Round time-axis ticks (whole seconds, minutes or hours) between `fromMs` and `toMs`, about `count`. Pure. */
export function timeTicks(fromMs: number, toMs: number, count: number): number[] {
  const span = Math.max(1, toMs - fromMs);
  const step = TICK_STEPS_MS.find((s) => span / s <= count) ?? Math.ceil(span / count / 86_400e3) * 86_400e3;
  const ticks: number[] = [];
  for (let t = Math.ceil(fromMs / step) * step; t <= toMs && ticks.length <= count * 2; t += step) ticks.push(t);
  return ticks;
}

/** The tick kind of an agent's record, or null when it is not a command (e.g. a wake). Pure. */
export function tickKind(r: EventRecord): TickKind | null {
  if (r.type === "wake") return null;
  if (r.type === "command.rejected") return "rejected";
  if (r.type === "command.held") return "held";
  if (r.type === "command.suppressed") return "suppressed";
  if (r.type === "command.duplicate") return "duplicate";
  if (r.type.startsWith("document.")) return "document";
  if (typeof r.data.knob === "string" && r.data.to !== undefined) return "change";
  return "other";
}

interface Band {
  agent: string;
  state: string;
  from: number;
  to: number;
}

/** Each agent's state intervals from the run's state changes (zero-length ones dropped). Pure. */
export function stateBands(run: RunPayload): Band[] {
  const byAgent = new Map<string, { t: number; state: string }[]>();
  for (const a of run.agents) byAgent.set(a, []);
  for (const s of run.agentStates) (byAgent.get(s.agent) ?? byAgent.set(s.agent, []).get(s.agent)!).push(s);
  const bands: Band[] = [];
  for (const [agent, changes] of byAgent) {
    // Stable by time: several changes at one instant keep their logged order, the last wins.
    const sorted = changes.map((c, i) => ({ ...c, i })).sort((a, b) => a.t - b.t || a.i - b.i);
    for (let k = 0; k < sorted.length; k++) {
      const to = k + 1 < sorted.length ? sorted[k + 1].t : run.durationMs;
      if (to > sorted[k].t) bands.push({ agent, state: sorted[k].state, from: sorted[k].t, to });
    }
  }
  return bands;
}

/** Mounts the agent lanes into `root`; re-renders from `store`. */
export function mountLanes(root: HTMLElement, store: Store): void {
  root.innerHTML = `<h2>Agent lanes</h2><div class="lanes-legend" data-testid="lanes-legend"></div><div class="lanes-body"></div>`;
  const legend = root.querySelector<HTMLDivElement>(".lanes-legend")!;
  const body = root.querySelector<HTMLDivElement>(".lanes-body")!;
  let shownRun: RunPayload | undefined;
  let shownWidth = 0;
  let x: ScaleLinear<number, number> = scaleLinear();
  let cursor: SVGLineElement | undefined;
  let ticksBySeq = new Map<number, SVGRectElement>();
  let ticksByAgent = new Map<string, number[]>();
  let selected: number | null = null;
  let highlighted: ReadonlySet<number> = new Set();

  const width = (): number => Math.max(320, body.clientWidth || root.clientWidth - 20 || 800);

  const build = (run: RunPayload): void => {
    shownRun = run;
    shownWidth = width();
    const agents = run.agents.length > 0 ? run.agents : Array.from(new Set(run.agentStates.map((s) => s.agent)));
    const bands = stateBands(run);
    const stateColour = colourStates(bands.map((b) => b.state));
    x = scaleLinear().domain([0, Math.max(1, run.durationMs)]).range([LABEL_W, shownWidth - MARGIN_RIGHT]);
    const height = agents.length * ROW_H + AXIS_H;

    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("width", String(shownWidth));
    svg.setAttribute("height", String(height));
    svg.setAttribute("role", "group");
    svg.setAttribute("aria-label", "Agent states and commands over time");
    svg.innerHTML = `<defs>
      <pattern id="lanes-crashed" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${RESERVED.crashed.fill}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#f85149" stroke-width="2"/></pattern>
      <pattern id="lanes-blocked" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="6" height="6" fill="${RESERVED.blocked.fill}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fde68a" stroke-width="2"/></pattern>
    </defs>`;

    ticksBySeq = new Map();
    ticksByAgent = new Map();
    const rowOf = new Map<string, SVGGElement>();
    agents.forEach((agent, i) => {
      const g = document.createElementNS(SVG_NS, "g");
      g.dataset.agent = agent;
      g.setAttribute("transform", `translate(0,${i * ROW_H})`);
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "group");
      g.setAttribute("aria-label", `${agent}: [ and ] select its previous and next command`);
      g.classList.add("lanes-row");
      const label = document.createElementNS(SVG_NS, "text");
      label.setAttribute("x", "4");
      label.setAttribute("y", String(ROW_H / 2 + 4));
      label.textContent = agent.length > 15 ? `${agent.slice(0, 14)}…` : agent;
      label.classList.add("lanes-label");
      const title = document.createElementNS(SVG_NS, "title");
      title.textContent = agent;
      label.append(title);
      g.append(label);
      svg.append(g);
      rowOf.set(agent, g);
      ticksByAgent.set(agent, []);
    });

    for (const b of bands) {
      const g = rowOf.get(b.agent);
      if (!g) continue;
      const rect = document.createElementNS(SVG_NS, "rect");
      const reserved = RESERVED[b.state];
      rect.setAttribute("x", String(x(b.from)));
      rect.setAttribute("y", "17");
      rect.setAttribute("width", String(Math.max(1, x(b.to) - x(b.from))));
      rect.setAttribute("height", "14");
      rect.setAttribute("fill", reserved ? `url(#${reserved.pattern})` : stateColour.get(b.state)!);
      rect.dataset.state = b.state;
      rect.dataset.from = String(b.from);
      rect.dataset.to = String(b.to);
      const title = document.createElementNS(SVG_NS, "title");
      title.textContent = `${b.agent}: ${b.state} ${formatTime(b.from)} – ${formatTime(b.to)}`;
      rect.append(title);
      g.append(rect);
    }

    const agentSet = new Set(agents);
    // Commands at the same instant would hide each other: each is nudged right of the previous
    // one in its row, by at most TICK_NUDGE_MAX px, so every tick stays clickable nearby.
    const rightEdge = new Map<string, number>();
    for (const r of run.log) {
      if (!agentSet.has(r.actor)) continue;
      const kind = tickKind(r);
      if (kind === null) continue;
      const style = TICK_STYLE[kind];
      const rect = document.createElementNS(SVG_NS, "rect");
      const exact = x(r.t) - style.width / 2;
      const free = (rightEdge.get(r.actor) ?? -Infinity) + 0.5;
      const left = free > exact && free - exact <= TICK_NUDGE_MAX ? free : exact;
      rightEdge.set(r.actor, Math.max(rightEdge.get(r.actor) ?? -Infinity, left + style.width));
      rect.setAttribute("x", String(left));
      rect.setAttribute("y", "2");
      rect.setAttribute("width", String(style.width));
      rect.setAttribute("height", "13");
      rect.setAttribute("fill", style.fill);
      rect.setAttribute("stroke", style.stroke);
      rect.setAttribute("stroke-width", kind === "change" || kind === "other" ? "0" : "1.5");
      if (style.dash) rect.setAttribute("stroke-dasharray", style.dash);
      rect.dataset.seq = String(r.seq);
      rect.dataset.kind = kind;
      rect.dataset.type = r.type;
      rect.dataset.t = String(r.t);
      rect.classList.add("lanes-tick");
      const title = document.createElementNS(SVG_NS, "title");
      title.textContent = describeEvent(r, run.log);
      rect.append(title);
      rowOf.get(r.actor)!.append(rect);
      ticksBySeq.set(r.seq, rect);
      ticksByAgent.get(r.actor)!.push(r.seq);
    }

    const axis = document.createElementNS(SVG_NS, "g");
    axis.setAttribute("transform", `translate(0,${agents.length * ROW_H + 2})`);
    axis.classList.add("lanes-axis");
    svg.append(axis);
    select(axis).call(
      axisBottom(x)
        .tickValues(timeTicks(0, run.durationMs, Math.max(2, Math.floor((shownWidth - LABEL_W) / 80))))
        .tickFormat((d) => formatTime(Number(d))),
    );

    cursor = document.createElementNS(SVG_NS, "line");
    cursor.setAttribute("y1", "0");
    cursor.setAttribute("y2", String(agents.length * ROW_H));
    cursor.classList.add("lanes-cursor");
    cursor.dataset.testid = "lanes-cursor";
    svg.append(cursor);

    svg.addEventListener("click", (e) => {
      const seq = (e.target as Element).closest?.("[data-seq]")?.getAttribute("data-seq");
      if (seq != null) selectEvent(store, Number(seq));
    });
    svg.addEventListener("keydown", (e) => {
      const row = (e.target as Element).closest?.("[data-agent]") as SVGGElement | null;
      if (!row || (e.key !== "[" && e.key !== "]" && e.key !== "Enter")) return;
      e.preventDefault();
      const seqs = ticksByAgent.get(row.dataset.agent!) ?? [];
      if (seqs.length === 0) return;
      const s = store.get();
      const log = s.run!.log;
      // Relative to the selected command when it is this agent's, else to the cursor.
      const at = s.selectedSeq !== null && seqs.includes(s.selectedSeq) ? seqs.indexOf(s.selectedSeq) : -1;
      let next: number;
      if (e.key === "Enter") next = at >= 0 ? seqs[at] : (seqs.find((q) => log[q].t >= s.cursorMs) ?? seqs[seqs.length - 1]);
      else if (at >= 0) next = seqs[Math.max(0, Math.min(seqs.length - 1, at + (e.key === "]" ? 1 : -1)))];
      else if (e.key === "]") next = seqs.find((q) => log[q].t > s.cursorMs) ?? seqs[seqs.length - 1];
      else next = [...seqs].reverse().find((q) => log[q].t < s.cursorMs) ?? seqs[0];
      selectEvent(store, next);
    });

    body.replaceChildren(svg);
    legend.replaceChildren(...legendItems(stateColour, bands), ...tickLegendItems(run, agentSet));
    root.dataset.agents = String(agents.length);
    root.dataset.ticks = String(ticksBySeq.size);
    selected = null;
    highlighted = new Set();
  };

  const mark = (s: { selectedSeq: number | null; highlighted: ReadonlySet<number> }): void => {
    if (selected !== null) ticksBySeq.get(selected)?.removeAttribute("data-selected");
    for (const seq of highlighted) ticksBySeq.get(seq)?.removeAttribute("data-highlighted");
    selected = s.selectedSeq;
    highlighted = s.highlighted;
    if (selected !== null) ticksBySeq.get(selected)?.setAttribute("data-selected", "true");
    for (const seq of highlighted) ticksBySeq.get(seq)?.setAttribute("data-highlighted", "true");
    root.dataset.selectedSeq = selected === null ? "" : String(selected);
  };

  store.subscribe((s, prev) => {
    if (!s.run) {
      if (shownRun) body.replaceChildren();
      shownRun = undefined;
      legend.replaceChildren();
      body.textContent = s.status === "running" ? "" : "No run yet.";
      return;
    }
    const rebuilt = s.run !== shownRun;
    if (rebuilt) build(s.run);
    if (rebuilt || s.selectedSeq !== prev.selectedSeq || s.highlighted !== prev.highlighted || s.selectedSeq !== selected) mark(s);
    if (cursor) {
      const cx = String(x(Math.min(s.cursorMs, s.run.durationMs)));
      cursor.setAttribute("x1", cx);
      cursor.setAttribute("x2", cx);
    }
  });

  // Rebuild on width changes (not height: the rows fix it).
  new ResizeObserver(() => {
    const s = store.get();
    if (s.run && Math.abs(width() - shownWidth) > 4) {
      shownRun = undefined;
      build(s.run);
      mark(s);
      const cx = String(x(s.cursorMs));
      cursor?.setAttribute("x1", cx);
      cursor?.setAttribute("x2", cx);
    }
  }).observe(body);
}

/** A colour per ordinary state name, in order of first appearance (reserved ones excluded). */
function colourStates(states: string[]): Map<string, string> {
  const colours = new Map<string, string>();
  for (const s of states) {
    if (colours.has(s)) continue;
    colours.set(s, RESERVED[s]?.fill ?? PALETTE[Array.from(colours.keys()).filter((k) => !RESERVED[k]).length % PALETTE.length]);
  }
  return colours;
}

function legendItems(colours: Map<string, string>, bands: Band[]): HTMLElement[] {
  const present = new Set(bands.map((b) => b.state));
  return Array.from(colours.keys())
    .filter((s) => present.has(s))
    .map((state) => {
      const item = document.createElement("span");
      item.className = "lanes-legend-item";
      item.dataset.legendState = state;
      const swatch = document.createElement("span");
      swatch.className = `lanes-swatch${RESERVED[state] ? ` lanes-swatch-${state}` : ""}`;
      swatch.style.background = colours.get(state)!;
      item.append(swatch, state);
      return item;
    });
}

function tickLegendItems(run: RunPayload, agents: Set<string>): HTMLElement[] {
  const kinds = new Set<TickKind>();
  for (const r of run.log) {
    if (!agents.has(r.actor)) continue;
    const k = tickKind(r);
    if (k) kinds.add(k);
  }
  return (Object.keys(TICK_STYLE) as TickKind[])
    .filter((k) => kinds.has(k))
    .map((k) => {
      const style = TICK_STYLE[k];
      const item = document.createElement("span");
      item.className = "lanes-legend-item";
      item.dataset.legendKind = k;
      const swatch = document.createElement("span");
      swatch.className = "lanes-tick-swatch";
      swatch.style.background = style.fill;
      swatch.style.border = `1.5px ${style.dash ? "dashed" : "solid"} ${style.stroke}`;
      item.append(swatch, style.label);
      return item;
    });
}
