// Timeline: small multiples of the chosen components' signals over the run (or the zoomed window),
// with finding bands, fault markers, a time cursor, a shared crosshair with a tooltip of every
// series' value, and drag-to-zoom shared with the other time panels. Click a chart (or use the
// arrow keys on it) to scrub; drag a range to zoom; double-click, `0` or "Whole run" to reset.
// The frame (axes, grid, bands) is drawn once per run, size, window or component selection; a
// streaming run only extends the lines. The cursor is a div on its own compositor layer, so
// moving it repaints no chart; it also rewrites the values next to the titles when they change.
import { axisBottom, axisLeft } from "d3-axis";
import { scaleLinear, type ScaleLinear } from "d3-scale";
import { select } from "d3-selection";
import { formatTime } from "../../sim/core/units.js";
import type { Finding } from "../../sim/detect/finding.js";
import type { EventRecord } from "../../sim/log/record.js";
import type { RunPayload, TelemetryPayload } from "../model/payload.js";
import { sampleAt } from "../model/payload.js";
import { selectEvent, selectFinding, type AppState, type Store, type TimeWindow } from "../state/store.js";
import { seriesColour, STRIP_COLOURS } from "./chart-palette.js";
import { findingSeries, knobValues, seriesName, timelineComponents, type FindingSeries } from "./finding-series.js";
import { formatAxisValue, formatSignal, formatSpan } from "./format.js";
import { timeTicks } from "./lanes-time.js";
import { gappedPath, noSuccess, noSuccessSpans } from "./no-success.js";
import { clampWindow, keepTickLabelsInside, onHover, setHover, setTimeWindow, visibleWindow, zoomKey } from "./time-scale-shared.js";
import { fillTooltip, stripLegend, stripLegendEntries, type TooltipSeries } from "./timeline-legend.js";
import { ColumnReducer } from "./timeline-series.js";

const SVG_NS = "http://www.w3.org/2000/svg";

interface SignalSpec {
  signal: string;
  label: string;
}

/** The charts, top to bottom (values are formatted by format.ts from the signal's name). */
const SIGNALS: readonly SignalSpec[] = [
  { signal: "errorRate", label: "Error rate" },
  { signal: "latencyMsP95", label: "Latency p95" },
  { signal: "loadRps", label: "Load" },
  { signal: "replicas", label: "Replicas" },
  { signal: "costPerHour", label: "Cost per hour" },
];

/** How many busy components are shown while no finding names any (a run still streaming). */
const DEFAULT_COMPONENTS_MAX = 4;
const CHART_HEIGHT = 78;
const MARGIN = { top: 6, right: 16, bottom: 4, left: 52 };
const STRIP_ROW_HEIGHT = 12;
const WIDTH_MIN = 320;
/** A pointer that moves less than this between press and release clicked (scrub); more dragged a range (zoom). */
const DRAG_PX_MIN = 5;

let clipIds = 0;

/** Mounts the timeline into `root`; it follows `store` from then on. */
export function mountTimeline(root: HTMLElement, store: Store): void {
  root.innerHTML = `<h2>Timeline</h2>
    <div class="tl-bar">
      <div class="tl-toggles" role="group" aria-label="Components shown"></div>
      <button type="button" class="tl-reset" data-testid="timeline-reset-zoom" title="Show the whole run again (or double-click a chart, or press 0 on it)" hidden>Whole run</button>
    </div>
    <p class="tl-help">Click a chart to move the cursor, drag across it to zoom every time panel; <kbd>+</kbd> <kbd>-</kbd> <kbd>0</kbd> zoom on a focused chart.</p>
    <div class="tl-body"><p class="tl-empty">No run yet.</p></div>`;
  const toggles = root.querySelector<HTMLDivElement>(".tl-toggles")!;
  const body = root.querySelector<HTMLDivElement>(".tl-body")!;
  const reset = root.querySelector<HTMLButtonElement>(".tl-reset")!;
  reset.addEventListener("click", () => setTimeWindow(store, null));

  let run: RunPayload | undefined;
  let selected: string[] = [];
  /** True once the user toggled a component: the default choice no longer follows the data. */
  let picked = false;
  /** The body's width as the ResizeObserver last reported it (0: not yet). */
  let width = 0;
  let faults = new FaultScanner();
  /** Cursor-dependent parts of the current drawing; rebuilt with it. */
  let drawing: Drawing | undefined;
  let shownWindow = "";

  const focusOf = (s: AppState): { finding: Finding; series: FindingSeries } | undefined => {
    const f = s.selectedFinding === null || !s.run ? undefined : s.run.findings[s.selectedFinding];
    const series = f && s.run ? findingSeries(f, s.run.telemetry) : undefined;
    return f && series ? { finding: f, series } : undefined;
  };

  const rebuild = () => {
    // Read once, only before the first resize report: reading layout here would force it.
    if (width === 0) width = Math.max(WIDTH_MIN, Math.floor(body.clientWidth || root.clientWidth || 800));
    if (run) faults.scan(run.log, run.durationMs);
    const s = store.get();
    const window = visibleWindow(s);
    shownWindow = `${window.fromMs}-${window.toMs}`;
    drawing?.destroy();
    // A focused chart keeps the focus across the redraw (zooming with + / - rebuilds it).
    const focused = body.contains(document.activeElement) ? (document.activeElement as Element).closest<HTMLElement>("[data-signal]")?.dataset.signal : undefined;
    drawing = run ? draw(body, run, { components: selected, faults: faults.spans, notes: faults.notes, width, window, focus: focusOf(s) }, store) : undefined;
    if (!run) body.innerHTML = `<p class="tl-empty">No run yet.</p>`;
    if (focused) body.querySelector<SVGSVGElement>(`[data-signal="${CSS.escape(focused)}"] svg`)?.focus({ preventScroll: true });
    root.dataset.components = selected.join(",");
    root.dataset.fromMs = String(window.fromMs);
    root.dataset.toMs = String(window.toMs);
    reset.hidden = !s.timeWindow;
    if (drawing) drawing.update(s.cursorMs, s.selectedFinding);
  };

  /** The components to show for the store's state, unless the user picked them. */
  const chooseComponents = (s: AppState): string[] => (s.run ? timelineComponents(s.run.telemetry, s.run.components, s.run.complete ? s.run.findings : [], s.selectedFinding, defaultComponents(s.run.telemetry)) : []);

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
        selected = chooseComponents(s);
        renderToggles();
        // A new run starts on its whole duration (a zoom into the previous one means nothing here).
        if (s.timeWindow) queueMicrotask(() => setTimeWindow(store, null));
        rebuild();
        return;
      }
      // The same run with more records (streaming) or its verdict: extend what is drawn.
      if (!picked) {
        const next = chooseComponents(s);
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
    const window = visibleWindow(s);
    if (s.selectedFinding !== previous.selectedFinding) {
      // Selecting a finding shows its components and series, whatever was toggled before.
      picked = false;
      selected = chooseComponents(s);
      markToggles();
      rebuild();
      return;
    }
    if (`${window.fromMs}-${window.toMs}` !== shownWindow) {
      rebuild();
      return;
    }
    if (drawing && s.cursorMs !== previous.cursorMs) drawing.update(s.cursorMs, s.selectedFinding);
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
  /** Stops following the shared crosshair (the drawing is being replaced). */
  destroy(): void;
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

const colour = seriesColour;

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
  lines: Line[];
  yAxis: SVGGElement;
  y: ScaleLinear<number, number>;
  /** The largest value read so far (NaN: none read yet), and how many samples were read. */
  yMax: number;
  scanned: number;
  /** Latency charts: lines break (and the plot is hatched) where nothing succeeded. */
  gapped: boolean;
}

interface Line {
  element: SVGPolylineElement | SVGPathElement;
  reducer: ColumnReducer;
  column: number;
  /** Gapped lines: the component's error-rate column, and its latency with "no success" samples as NaN. */
  errorColumn?: number;
  masked?: Float32Array;
  /** Gapped lines: how many "no success" samples precede each sample (prefix counts, length count + 1). */
  noneBefore?: Int32Array;
}

interface DrawOptions {
  components: readonly string[];
  faults: readonly FaultSpan[];
  notes: readonly LogNote[];
  width: number;
  /** The time range shown. */
  window: TimeWindow;
  /** The selected finding and its series: drawn as a chart of its own above the others. */
  focus?: { finding: Finding; series: FindingSeries };
}

/**
 * Draws the frame for one run, width, window and component selection, the marks (finding bands,
 * faults, no-success hatching) and the lines so far; returns the updater, which also extends
 * them as the run grows.
 */
function draw(body: HTMLElement, run: RunPayload, options: DrawOptions, store: Store): Drawing {
  const { components, faults, notes, width, window, focus } = options;
  body.innerHTML = "";
  let t = run.telemetry;
  let findings = run.findings;
  const endMs = Math.max(1, run.durationMs);
  const fromMs = window.fromMs;
  const toMs = Math.max(fromMs + 1, window.toMs);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotRight = MARGIN.left + plotWidth;
  const x = scaleLinear().domain([fromMs, toMs]).range([MARGIN.left, plotRight]);
  // The same mapping without d3's generality, for the per-sample loops; samples outside the window
  // land just outside the plot, where the clip hides them.
  const xOf = (ms: number) => Math.min(plotRight + 2, Math.max(MARGIN.left - 2, MARGIN.left + ((ms - fromMs) / (toMs - fromMs)) * plotWidth));
  /** An interval's pixel extent inside the plot, or null when it lies outside the window. */
  const extent = (from: number, to: number, minWidth: number): { x: number; w: number } | null => {
    if (to < fromMs || from > toMs) return null;
    const x0 = Math.max(MARGIN.left, x(from));
    return { x: x0, w: Math.max(minWidth, Math.min(plotRight, x(to)) - x0) };
  };
  const ticks = timeTicks(fromMs, toMs, Math.max(2, Math.floor(plotWidth / 90)));
  const tickLabel = tickFormatter(ticks);
  const rowWidth = t.componentIds.length * t.signalNames.length;
  const componentIndexes = components.map((c) => t.componentIds.indexOf(c)).filter((c) => c >= 0);
  const errorSignal = t.signalNames.indexOf("errorRate");
  const cursors: HTMLDivElement[] = [];
  const hovers: HTMLDivElement[] = [];
  const valueUpdaters: ((row: number) => void)[] = [];
  const charts: Chart[] = [];
  const tooltipSeries: TooltipSeries[] = [];
  let bandElements: SVGGElement[] = [];
  const clipId = `tl-clip-${++clipIds}`;
  let plotIds = 0;

  const stripPlot = document.createElement("div");
  // Many overlapping findings stack into many rows (43 on the 100 k benchmark run): the strip scrolls past ~10.
  stripPlot.className = "tl-plot tl-strip-plot";
  let legendBox: HTMLElement = document.createElement("div");
  body.append(legendBox, stripPlot);

  /** A chart's figure: caption (title and legend with values) and plot box. */
  const figureFor = (key: string, label: string): { figure: HTMLElement; plot: HTMLDivElement; value: HTMLSpanElement } => {
    const figure = document.createElement("figure");
    figure.className = "tl-chart";
    figure.dataset.signal = key;
    const caption = document.createElement("figcaption");
    const title = document.createElement("span");
    title.className = "tl-title";
    title.textContent = label;
    const value = document.createElement("span");
    value.className = "tl-value tl-legend mono";
    caption.append(title, value);
    const plot = document.createElement("div");
    plot.className = "tl-plot";
    figure.append(caption, plot);
    body.append(figure);
    return { figure, plot, value };
  };

  /** A plot's svg with its clip, grid and y axis; `signal` names the y axis's unit. */
  const plotSvg = (plot: HTMLDivElement, ariaLabel: string): { svg: SVGSVGElement; clipped: SVGGElement; yAxis: SVGGElement } => {
    const svg = svgElement("svg", { width, height: CHART_HEIGHT, role: "slider", tabindex: 0, "aria-label": ariaLabel, "aria-valuemin": 0, "aria-valuemax": endMs }, plot);
    const defs = svgElement("defs", {}, svg);
    const clip = svgElement("clipPath", { id: `${clipId}-${++plotIds}` }, defs);
    svgElement("rect", { x: MARGIN.left, y: 0, width: plotWidth, height: CHART_HEIGHT }, clip);
    // Diagonal hatching for "no successful requests" (latency charts).
    const hatch = svgElement("pattern", { id: `${clip.id}-hatch`, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" }, defs);
    svgElement("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: STRIP_COLOURS.noSuccess, "stroke-width": 1.5, "stroke-opacity": 0.55 }, hatch);
    svg.dataset.hatch = hatch.id;
    const grid = svgElement("g", { class: "tl-grid" }, svg);
    for (const tick of ticks) svgElement("line", { x1: x(tick), x2: x(tick), y1: MARGIN.top, y2: CHART_HEIGHT - MARGIN.bottom }, grid);
    const clipped = svgElement("g", { "clip-path": `url(#${clip.id})` }, svg);
    const yAxis = svgElement("g", { class: "tl-axis", transform: `translate(${MARGIN.left},0)` }, svg);
    cursors.push(cursorMark(plot, MARGIN.top, CHART_HEIGHT - MARGIN.top - MARGIN.bottom));
    hovers.push(hoverMark(plot, MARGIN.top, CHART_HEIGHT - MARGIN.top - MARGIN.bottom));
    attachPointer(svg, x, endMs, store, hoverAt);
    return { svg, clipped, yAxis };
  };

  /** A legend item: swatch, `component` and its value at the cursor; names the series `component.signal`. */
  const legendItem = (value: HTMLElement, component: string, signal: string, colourOf: string): HTMLSpanElement => {
    const span = document.createElement("span");
    span.dataset.component = component;
    span.dataset.series = `${component}.${signal}`;
    span.dataset.colour = colourOf;
    // The line's colour marks the value (a swatch) but is not its text colour (text keeps 4.5:1).
    span.style.setProperty("--series-colour", colourOf);
    value.append(span, " ");
    return span;
  };

  // The selected finding's own series first: its knob (folded from the log) or signal.
  if (focus) {
    const name = seriesName(focus.series);
    const key = focus.series.signal ?? focus.series.knob!;
    const { figure, plot, value } = figureFor(`finding:${name}`, `Finding: ${name}`);
    figure.classList.add("tl-focus");
    const { clipped, yAxis } = plotSvg(plot, `${name} over time, the selected finding's series; click, drag or use the arrow keys`);
    const values = focus.series.signal !== undefined
      ? columnOf(t, t.componentIds.indexOf(focus.series.component) * t.signalNames.length + t.signalNames.indexOf(focus.series.signal))
      : knobValues(run.log, focus.series.component, focus.series.knob!, t.times, t.count);
    let max = 0;
    let min = 0;
    for (const v of values) if (Number.isFinite(v)) (max = Math.max(max, v)), (min = Math.min(min, v));
    const y = scaleLinear().domain([min, max > min ? max : min + 1]).nice(3).range([CHART_HEIGHT - MARGIN.bottom, MARGIN.top]);
    select(yAxis).call(axisLeft(y).ticks(3).tickFormat((d) => formatAxisValue(key, Number(d))).tickSizeOuter(0));
    const shade = extent(focus.finding.from, focus.finding.to, 2);
    if (shade) svgElement("rect", { class: `tl-shade tl-${focus.finding.severity}`, x: shade.x, width: shade.w, y: MARGIN.top, height: CHART_HEIGHT - MARGIN.top - MARGIN.bottom }, clipped);
    const c = t.componentIds.indexOf(focus.series.component);
    const stroke = colour(c);
    const indexes: number[] = [];
    for (let r = 0; r < t.count; r++) if (Number.isFinite(values[r])) indexes.push(r);
    svgElement("path", { class: "tl-line", d: gappedPath(indexes, (r) => xOf(t.times[r]), (r) => y(values[r]), () => false), stroke, "data-component": focus.series.component, "data-series": name }, clipped);
    const span = legendItem(value, focus.series.component, key, stroke);
    let text = "";
    valueUpdaters.push((row) => {
      const next = formatSignal(key, values[row]);
      if (next === text) return;
      text = next;
      span.textContent = `${focus.series.component} ${next}`;
      span.setAttribute("aria-label", `${name} = ${next}`);
      value.dataset.value = `${focus.series.component}=${next}`;
    });
    tooltipSeries.push({ component: focus.series.component, signal: key, colour: stroke, valueAt: (row) => values[row] });
  }

  let noSuccessSeen = false;
  for (const spec of SIGNALS) {
    const s = t.signalNames.indexOf(spec.signal);
    if (s < 0) continue;
    const { plot, value } = figureFor(spec.signal, spec.label);
    const gapped = spec.signal.startsWith("latencyMs") && errorSignal >= 0;
    const { svg, clipped, yAxis } = plotSvg(plot, `${spec.label} over time; click or use the arrow keys to move the cursor, drag to zoom`);
    const columns = componentIndexes.map((c) => c * t.signalNames.length + s);
    // Shades (findings and faults over the plot, under the lines) are drawn with the strip.
    const shades = svgElement("g", { class: "tl-shades" }, clipped);
    const linesGroup = svgElement("g", { class: "tl-lines" }, clipped);
    const lines: Line[] = componentIndexes.map((c, k) => {
      const attributes = { class: "tl-line", stroke: colour(c), "data-component": t.componentIds[c], "data-series": `${t.componentIds[c]}.${spec.signal}` };
      const element = gapped ? svgElement("path", { ...attributes, d: "" }, linesGroup) : svgElement("polyline", { ...attributes, points: "" }, linesGroup);
      svgElement("title", {}, element).textContent = `${t.componentIds[c]}.${spec.signal}`;
      const line: Line = { element, reducer: new ColumnReducer(), column: columns[k] };
      if (gapped) line.errorColumn = c * t.signalNames.length + errorSignal;
      return line;
    });
    charts.push({ spec, svg, shades, columns, lines, yAxis, y: scaleLinear().range([CHART_HEIGHT - MARGIN.bottom, MARGIN.top]), yMax: Number.NaN, scanned: 0, gapped });

    // One legend item per component, its text rewritten only when its value changes.
    const spans = componentIndexes.map((c) => legendItem(value, t.componentIds[c], spec.signal, colour(c)));
    const texts = spans.map(() => "");
    const valueAt = (row: number, k: number): number | null => {
      const v = t.values[row * rowWidth + columns[k]];
      if (gapped && noSuccess(t.values[row * rowWidth + lines[k].errorColumn!])) return null;
      return v;
    };
    valueUpdaters.push((row) => {
      let changed = false;
      componentIndexes.forEach((c, k) => {
        const v = valueAt(row, k);
        const text = v === null ? "no success" : formatSignal(spec.signal, v);
        if (text === texts[k]) return;
        texts[k] = text;
        spans[k].textContent = `${t.componentIds[c]} ${text}`;
        spans[k].setAttribute("aria-label", `${t.componentIds[c]}.${spec.signal} = ${text}`);
        changed = true;
      });
      if (changed) value.dataset.value = componentIndexes.map((c, k) => `${t.componentIds[c]}=${texts[k]}`).join(" ");
    });
    componentIndexes.forEach((c, k) => tooltipSeries.push({ component: t.componentIds[c], signal: spec.signal, colour: colour(c), valueAt: (row) => valueAt(row, k) }));
  }

  const bottom = svgElement("svg", { class: "tl-bottom-axis", width, height: 20 }, body);
  const bottomAxis = svgElement("g", { class: "tl-axis" }, bottom);
  select(bottomAxis).call(axisBottom(x).tickValues(ticks).tickFormat((d) => tickLabel(Number(d))).tickSizeOuter(0));
  keepTickLabelsInside(bottomAxis, MARGIN.left, plotRight);

  // The crosshair's tooltip: every plotted series' value at the hovered time.
  const tip = document.createElement("div");
  tip.className = "tl-tip mono";
  tip.dataset.testid = "timeline-tooltip";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  body.append(tip);
  const brush = document.createElement("div");
  brush.className = "tl-brush";
  brush.hidden = true;
  body.append(brush);

  /** Shows the crosshair at `ms` in this panel (null hides it), and the tooltip beside it. */
  function showHover(ms: number | null): void {
    const inside = ms !== null && ms >= fromMs && ms <= toMs && t.count > 0;
    for (const mark of hovers) {
      mark.hidden = !inside;
      if (inside) mark.style.transform = `translateX(${x(ms!).toFixed(1)}px)`;
    }
    tip.hidden = !inside || tooltipSeries.length === 0;
    if (tip.hidden) return;
    fillTooltip(tip, ms!, sampleAt(t, ms!), tooltipSeries);
    const cx = x(ms!);
    // Beside the crosshair, on the side with room; under the strip, over the first chart.
    const left = cx + 12 + tip.offsetWidth > width ? Math.max(0, cx - 12 - tip.offsetWidth) : cx + 12;
    tip.style.transform = `translate(${left.toFixed(0)}px, ${stripPlot.offsetTop + stripPlot.offsetHeight + 4}px)`;
  }
  function hoverAt(ms: number | null): void {
    setHover(store, ms);
  }
  const unsubscribeHover = onHover(store, showHover);

  /** Drag-to-zoom's rubber band between two times (null hides it). */
  const showBrush = (a: number | null, b?: number) => {
    brush.hidden = a === null;
    if (a === null || b === undefined) return;
    const x0 = Math.max(MARGIN.left, Math.min(x(a), x(b)));
    const x1 = Math.min(plotRight, Math.max(x(a), x(b)));
    brush.style.left = `${x0}px`;
    brush.style.width = `${x1 - x0}px`;
    brush.style.top = `${stripPlot.offsetTop + stripPlot.offsetHeight}px`;
    brush.style.height = `${bottom.getBoundingClientRect().top - body.getBoundingClientRect().top - stripPlot.offsetTop - stripPlot.offsetHeight}px`;
  };
  for (const chart of charts) chart.svg.addEventListener("tl-brush", (e) => {
    const d = (e as CustomEvent<[number, number] | null>).detail;
    showBrush(d ? d[0] : null, d ? d[1] : undefined);
  });

  /** (Re)draws the event strip (finding bands, clickable; fault markers), its legend and the charts' shades. */
  const drawMarks = () => {
    const shown = findings.map((f, i) => ({ f, i, e: extent(f.from, Math.max(f.to, f.from), 4) })).filter((b) => b.e !== null);
    const shownFaults = faults.map((f) => ({ f, e: extent(f.from, f.to, 2) })).filter((b) => b.e !== null);
    const intervals = [...shown.map(({ e }) => ({ from: e!.x, to: e!.x + e!.w })), ...shownFaults.map(({ e }) => ({ from: e!.x, to: e!.x + e!.w }))];
    const rows = packRows(intervals, 3);
    const intervalRows = Math.max(0, ...rows.map((r) => r + 1));
    const shownNotes = notes.slice(0, NOTES_DRAWN_MAX).filter((n) => n.t >= fromMs && n.t <= toMs);
    // Log annotations are points: one row of markers under the intervals.
    const rowCount = Math.max(1, intervalRows + (shownNotes.length > 0 ? 1 : 0));
    const stripHeight = rowCount * STRIP_ROW_HEIGHT + 22;
    stripPlot.replaceChildren();
    const strip = svgElement("svg", { class: "tl-strip", width, height: stripHeight, role: "group", "aria-label": "Findings, faults and agents' log annotations over time" }, stripPlot);
    svgElement("text", { class: "tl-strip-label", x: MARGIN.left - 6, y: STRIP_ROW_HEIGHT - 2, "text-anchor": "end" }, strip).textContent = findings.length + faults.length + notes.length > 0 ? "events" : "none";
    bandElements = new Array(findings.length);
    shown.forEach(({ f, i, e }, k) => {
      const g = svgElement("g", { class: `tl-band tl-${f.severity}`, tabindex: 0, role: "button", "data-finding-index": i, "data-from": f.from, "data-to": f.to, "data-severity": f.severity, "data-colour": STRIP_COLOURS[f.severity], "aria-label": `${f.severity} ${f.kind} finding from ${formatTime(f.from)} to ${formatTime(f.to)} (${formatSpan(f.to - f.from)})` }, strip);
      svgElement("rect", { x: e!.x, y: rows[k] * STRIP_ROW_HEIGHT + 2, width: e!.w, height: STRIP_ROW_HEIGHT - 3, rx: 2 }, g);
      svgElement("title", {}, g).textContent = `${f.kind} (${f.severity}) ${formatTime(f.from)}–${formatTime(f.to)}, ${formatSpan(f.to - f.from)}: ${f.explanation[0] ?? ""}`;
      const choose = () => selectFinding(store, i);
      g.addEventListener("click", choose);
      g.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          ev.stopPropagation();
          choose();
        }
      });
      bandElements[i] = g;
    });
    shownFaults.forEach(({ f, e }, k) => {
      const row = rows[shown.length + k];
      const g = svgElement("g", { class: "tl-fault", "data-fault": f.id, "data-from": f.from, "data-to": f.to, "data-colour": STRIP_COLOURS.fault }, strip);
      svgElement("rect", { x: e!.x, y: row * STRIP_ROW_HEIGHT + 2, width: e!.w, height: STRIP_ROW_HEIGHT - 3 }, g);
      if (f.from >= fromMs) svgElement("line", { class: "tl-fault-start", x1: x(f.from), x2: x(f.from), y1: 0, y2: stripHeight - 20 }, g);
      svgElement("text", { x: e!.x + 3, y: row * STRIP_ROW_HEIGHT + STRIP_ROW_HEIGHT - 2 }, g).textContent = f.id;
      svgElement("title", {}, g).textContent = `fault ${f.id}${f.target ? ` on ${f.target}` : ""} ${formatTime(f.from)}–${formatTime(f.to)} (${formatSpan(f.to - f.from)})`;
    });
    for (const n of shownNotes) {
      const cx = x(n.t);
      const cy = intervalRows * STRIP_ROW_HEIGHT + STRIP_ROW_HEIGHT / 2;
      const label = `${n.warn ? "warn" : "log"} by ${n.actor} at ${formatTime(n.t)}: ${n.message}`;
      const g = svgElement("g", { class: `tl-log${n.warn ? " tl-log-warn" : ""}`, tabindex: 0, role: "button", "data-seq": n.seq, "data-t": n.t, "aria-label": label }, strip);
      svgElement("path", { d: `M${cx},${cy - 5} L${cx + 5},${cy} L${cx},${cy + 5} L${cx - 5},${cy} Z` }, g);
      // textContent: the message comes from a scenario file and is never parsed as markup.
      svgElement("title", {}, g).textContent = label;
      const choose = () => selectEvent(store, n.seq);
      g.addEventListener("click", choose);
      g.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          ev.stopPropagation();
          choose();
        }
      });
    }
    const stripAxis = svgElement("g", { class: "tl-axis", transform: `translate(0,${stripHeight - 20})` }, strip);
    select(stripAxis).call(axisBottom(x).tickValues(ticks).tickFormat((d) => tickLabel(Number(d))).tickSizeOuter(0));
    keepTickLabelsInside(stripAxis, MARGIN.left, plotRight);
    cursors[0]?.remove();
    cursors[0] = cursorMark(stripPlot, 0, stripHeight - 20);
    hovers[0]?.remove();
    hovers[0] = hoverMark(stripPlot, 0, stripHeight - 20);

    const shadeHeight = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
    // One shade per stretch of time a severity covers: dozens of overlapping findings (a thrashing
    // pair per service) would otherwise stack their translucent fills into an opaque one.
    const stretches = Array.from(new Set(findings.map((f) => f.severity)), (severity) => ({ severity, spans: mergeSpans(findings.filter((f) => f.severity === severity)) }));
    // Where a plotted component served nothing: its latency is undefined there, hatched.
    const noneSpans = errorSignal < 0 ? [] : mergeSpans(componentIndexes.flatMap((c) => noSuccessSpans(t.times, columnOf(t, c * t.signalNames.length + errorSignal), t.count, run.complete ? endMs : run.reachedMs)));
    noSuccessSeen = noneSpans.length > 0;
    for (const chart of charts) {
      chart.shades.replaceChildren();
      for (const { severity, spans } of stretches) for (const f of spans) {
        const e = extent(f.from, f.to, 2);
        if (e) svgElement("rect", { class: `tl-shade tl-${severity}`, x: e.x, width: e.w, y: MARGIN.top, height: shadeHeight }, chart.shades);
      }
      for (const f of faults) {
        const e = extent(f.from, f.to, 2);
        if (!e) continue;
        svgElement("rect", { class: "tl-shade tl-fault-shade", x: e.x, width: e.w, y: MARGIN.top, height: shadeHeight }, chart.shades);
        if (f.from >= fromMs) svgElement("line", { class: "tl-fault-start", x1: x(f.from), x2: x(f.from), y1: MARGIN.top, y2: CHART_HEIGHT - MARGIN.bottom }, chart.shades);
      }
      if (!chart.gapped) continue;
      for (const f of noneSpans) {
        const e = extent(f.from, f.to, 2);
        if (!e) continue;
        const g = svgElement("g", { class: "tl-no-success", "data-from": f.from, "data-to": f.to, "data-colour": STRIP_COLOURS.noSuccess }, chart.shades);
        svgElement("rect", { x: e.x, width: e.w, y: MARGIN.top, height: shadeHeight, fill: `url(#${chart.svg.dataset.hatch})` }, g);
        if (e.w > 130) svgElement("text", { x: e.x + e.w / 2, y: MARGIN.top + shadeHeight / 2 + 4, "text-anchor": "middle" }, g).textContent = "no successful requests";
        svgElement("title", {}, g).textContent = `no successful requests ${formatTime(f.from)}–${formatTime(f.to)} (${formatSpan(f.to - f.from)}): latency is undefined`;
      }
    }
    const legend = stripLegend(stripLegendEntries(findings, faults.length, notes.length, noSuccessSeen));
    legendBox.replaceWith(legend);
    legendBox = legend;
  };
  let sampleColumns = new Int32Array(0);
  let columnsKnown = 0;
  // The strip's cursor and crosshair come first (drawMarks replaces them).
  cursors.unshift(document.createElement("div"));
  hovers.unshift(document.createElement("div"));
  drawMarks();

  /**
   * Extends every line to the samples in `t`: new points are appended to the polyline (the last
   * pixel column's are replaced); a chart whose nice y domain changes redraws its axis and lines.
   * Latency lines are paths redrawn whole, broken wherever nothing succeeded.
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
        for (let k = 0; k < chart.columns.length; k++) {
          const v = t.values[r * rowWidth + chart.columns[k]];
          if (chart.gapped && noSuccess(t.values[r * rowWidth + chart.lines[k].errorColumn!])) continue;
          if (Number.isFinite(v) && v > yMax) yMax = v;
        }
      }
      const scannedBefore = chart.scanned;
      chart.scanned = t.count;
      let rescaled = false;
      if (yMax !== chart.yMax) {
        const before = chart.y.domain().join();
        chart.y.domain([0, yMax > 0 ? yMax : 1]).nice(3);
        rescaled = Number.isNaN(chart.yMax) || chart.y.domain().join() !== before;
        if (rescaled) {
          const signal = chart.spec.signal;
          select(chart.yAxis).call(axisLeft(chart.y).ticks(3).tickFormat((d) => formatAxisValue(signal, Number(d))).tickSizeOuter(0));
        }
        chart.yMax = yMax;
      }
      // y as a plain linear map (the scale's domain starts at 0), rounded to 0.1 px.
      const [y0, y1] = chart.y.range();
      const perUnit = (y1 - y0) / chart.y.domain()[1];
      const px = (v: number) => Math.round((y0 + v * perUnit) * 10) / 10;
      const xPx = (r: number) => Math.round(xOf(t.times[r]) * 10) / 10;
      for (const line of chart.lines) {
        if (chart.gapped) {
          // The latency with "no success" samples as NaN (the reducer skips them), grown with the run.
          if (!line.masked || line.masked.length < t.count) {
            const grown = new Float32Array(Math.max(t.times.length, t.count));
            if (line.masked) grown.set(line.masked.subarray(0, scannedBefore));
            line.masked = grown;
          }
          if (!line.noneBefore || line.noneBefore.length < t.count + 1) {
            const grown = new Int32Array(Math.max(t.times.length, t.count) + 1);
            if (line.noneBefore) grown.set(line.noneBefore.subarray(0, scannedBefore + 1));
            line.noneBefore = grown;
          }
          const noneBefore = line.noneBefore;
          for (let r = scannedBefore; r < t.count; r++) {
            const none = noSuccess(t.values[r * rowWidth + line.errorColumn!]);
            line.masked[r] = none ? Number.NaN : t.values[r * rowWidth + line.column];
            noneBefore[r + 1] = noneBefore[r] + (none ? 1 : 0);
          }
          line.reducer.extend(sampleColumns, line.masked, 1, 0, t.count);
          const masked = line.masked;
          // The same test as no-success.ts gapFinder, on the counts kept as the run grows.
          const gapBetween = (a: number, b: number) => noneBefore[b + 1] - noneBefore[a] > 0;
          line.element.setAttribute("d", gappedPath(line.reducer.indexes, xPx, (r) => px(masked[r]), gapBetween));
          continue;
        }
        const { dropped, added } = line.reducer.extend(sampleColumns, t.values, rowWidth, line.column, t.count);
        const indexes = line.reducer.indexes;
        const polyline = line.element as SVGPolylineElement;
        if (rescaled) {
          let points = "";
          for (const r of indexes) points += `${xPx(r)},${px(t.values[r * rowWidth + line.column])} `;
          polyline.setAttribute("points", points);
          continue;
        }
        // Appending through the point list spares re-parsing thousands of points per update.
        const list = polyline.points;
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
      const inside = cursorMs >= fromMs && cursorMs <= toMs;
      const cx = inside ? x(cursorMs).toFixed(1) : "out";
      const ms = String(cursorMs);
      if (cx !== lastCx || ms !== lastMs) {
        lastCx = cx;
        lastMs = ms;
        for (const mark of cursors) {
          mark.hidden = !inside;
          if (inside) mark.style.transform = `translateX(${cx}px)`;
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
        bandElements.forEach((g, i) => g?.setAttribute("data-selected", String(i === selectedFinding)));
      }
    },
    grow(next, faultsChanged) {
      if (next.durationMs !== run.durationMs || next.telemetry.componentIds !== t.componentIds) return false;
      t = next.telemetry;
      // No-success hatching is redrawn with the marks: when faults or findings change (and so at the
      // run's end), not per streamed chunk (that would rescan every sample each time).
      if (faultsChanged || next.findings !== findings || next.complete !== run.complete) {
        findings = next.findings;
        run = next;
        drawMarks();
        lastCx = "";
        lastSelected = undefined;
      }
      run = next;
      extendLines();
      // The samples at the cursor may just have arrived.
      lastRow = -1;
      return true;
    },
    destroy() {
      unsubscribeHover();
    },
  };
}

/** One telemetry column (component x signal) as a view of its samples. Pure. */
function columnOf(t: TelemetryPayload, column: number): Float32Array {
  const width = t.componentIds.length * t.signalNames.length;
  const out = new Float32Array(t.count);
  for (let r = 0; r < t.count; r++) out[r] = t.values[r * width + column];
  return out;
}

/** The crosshair's line over a chart (hidden until the pointer is over a time panel). */
function hoverMark(parent: HTMLElement, top: number, height: number): HTMLDivElement {
  const mark = cursorMark(parent, top, height);
  mark.className = "tl-hover";
  mark.hidden = true;
  return mark;
}

/**
 * Pointer and keys on a chart: a click moves the cursor (and pauses); a drag across a range
 * zooms every time panel to it (a `tl-brush` event shows the band meanwhile); double-click shows
 * the whole run; moving over it moves the shared crosshair. Arrow keys step the cursor by 1%
 * (Shift: 10%) of the window, Home/End jump to its ends, + / - / 0 zoom.
 */
function attachPointer(svg: SVGSVGElement, x: ScaleLinear<number, number>, endMs: number, store: Store, hoverAt: (ms: number | null) => void): void {
  const [fromMs, toMs] = x.domain();
  const msAt = (clientX: number) => {
    const box = svg.getBoundingClientRect();
    return Math.min(toMs, Math.max(fromMs, x.invert(clientX - box.left)));
  };
  const toMs_ = (clientX: number) => Math.round(Math.min(endMs, reachedOf(store.get()), msAt(clientX)));
  let press: { x: number; ms: number; dragging: boolean } | undefined;
  svg.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    press = { x: e.clientX, ms: msAt(e.clientX), dragging: false };
    svg.setPointerCapture(e.pointerId);
    store.set({ cursorMs: toMs_(e.clientX), playing: false });
  });
  svg.addEventListener("pointermove", (e) => {
    hoverAt(msAt(e.clientX));
    if (!press) return;
    if (!press.dragging && Math.abs(e.clientX - press.x) >= DRAG_PX_MIN) press.dragging = true;
    if (press.dragging) svg.dispatchEvent(new CustomEvent("tl-brush", { detail: [press.ms, msAt(e.clientX)] }));
  });
  svg.addEventListener("pointerleave", () => {
    if (!press) hoverAt(null);
  });
  const stop = (e: PointerEvent) => {
    const was = press;
    press = undefined;
    if (svg.hasPointerCapture(e.pointerId)) svg.releasePointerCapture(e.pointerId);
    if (!was?.dragging) return;
    svg.dispatchEvent(new CustomEvent("tl-brush", { detail: null }));
    if (e.type === "pointerup") setTimeWindow(store, clampWindow(was.ms, msAt(e.clientX), endMs));
  };
  svg.addEventListener("pointerup", stop);
  svg.addEventListener("pointercancel", stop);
  svg.addEventListener("dblclick", () => setTimeWindow(store, null));
  svg.addEventListener("keydown", (e) => {
    if (zoomKey(store, e.key)) {
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    const step = (e.shiftKey ? 0.1 : 0.01) * (toMs - fromMs);
    const now = store.get().cursorMs;
    let next: number | undefined;
    if (e.key === "ArrowRight") next = now + step;
    else if (e.key === "ArrowLeft") next = now - step;
    else if (e.key === "Home") next = fromMs;
    else if (e.key === "End") next = toMs;
    if (next === undefined) return;
    // Handled here: the transport's document-level arrow keys (step one event) must not also run.
    e.preventDefault();
    e.stopPropagation();
    next = Math.round(Math.min(endMs, reachedOf(store.get()), Math.max(0, next)));
    svg.setAttribute("aria-valuenow", String(next));
    store.set({ cursorMs: next, playing: false });
  });
}

/** The last simulated time the cursor can show: the run's end, or how far a streaming run got. */
function reachedOf(s: AppState): number {
  if (!s.run) return 0;
  return s.run.complete ? s.run.durationMs : s.run.reachedMs;
}
