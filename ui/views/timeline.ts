// Timeline: small multiples of the selected components' signals over the whole run, with finding
// bands, fault markers and a time cursor; click or drag on a chart (or use the arrow keys on it)
// to scrub. The frame (axes, grid, bands) is drawn once per run, size or component selection; a
// streaming run only extends the lines. The cursor is a div on its own compositor layer, so
// moving it repaints no chart; it also rewrites the values next to the titles when they change.
import { axisBottom, axisLeft } from "d3-axis";
import { scaleLinear, type ScaleLinear } from "d3-scale";
import { schemeTableau10 } from "d3-scale-chromatic";
import { select } from "d3-selection";
import { formatTime } from "../../sim/core/units.js";
import type { EventRecord } from "../../sim/log/record.js";
import type { RunPayload, TelemetryPayload } from "../model/payload.js";
import { sampleAt } from "../model/payload.js";
import { selectEvent, selectFinding, type AppState, type Store } from "../state/store.js";
import { ColumnReducer } from "./timeline-series.js";

const SVG_NS = "http://www.w3.org/2000/svg";

interface SignalSpec {
  signal: string;
  label: string;
  format: (v: number) => string;
}

/** The charts, top to bottom. */
const SIGNALS: readonly SignalSpec[] = [
  { signal: "errorRate", label: "Error rate", format: (v) => `${(v * 100).toFixed(v < 0.01 && v > 0 ? 2 : 1)}%` },
  { signal: "latencyMsP95", label: "Latency p95 (ms)", format: (v) => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms` },
  { signal: "loadRps", label: "Load (rps)", format: (v) => `${Math.round(v)}/s` },
  { signal: "replicas", label: "Replicas", format: (v) => String(Math.round(v)) },
  { signal: "costPerHour", label: "Cost per hour", format: (v) => `$${v.toFixed(2)}` },
];

/** How many components are shown by default (more make the small multiples unreadable). */
const DEFAULT_COMPONENTS_MAX = 4;
const CHART_HEIGHT = 78;
const MARGIN = { top: 6, right: 12, bottom: 4, left: 52 };
const STRIP_ROW_HEIGHT = 12;
const WIDTH_MIN = 320;

/** Mounts the timeline into `root`; it follows `store` from then on. */
export function mountTimeline(root: HTMLElement, store: Store): void {
  root.innerHTML = `<h2>Timeline</h2>
    <div class="tl-toggles" role="group" aria-label="Components shown"></div>
    <div class="tl-body"><p class="tl-empty">No run yet.</p></div>`;
  const toggles = root.querySelector<HTMLDivElement>(".tl-toggles")!;
  const body = root.querySelector<HTMLDivElement>(".tl-body")!;

  let run: RunPayload | undefined;
  let selected: string[] = [];
  /** True once the user toggled a component: the default choice no longer follows the data. */
  let picked = false;
  /** The body's width as the ResizeObserver last reported it (0: not yet). */
  let width = 0;
  let faults = new FaultScanner();
  /** Cursor-dependent parts of the current drawing; rebuilt with it. */
  let drawing: Drawing | undefined;

  const rebuild = () => {
    // Read once, only before the first resize report: reading layout here would force it.
    if (width === 0) width = Math.max(WIDTH_MIN, Math.floor(body.clientWidth || root.clientWidth || 800));
    if (run) faults.scan(run.log, run.durationMs);
    drawing = run ? draw(body, run, selected, faults.spans, width, store, faults.notes) : undefined;
    if (!run) body.innerHTML = `<p class="tl-empty">No run yet.</p>`;
    root.dataset.components = selected.join(",");
    if (drawing) drawing.update(store.get().cursorMs, store.get().selectedFinding);
  };

  const renderToggles = () => {
    toggles.innerHTML = "";
    if (!run) return;
    run.telemetry.componentIds.forEach((id, i) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "tl-toggle";
      button.dataset.component = id;
      button.setAttribute("aria-pressed", String(selected.includes(id)));
      button.innerHTML = `<span class="tl-swatch" style="background:${colour(i)}"></span>`;
      button.append(id);
      button.addEventListener("click", () => {
        // Keep the telemetry's order so colours and stacking do not depend on click order.
        const next = new Set(selected);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        selected = run!.telemetry.componentIds.filter((c) => next.has(c));
        picked = true;
        button.setAttribute("aria-pressed", String(next.has(id)));
        rebuild();
      });
      toggles.append(button);
    });
  };

  const markToggles = () => {
    for (const button of Array.from(toggles.querySelectorAll<HTMLButtonElement>("button[data-component]"))) button.setAttribute("aria-pressed", String(selected.includes(button.dataset.component!)));
  };

  store.subscribe((s, previous) => {
    if (s.run !== run) {
      const grown = run !== undefined && s.run !== undefined && s.run.runId === run.runId;
      run = s.run;
      if (!grown) {
        picked = false;
        faults = new FaultScanner();
        selected = run ? defaultComponents(run.telemetry) : [];
        renderToggles();
        rebuild();
        return;
      }
      // The same run with more records (streaming) or its verdict: extend what is drawn.
      if (!picked) {
        const next = defaultComponents(run!.telemetry);
        if (next.join() !== selected.join()) {
          selected = next;
          markToggles();
          rebuild();
          return;
        }
      }
      const faultsChanged = faults.scan(run!.log, run!.durationMs);
      if (!drawing || !drawing.grow(run!, faultsChanged)) rebuild();
      else drawing.update(s.cursorMs, s.selectedFinding);
      return;
    }
    if (drawing && (s.cursorMs !== previous.cursorMs || s.selectedFinding !== previous.selectedFinding)) drawing.update(s.cursorMs, s.selectedFinding);
  });

  // Redraw when the panel's width changes (window resize, layout settling); never per frame.
  let pending = 0;
  new ResizeObserver((entries) => {
    const next = Math.max(WIDTH_MIN, Math.floor(entries[entries.length - 1].contentRect.width));
    if (Math.abs(next - width) <= 4) return;
    width = next;
    if (pending || !run) return;
    pending = requestAnimationFrame(() => {
      pending = 0;
      if (run) rebuild();
    });
  }).observe(body);
}

/**
 * Components with load or replicas at some point, at most DEFAULT_COMPONENTS_MAX, in telemetry
 * order; the first components when none qualifies. Pure.
 */
export function defaultComponents(t: TelemetryPayload): string[] {
  const load = t.signalNames.indexOf("loadRps");
  const replicas = t.signalNames.indexOf("replicas");
  const width = t.componentIds.length * t.signalNames.length;
  const picked: string[] = [];
  for (let c = 0; c < t.componentIds.length && picked.length < DEFAULT_COMPONENTS_MAX; c++) {
    for (let r = 0; r < t.count; r++) {
      const base = r * width + c * t.signalNames.length;
      if ((load >= 0 && t.values[base + load] > 0) || (replicas >= 0 && t.values[base + replicas] > 0)) {
        picked.push(t.componentIds[c]);
        break;
      }
    }
  }
  return picked.length > 0 ? picked : t.componentIds.slice(0, DEFAULT_COMPONENTS_MAX);
}

interface Drawing {
  update(cursorMs: number, selectedFinding: number | null): void;
  /** Extends the drawing to a grown `run` of the same runId (its faults changed, or not); false when only a rebuild can show it. */
  grow(run: RunPayload, faultsChanged: boolean): boolean;
}

interface FaultSpan {
  id: string;
  target?: string;
  from: number;
  to: number;
}

/** An agent's log annotation as the strip marks it. */
interface LogNote {
  seq: number;
  t: number;
  actor: string;
  message: string;
  warn: boolean;
}

/** Most log annotations the strip marks (the event table lists them all). */
const NOTES_DRAWN_MAX = 2000;

/**
 * `fault.started` .. `fault.ended` pairs from a log that grows at its end (open faults last until
 * the run's end). Each scan reads only the records added since the previous one.
 */
class FaultScanner {
  readonly spans: FaultSpan[] = [];
  /** Agents' log annotations (`agent.logged`), in log order. */
  readonly notes: LogNote[] = [];
  private readonly open = new Map<number, FaultSpan>();
  private scanned = 0;

  /** Reads the new records of `log`; true when a fault started or ended in them. */
  scan(log: readonly EventRecord[], durationMs: number): boolean {
    let changed = false;
    for (let i = this.scanned; i < log.length; i++) {
      const r = log[i];
      if (r.type === "agent.logged") {
        this.notes.push({ seq: r.seq, t: r.t, actor: r.actor, message: typeof r.data.message === "string" ? r.data.message : "", warn: r.data.level === "warn" });
        changed = true;
      } else if (r.type === "fault.started") {
        const span = { id: r.actor, target: r.target, from: r.t, to: durationMs };
        this.open.set(r.seq, span);
        this.spans.push(span);
        changed = true;
      } else if (r.type === "fault.ended") {
        const span = r.causes.map((c) => this.open.get(c)).find((s) => s !== undefined) ?? this.spans.find((s) => s.id === r.actor && s.to === durationMs);
        if (span) {
          span.to = r.t;
          changed = true;
        }
      }
    }
    this.scanned = log.length;
    return changed;
  }
}

/** Greedy interval packing: the row of each interval so that none overlaps in a row. Pure. */
function packRows(intervals: readonly { from: number; to: number }[], minGap: number): number[] {
  const rowEnds: number[] = [];
  const order = intervals.map((_, i) => i).sort((a, b) => intervals[a].from - intervals[b].from);
  const rows: number[] = new Array(intervals.length).fill(0);
  for (const i of order) {
    let row = rowEnds.findIndex((end) => end + minGap <= intervals[i].from);
    if (row < 0) row = rowEnds.push(0) - 1;
    rowEnds[row] = intervals[i].to;
    rows[i] = row;
  }
  return rows;
}

/** The union of `spans` as disjoint spans in time order (overlapping or touching ones merged). Pure. */
function mergeSpans(spans: readonly { from: number; to: number }[]): { from: number; to: number }[] {
  const sorted = spans.map((s) => ({ from: s.from, to: Math.max(s.from, s.to) })).sort((a, b) => a.from - b.from);
  const out: { from: number; to: number }[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push(s);
  }
  return out;
}

function colour(index: number): string {
  return schemeTableau10[index % schemeTableau10.length];
}

/** Tick positions every "nice" duration, about `ticksMax` of them over [0, endMs]. */
function timeTicks(endMs: number, ticksMax: number): number[] {
  const steps = [1e3, 2e3, 5e3, 10e3, 15e3, 30e3, 60e3, 2 * 60e3, 5 * 60e3, 10 * 60e3, 15 * 60e3, 30 * 60e3, 3_600e3, 2 * 3_600e3, 3 * 3_600e3, 6 * 3_600e3, 12 * 3_600e3, 86_400e3];
  const step = steps.find((s) => endMs / s <= ticksMax) ?? Math.ceil(endMs / ticksMax / 86_400e3) * 86_400e3;
  const ticks: number[] = [];
  for (let t = 0; t <= endMs; t += step) ticks.push(t);
  return ticks;
}

/** hh:mm when every tick falls on a whole minute, else hh:mm:ss. */
function tickFormatter(ticks: readonly number[]): (ms: number) => string {
  const wholeMinutes = ticks.every((t) => t % 60_000 === 0);
  return (ms) => (wholeMinutes ? formatTime(Math.round(ms)).slice(0, -3) : formatTime(Math.round(ms)));
}

function svgElement<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  parent?.append(element);
  return element;
}

/**
 * A cursor line over a chart on its own compositor layer (will-change: transform): moving it
 * changes one transform, so the chart under it is neither repainted nor re-rasterized.
 */
function cursorMark(parent: HTMLElement, top: number, height: number): HTMLDivElement {
  const mark = document.createElement("div");
  mark.className = "tl-cursor";
  mark.setAttribute("aria-hidden", "true");
  mark.style.top = `${top}px`;
  mark.style.height = `${height}px`;
  parent.append(mark);
  return mark;
}

/** One chart's growing parts: its y scale and axis, its shades, and a line per component. */
interface Chart {
  spec: SignalSpec;
  svg: SVGSVGElement;
  shades: SVGGElement;
  columns: number[];
  lines: { element: SVGPolylineElement; reducer: ColumnReducer; column: number }[];
  yAxis: SVGGElement;
  y: ScaleLinear<number, number>;
  /** The largest value read so far (NaN: none read yet), and how many samples were read. */
  yMax: number;
  scanned: number;
}

/**
 * Draws the frame for one run, width and component selection, the marks (finding bands and
 * faults) and the lines so far; returns the updater, which also extends them as the run grows.
 */
function draw(body: HTMLElement, run: RunPayload, components: readonly string[], faults: readonly FaultSpan[], width: number, store: Store, notes: readonly LogNote[] = []): Drawing {
  body.innerHTML = "";
  let t = run.telemetry;
  let findings = run.findings;
  const endMs = Math.max(1, run.durationMs);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const x = scaleLinear().domain([0, endMs]).range([MARGIN.left, MARGIN.left + plotWidth]).clamp(true);
  // The same mapping without d3's generality, for the per-sample loops.
  const xOf = (ms: number) => MARGIN.left + (Math.min(endMs, Math.max(0, ms)) / endMs) * plotWidth;
  const ticks = timeTicks(endMs, Math.max(2, Math.floor(plotWidth / 90)));
  const tickLabel = tickFormatter(ticks);
  const rowWidth = t.componentIds.length * t.signalNames.length;
  const componentIndexes = components.map((c) => t.componentIds.indexOf(c)).filter((c) => c >= 0);
  const cursors: HTMLDivElement[] = [];
  const valueUpdaters: ((row: number) => void)[] = [];
  const charts: Chart[] = [];
  let bandElements: SVGGElement[] = [];

  const stripPlot = document.createElement("div");
  // Many overlapping findings stack into many rows (43 on the 100 k benchmark run): the strip scrolls past ~10.
  stripPlot.className = "tl-plot tl-strip-plot";
  body.append(stripPlot);

  for (const spec of SIGNALS) {
    const s = t.signalNames.indexOf(spec.signal);
    if (s < 0) continue;
    const figure = document.createElement("figure");
    figure.className = "tl-chart";
    figure.dataset.signal = spec.signal;
    const caption = document.createElement("figcaption");
    const title = document.createElement("span");
    title.className = "tl-title";
    title.textContent = spec.label;
    const value = document.createElement("span");
    value.className = "tl-value mono";
    caption.append(title, value);
    const plot = document.createElement("div");
    plot.className = "tl-plot";
    figure.append(caption, plot);
    body.append(figure);

    const height = CHART_HEIGHT;
    const svg = svgElement("svg", { width, height, role: "slider", tabindex: 0, "aria-label": `${spec.label} over time; click, drag or use the arrow keys to move the cursor`, "aria-valuemin": 0, "aria-valuemax": endMs }, plot);
    const columns = componentIndexes.map((c) => c * t.signalNames.length + s);
    // Shades (findings and faults over the plot, under the lines) are drawn with the strip.
    const shades = svgElement("g", { class: "tl-shades" }, svg);
    const grid = svgElement("g", { class: "tl-grid" }, svg);
    for (const tick of ticks) svgElement("line", { x1: x(tick), x2: x(tick), y1: MARGIN.top, y2: height - MARGIN.bottom }, grid);
    const yAxis = svgElement("g", { class: "tl-axis", transform: `translate(${MARGIN.left},0)` }, svg);
    const linesGroup = svgElement("g", { class: "tl-lines" }, svg);
    const lines = componentIndexes.map((c, k) => {
      const element = svgElement("polyline", { class: "tl-line", points: "", stroke: colour(c), "data-component": t.componentIds[c] }, linesGroup);
      svgElement("title", {}, element).textContent = `${t.componentIds[c]} ${spec.label}`;
      return { element, reducer: new ColumnReducer(), column: columns[k] };
    });
    charts.push({ spec, svg, shades, columns, lines, yAxis, y: scaleLinear().range([height - MARGIN.bottom, MARGIN.top]), yMax: Number.NaN, scanned: 0 });
    cursors.push(cursorMark(plot, MARGIN.top, height - MARGIN.top - MARGIN.bottom));
    attachScrub(svg, x, endMs, store);

    // One span per component, its text rewritten only when its value changes.
    const spans = componentIndexes.map((c) => {
      const span = document.createElement("span");
      span.dataset.component = t.componentIds[c];
      // The line's colour marks the value (a swatch) but is not its text colour: orange and red
      // text on white read at 2.3:1 and 3.5:1, under WCAG's 4.5:1.
      span.style.setProperty("--series-colour", colour(c));
      value.append(span, " ");
      return span;
    });
    const texts = spans.map(() => "");
    valueUpdaters.push((row) => {
      let changed = false;
      componentIndexes.forEach((c, k) => {
        const v = t.values[row * rowWidth + columns[k]];
        const text = Number.isFinite(v) ? spec.format(v) : "–";
        if (text === texts[k]) return;
        texts[k] = text;
        spans[k].textContent = `${t.componentIds[c]} ${text}`;
        changed = true;
      });
      if (changed) value.dataset.value = componentIndexes.map((c, k) => `${t.componentIds[c]}=${texts[k]}`).join(" ");
    });
  }

  const bottom = svgElement("svg", { class: "tl-bottom-axis", width, height: 20 }, body);
  const bottomAxis = svgElement("g", { class: "tl-axis" }, bottom);
  select(bottomAxis).call(axisBottom(x).tickValues(ticks).tickFormat((d) => tickLabel(Number(d))).tickSizeOuter(0));

  /** (Re)draws the event strip (finding bands, clickable; fault markers) and the charts' shades. */
  const drawMarks = () => {
    const intervals = [...findings.map((f) => ({ from: f.from, to: Math.max(f.to, f.from) })), ...faults.map((f) => ({ from: f.from, to: f.to }))];
    const minGapMs = x.invert(MARGIN.left + 3) - x.invert(MARGIN.left);
    const rows = packRows(intervals, minGapMs);
    const intervalRows = Math.max(0, ...rows.map((r) => r + 1));
    // Log annotations are points: one row of markers under the intervals.
    const rowCount = Math.max(1, intervalRows + (notes.length > 0 ? 1 : 0));
    const stripHeight = rowCount * STRIP_ROW_HEIGHT + 22;
    stripPlot.replaceChildren();
    const strip = svgElement("svg", { class: "tl-strip", width, height: stripHeight, role: "group", "aria-label": "Findings, faults and agents' log annotations over time" }, stripPlot);
    svgElement("text", { class: "tl-strip-label", x: MARGIN.left - 6, y: STRIP_ROW_HEIGHT - 2, "text-anchor": "end" }, strip).textContent = findings.length + faults.length + notes.length > 0 ? "events" : "none";
    bandElements = findings.map((f, i) => {
      const x0 = x(f.from);
      const w = Math.max(4, x(f.to) - x0);
      const g = svgElement("g", { class: `tl-band tl-${f.severity}`, tabindex: 0, role: "button", "data-finding-index": i, "data-from": f.from, "data-to": f.to, "data-severity": f.severity, "aria-label": `${f.severity} ${f.kind} finding from ${formatTime(f.from)} to ${formatTime(f.to)}` }, strip);
      svgElement("rect", { x: x0, y: rows[i] * STRIP_ROW_HEIGHT + 2, width: w, height: STRIP_ROW_HEIGHT - 3, rx: 2 }, g);
      svgElement("title", {}, g).textContent = `${f.kind} (${f.severity}) ${formatTime(f.from)}–${formatTime(f.to)}: ${f.explanation[0] ?? ""}`;
      const choose = () => selectFinding(store, i);
      g.addEventListener("click", choose);
      g.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          e.stopPropagation();
          choose();
        }
      });
      return g;
    });
    faults.forEach((f, k) => {
      const row = rows[findings.length + k];
      const x0 = x(f.from);
      const g = svgElement("g", { class: "tl-fault", "data-fault": f.id, "data-from": f.from, "data-to": f.to }, strip);
      svgElement("rect", { x: x0, y: row * STRIP_ROW_HEIGHT + 2, width: Math.max(2, x(f.to) - x0), height: STRIP_ROW_HEIGHT - 3 }, g);
      svgElement("line", { class: "tl-fault-start", x1: x0, x2: x0, y1: 0, y2: stripHeight - 20 }, g);
      svgElement("text", { x: x0 + 3, y: row * STRIP_ROW_HEIGHT + STRIP_ROW_HEIGHT - 2 }, g).textContent = f.id;
      svgElement("title", {}, g).textContent = `fault ${f.id}${f.target ? ` on ${f.target}` : ""} ${formatTime(f.from)}–${formatTime(f.to)}`;
    });
    for (const n of notes.slice(0, NOTES_DRAWN_MAX)) {
      const cx = x(n.t);
      const cy = intervalRows * STRIP_ROW_HEIGHT + STRIP_ROW_HEIGHT / 2;
      const label = `${n.warn ? "warn" : "log"} by ${n.actor} at ${formatTime(n.t)}: ${n.message}`;
      const g = svgElement("g", { class: `tl-log${n.warn ? " tl-log-warn" : ""}`, tabindex: 0, role: "button", "data-seq": n.seq, "data-t": n.t, "aria-label": label }, strip);
      svgElement("path", { d: `M${cx},${cy - 5} L${cx + 5},${cy} L${cx},${cy + 5} L${cx - 5},${cy} Z` }, g);
      // textContent: the message comes from a scenario file and is never parsed as markup.
      svgElement("title", {}, g).textContent = label;
      const choose = () => selectEvent(store, n.seq);
      g.addEventListener("click", choose);
      g.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          e.stopPropagation();
          choose();
        }
      });
    }
    const stripAxis = svgElement("g", { class: "tl-axis", transform: `translate(0,${stripHeight - 20})` }, strip);
    select(stripAxis).call(axisBottom(x).tickValues(ticks).tickFormat((d) => tickLabel(Number(d))).tickSizeOuter(0));
    cursors[0]?.remove();
    cursors[0] = cursorMark(stripPlot, 0, stripHeight - 20);

    const shadeHeight = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
    // One shade per stretch of time a severity covers: dozens of overlapping findings (a thrashing
    // pair per service) would otherwise stack their translucent fills into an opaque one.
    const stretches = Array.from(new Set(findings.map((f) => f.severity)), (severity) => ({ severity, spans: mergeSpans(findings.filter((f) => f.severity === severity)) }));
    for (const chart of charts) {
      chart.shades.replaceChildren();
      for (const { severity, spans } of stretches) for (const f of spans) svgElement("rect", { class: `tl-shade tl-${severity}`, x: x(f.from), width: Math.max(2, x(f.to) - x(f.from)), y: MARGIN.top, height: shadeHeight }, chart.shades);
      for (const f of faults) {
        svgElement("rect", { class: "tl-shade tl-fault-shade", x: x(f.from), width: Math.max(2, x(f.to) - x(f.from)), y: MARGIN.top, height: shadeHeight }, chart.shades);
        svgElement("line", { class: "tl-fault-start", x1: x(f.from), x2: x(f.from), y1: MARGIN.top, y2: CHART_HEIGHT - MARGIN.bottom }, chart.shades);
      }
    }
  };
  let sampleColumns = new Int32Array(0);
  let columnsKnown = 0;
  // The strip's cursor comes first in `cursors` (drawMarks replaces it).
  cursors.unshift(document.createElement("div"));
  drawMarks();

  /**
   * Extends every line to the samples in `t`: new points are appended to the polyline (the last
   * pixel column's are replaced); a chart whose nice y domain changes redraws its axis and lines.
   */
  const extendLines = () => {
    // Each sample's pixel column, shared by every line (the samples' times never change).
    if (sampleColumns.length < t.count) {
      const grown = new Int32Array(Math.max(t.times.length, t.count));
      grown.set(sampleColumns.subarray(0, columnsKnown));
      sampleColumns = grown;
    }
    for (let r = columnsKnown; r < t.count; r++) sampleColumns[r] = Math.floor(xOf(t.times[r]));
    columnsKnown = t.count;
    for (const chart of charts) {
      let yMax = Number.isNaN(chart.yMax) ? 0 : chart.yMax;
      for (let r = chart.scanned; r < t.count; r++) {
        for (const col of chart.columns) {
          const v = t.values[r * rowWidth + col];
          if (Number.isFinite(v) && v > yMax) yMax = v;
        }
      }
      chart.scanned = t.count;
      let rescaled = false;
      if (yMax !== chart.yMax) {
        const before = chart.y.domain().join();
        chart.y.domain([0, yMax > 0 ? yMax : 1]).nice(3);
        rescaled = Number.isNaN(chart.yMax) || chart.y.domain().join() !== before;
        if (rescaled) {
          const signal = chart.spec.signal;
          select(chart.yAxis).call(axisLeft(chart.y).ticks(3).tickFormat((d) => shortNumber(Number(d), signal)).tickSizeOuter(0));
        }
        chart.yMax = yMax;
      }
      // y as a plain linear map (the scale's domain starts at 0), rounded to 0.1 px.
      const [y0, y1] = chart.y.range();
      const perUnit = (y1 - y0) / chart.y.domain()[1];
      const px = (v: number) => Math.round((y0 + v * perUnit) * 10) / 10;
      const xPx = (r: number) => Math.round(xOf(t.times[r]) * 10) / 10;
      for (const line of chart.lines) {
        const { dropped, added } = line.reducer.extend(sampleColumns, t.values, rowWidth, line.column, t.count);
        const indexes = line.reducer.indexes;
        if (rescaled) {
          let points = "";
          for (const r of indexes) points += `${xPx(r)},${px(t.values[r * rowWidth + line.column])} `;
          line.element.setAttribute("points", points);
          continue;
        }
        // Appending through the point list spares re-parsing thousands of points per update.
        const list = line.element.points;
        for (let k = 0; k < dropped; k++) list.removeItem(list.numberOfItems - 1);
        for (let k = indexes.length - added; k < indexes.length; k++) {
          const point = chart.svg.createSVGPoint();
          point.x = xPx(indexes[k]);
          point.y = px(t.values[indexes[k] * rowWidth + line.column]);
          list.appendItem(point);
        }
      }
    }
  };
  extendLines();

  let lastSelected: number | null | undefined;
  let lastCx = "";
  let lastRow = -1;
  let lastMs = "";
  return {
    update(cursorMs, selectedFinding) {
      const cx = x(cursorMs).toFixed(1);
      const ms = String(cursorMs);
      if (cx !== lastCx || ms !== lastMs) {
        lastCx = cx;
        lastMs = ms;
        for (const mark of cursors) {
          mark.style.transform = `translateX(${cx}px)`;
          mark.dataset.cursorMs = ms;
        }
      }
      const row = t.count > 0 ? sampleAt(t, cursorMs) : -1;
      if (row >= 0 && row !== lastRow) {
        lastRow = row;
        for (const updater of valueUpdaters) updater(row);
      }
      if (selectedFinding !== lastSelected) {
        lastSelected = selectedFinding;
        bandElements.forEach((g, i) => g.setAttribute("data-selected", String(i === selectedFinding)));
      }
    },
    grow(next, faultsChanged) {
      if (next.durationMs !== run.durationMs || next.telemetry.componentIds !== t.componentIds) return false;
      t = next.telemetry;
      if (faultsChanged || next.findings !== findings) {
        findings = next.findings;
        drawMarks();
        lastCx = "";
        lastSelected = undefined;
      }
      extendLines();
      // The samples at the cursor may just have arrived.
      lastRow = -1;
      return true;
    },
  };
}

/** Click or drag on `svg` moves the cursor (and pauses); arrow keys step by 1% (Shift: 10%). */
function attachScrub(svg: SVGSVGElement, x: ScaleLinear<number, number>, endMs: number, store: Store): void {
  const toMs = (clientX: number) => {
    const box = svg.getBoundingClientRect();
    return Math.round(Math.min(endMs, reachedOf(store.get()), Math.max(0, x.invert(clientX - box.left))));
  };
  let dragging = false;
  svg.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    dragging = true;
    svg.setPointerCapture(e.pointerId);
    store.set({ cursorMs: toMs(e.clientX), playing: false });
  });
  svg.addEventListener("pointermove", (e) => {
    if (dragging) store.set({ cursorMs: toMs(e.clientX), playing: false });
  });
  const stop = (e: PointerEvent) => {
    dragging = false;
    if (svg.hasPointerCapture(e.pointerId)) svg.releasePointerCapture(e.pointerId);
  };
  svg.addEventListener("pointerup", stop);
  svg.addEventListener("pointercancel", stop);
  svg.addEventListener("keydown", (e) => {
    const step = (e.shiftKey ? 0.1 : 0.01) * endMs;
    const now = store.get().cursorMs;
    let next: number | undefined;
    if (e.key === "ArrowRight") next = now + step;
    else if (e.key === "ArrowLeft") next = now - step;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = endMs;
    if (next === undefined) return;
    // Handled here: the transport's document-level arrow keys (step one event) must not also run.
    e.preventDefault();
    e.stopPropagation();
    next = Math.round(Math.min(endMs, reachedOf(store.get()), Math.max(0, next)));
    svg.setAttribute("aria-valuenow", String(next));
    store.set({ cursorMs: next, playing: false });
  });
}

/** Axis labels: 1.2k for large numbers, percentages for rates. */
function shortNumber(v: number, signal: string): string {
  if (signal === "errorRate") return `${Math.round(v * 100)}%`;
  if (Math.abs(v) >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (Math.abs(v) >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return String(+v.toFixed(2));
}

/** The last simulated time the cursor can show: the run's end, or how far a streaming run got. */
function reachedOf(s: AppState): number {
  if (!s.run) return 0;
  return s.run.complete ? s.run.durationMs : s.run.reachedMs;
}
