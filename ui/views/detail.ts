// The selected event: its record, its causes chain in words, its root causes, and its causal
// neighbourhood as a small layered DAG (ancestors left, descendants right) in SVG. Re-renders
// only when the selection or the run changes (a streaming run: when it completes); one causal
// graph is built per run and cached.
import { buildCausalGraph, neighbourhoodLayout, type CausalGraph } from "../../sim/causal/index.js";
import { describeEvent } from "../../sim/cli/summary.js";
import { formatTime } from "../../sim/core/units.js";
import { ROOT_ORDER } from "../../sim/detect/action-rank.js";
import type { EventRecord, JsonValue } from "../../sim/log/record.js";
import type { RunPayload } from "../model/payload.js";
import { selectEvent, type Store } from "../state/store.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const CAUSE_DEPTH = 3;
const CAUSE_LINES_MAX = 40;
const BOX_W = 132;
const BOX_H = 34;
const GAP_X = 36;
const GAP_Y = 10;
/** Cause edges shown each way from the selected event: more makes the DAG wider than any panel. */
const DAG_HOPS = 2;
const DAG_NODES = 30;
/** The DAG shrinks to fit its box, but no smaller than this (11 px labels stay readable at ~8 px). */
const DAG_SCALE_MIN = 0.72;

const graphs = new WeakMap<RunPayload, CausalGraph>();

/** The run's causal graph, built once per run. */
export function graphOf(run: RunPayload): CausalGraph {
  let graph = graphs.get(run);
  if (!graph) {
    graph = buildCausalGraph(run.log, { agents: run.agents, findings: run.findings });
    graphs.set(run, graph);
  }
  return graph;
}

/** One line of the causes chain: a cause at `level` (1 = a direct cause). */
export interface CauseLine {
  seq: number;
  level: number;
  text: string;
  /** Already listed above (its own causes are not repeated). */
  again: boolean;
}

/**
 * The causes of `seq` as a tree in words, depth first, up to `depth` levels and `max` lines,
 * as `crossfire explain` prints them; run.started (seq 0) is left out. Pure.
 */
export function causeLines(log: readonly EventRecord[], seq: number, depth = CAUSE_DEPTH, max = CAUSE_LINES_MAX): CauseLine[] {
  const lines: CauseLine[] = [];
  const shown = new Set<number>();
  const walk = (s: number, level: number): void => {
    for (const c of log[s].causes) {
      if (c <= 0 || lines.length >= max) continue;
      const again = shown.has(c);
      lines.push({ seq: c, level, text: describeEvent(log[c], log).split("; caused by")[0], again });
      if (again) continue;
      shown.add(c);
      if (level < depth) walk(c, level + 1);
    }
  };
  walk(seq, 1);
  return lines;
}

/** Mounts the event detail into `root`; re-renders from `store`. */
export function mountDetail(root: HTMLElement, store: Store): void {
  root.innerHTML = `<h2>Selected event</h2><div class="detail-body"></div>`;
  const body = root.querySelector<HTMLDivElement>(".detail-body")!;
  let shownRun: RunPayload | undefined;
  let shownSeq: number | null | undefined;
  /** Re-fits the shown DAG to its box (after a resize); undefined when none is shown. */
  let refit: (() => void) | undefined;
  new ResizeObserver(() => refit?.()).observe(body);

  body.addEventListener("click", (e) => {
    const target = (e.target as Element).closest?.("[data-goto]");
    if (target) selectEvent(store, Number(target.getAttribute("data-goto")));
  });
  body.addEventListener("keydown", (e) => {
    const target = (e.target as Element).closest?.("[data-goto]");
    if (target && target.tagName.toLowerCase() === "g" && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      selectEvent(store, Number(target.getAttribute("data-goto")));
    }
  });

  store.subscribe((s) => {
    if (s.run === shownRun && s.selectedSeq === shownSeq) return;
    // A streaming run's updates (same runId) re-render only when it completes: the causal
    // graph is rebuilt per run object, an O(records) job not worth redoing every chunk.
    const grown = shownRun !== undefined && s.run !== undefined && s.run !== shownRun && s.run.runId === shownRun.runId;
    if (grown && s.selectedSeq === shownSeq && !(s.run!.complete && !shownRun!.complete)) {
      shownRun = s.run;
      return;
    }
    shownRun = s.run;
    shownSeq = s.selectedSeq;
    refit = undefined;
    if (!s.run) {
      root.dataset.seq = "";
      body.textContent = s.status === "running" ? "" : "No run yet.";
      return;
    }
    if (s.selectedSeq === null || !s.run.log[s.selectedSeq]) {
      root.dataset.seq = "";
      body.innerHTML = `<p class="detail-empty">Select an event: click a tick in the agent lanes, a dot in the causal graph, a finding or a row of the event table.</p>`;
      return;
    }
    render(s.run, s.selectedSeq);
  });

  const render = (run: RunPayload, seq: number): void => {
    const log = run.log;
    const r = log[seq];
    const graph = graphOf(run);
    root.dataset.seq = String(seq);
    body.replaceChildren();

    const heading = el("p", "detail-summary", describeEvent(r, log).split("; caused by")[0]);
    heading.dataset.testid = "detail-summary";
    body.append(heading);

    const dl = el("dl", "detail-record");
    dl.dataset.testid = "record";
    const row = (name: string, value: string, field: string, title?: string): void => {
      const dt = el("dt", "", name);
      const dd = el("dd", "mono", value);
      dd.dataset.field = field;
      if (title) dd.title = title;
      dl.append(dt, dd);
    };
    row("seq", `#${r.seq}`, "seq");
    row("time", formatTime(r.t), "time");
    row("actor", r.actor, "actor");
    if (r.onBehalfOf) row("on behalf of", r.onBehalfOf, "onBehalfOf");
    if (r.target) row("target", r.target, "target");
    row("type", r.type, "type");
    if (r.data.from !== undefined || r.data.to !== undefined) row(typeof r.data.knob === "string" ? `${r.data.knob}` : "change", `${show(r.data.from)} -> ${show(r.data.to)}`, "change");
    for (const [key, value] of Object.entries(r.data)) {
      if (key === "from" || key === "to" || key === "knob") continue;
      row(key, show(value), `data.${key}`);
    }
    row("hash", r.hash.slice(0, 16), "hash", r.hash);
    row("prev", r.prev.slice(0, 16), "prev", r.prev);
    body.append(dl);

    const findings = graph.findingsAt(seq);
    if (findings.length > 0) {
      const p = el("p", "detail-findings", `Witness of ${findings.map((i) => `${run.findings[i].kind}${run.findings[i].knob ? ` on ${run.findings[i].knob}` : ""}`).join(", ")}`);
      p.dataset.testid = "witnessed-findings";
      body.append(p);
    }

    // The causes chain in words.
    const causes = causeLines(log, seq);
    const causesSection = el("section", "detail-causes");
    causesSection.dataset.testid = "causes";
    causesSection.append(el("h3", "", causes.length === 0 ? "Why: nothing earlier caused it (a root: a fault, a timer or a workload change)" : `Why (causes, up to ${CAUSE_DEPTH} levels)`));
    if (causes.length > 0) {
      const ul = el("ul", "detail-list");
      for (const c of causes) {
        const li = el("li", "");
        li.style.paddingLeft = `${(c.level - 1) * 14}px`;
        const b = button(`${c.text}${c.again ? "  (see above)" : ""}`, c.seq);
        b.dataset.causeSeq = String(c.seq);
        b.dataset.level = String(c.level);
        li.append(b);
        ul.append(li);
      }
      causesSection.append(ul);
    }
    body.append(causesSection);

    // Root causes.
    const roots = graph.rootCauses(seq);
    const rootsSection = el("section", "detail-roots");
    rootsSection.dataset.testid = "root-causes";
    rootsSection.append(el("h3", "", roots.length === 0 ? "Root causes: none found among its ancestors" : `Root causes (${ROOT_ORDER})`));
    if (roots.length > 0) {
      const ol = el("ul", "detail-list");
      for (const [i, root] of roots.entries()) {
        const li = el("li", "");
        const b = button(`${i + 1}. #${root.seq} ${formatTime(root.t)} ${root.actor} (${root.kind}, ${root.depth} step${root.depth === 1 ? "" : "s"} back): ${root.reason}`, root.seq);
        b.dataset.rootSeq = String(root.seq);
        b.dataset.rootKind = root.kind;
        li.append(b);
        ol.append(li);
      }
      rootsSection.append(ol);
    }
    body.append(rootsSection);

    const dag = neighbourhood(run, graph, seq);
    body.append(dag.figure);
    refit = dag.fit;
    dag.fit();
  };
}

/**
 * The layered neighbourhood of `seq` as SVG boxes and edges, in a scrollable figure, and `fit`,
 * which (once the figure is in the page) scales the drawing down to its box's width, to no less
 * than DAG_SCALE_MIN, and scrolls the selected event's box to the middle of the view.
 */
function neighbourhood(run: RunPayload, graph: CausalGraph, seq: number): { figure: HTMLElement; fit: () => void } {
  const layout = neighbourhoodLayout(graph, seq, { omitEngine: true, up: DAG_HOPS, down: DAG_HOPS, maxNodes: DAG_NODES });
  const figure = el("figure", "detail-neighbourhood");
  figure.dataset.testid = "neighbourhood";
  figure.dataset.nodes = String(layout.nodes.length);
  const caption = el("figcaption", "", `Neighbourhood: ${layout.nodes.length} events, causes left, effects right${layout.dropped ? `; ${layout.dropped} more left out` : ""}`);
  const layerMin = layout.layers.length > 0 ? layout.layers[0].layer : 0;
  const rowsMax = Math.max(1, ...layout.layers.map((l) => l.seqs.length));
  const width = layout.layers.length * (BOX_W + GAP_X) - GAP_X + 8;
  const height = rowsMax * (BOX_H + GAP_Y) - GAP_Y + 8;
  const pos = new Map<number, { x: number; y: number }>();
  for (const n of layout.nodes) {
    const count = layout.layers[n.layer - layerMin].seqs.length;
    // Layers are centred vertically so short ones sit in the middle.
    const offset = ((rowsMax - count) * (BOX_H + GAP_Y)) / 2;
    pos.set(n.seq, { x: 4 + (n.layer - layerMin) * (BOX_W + GAP_X), y: 4 + offset + n.order * (BOX_H + GAP_Y) });
  }
  const svg = document.createElementNS(SVG_NS, "svg");
  const naturalW = Math.max(width, BOX_W + 8);
  svg.setAttribute("viewBox", `0 0 ${naturalW} ${height}`);
  svg.setAttribute("width", String(naturalW));
  svg.setAttribute("height", String(height));
  svg.setAttribute("role", "group");
  svg.setAttribute("aria-label", `Causal neighbourhood of event ${seq}`);
  svg.innerHTML = `<defs><marker id="detail-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#57606a"/></marker></defs>`;
  for (const e of layout.edges) {
    const a = pos.get(e.from)!;
    const b = pos.get(e.to)!;
    const x1 = a.x + BOX_W;
    const y1 = a.y + BOX_H / 2;
    const x2 = b.x;
    const y2 = b.y + BOX_H / 2;
    const mid = (x1 + x2) / 2;
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`);
    path.setAttribute("class", "detail-edge");
    path.setAttribute("marker-end", "url(#detail-arrow)");
    path.dataset.from = String(e.from);
    path.dataset.to = String(e.to);
    svg.append(path);
  }
  for (const n of layout.nodes) {
    const r = run.log[n.seq];
    const p = pos.get(n.seq)!;
    const g = document.createElementNS(SVG_NS, "g");
    g.setAttribute("transform", `translate(${p.x},${p.y})`);
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("class", `detail-node${n.seq === seq ? " detail-node-center" : ""}${r.type === "command.rejected" ? " detail-node-rejected" : ""}`);
    g.dataset.nodeSeq = String(n.seq);
    g.dataset.goto = String(n.seq);
    g.dataset.layer = String(n.layer);
    const rect = document.createElementNS(SVG_NS, "rect");
    rect.setAttribute("width", String(BOX_W));
    rect.setAttribute("height", String(BOX_H));
    rect.setAttribute("rx", "4");
    const line1 = document.createElementNS(SVG_NS, "text");
    line1.setAttribute("x", "5");
    line1.setAttribute("y", "14");
    line1.textContent = clip(`#${r.seq} ${r.actor}`, 21);
    const line2 = document.createElementNS(SVG_NS, "text");
    line2.setAttribute("x", "5");
    line2.setAttribute("y", "28");
    line2.setAttribute("class", "detail-node-type");
    line2.textContent = clip(`${formatTime(r.t)} ${r.type}`, 24);
    const title = document.createElementNS(SVG_NS, "title");
    title.textContent = describeEvent(r, run.log);
    g.append(title, rect, line1, line2);
    svg.append(g);
  }
  const scroller = el("div", "detail-dag");
  scroller.append(svg);
  figure.append(caption, scroller);
  const centre = pos.get(seq)!;
  const fit = (): void => {
    const boxW = scroller.clientWidth;
    if (boxW === 0) return; // not laid out (a collapsed panel): fitted when it shows
    const scale = Math.max(DAG_SCALE_MIN, Math.min(1, (boxW - 2) / naturalW));
    svg.setAttribute("width", (naturalW * scale).toFixed(1));
    svg.setAttribute("height", (height * scale).toFixed(1));
    figure.dataset.scale = scale.toFixed(3);
    scroller.scrollLeft = Math.max(0, (centre.x + BOX_W / 2) * scale - boxW / 2);
    scroller.scrollTop = Math.max(0, (centre.y + BOX_H / 2) * scale - scroller.clientHeight / 2);
  };
  return { figure, fit };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(text: string, seq: number): HTMLButtonElement {
  const b = el("button", "detail-link", text);
  b.type = "button";
  b.dataset.goto = String(seq);
  return b;
}

function show(value: JsonValue | undefined): string {
  if (value === undefined) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

function clip(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}
