// Timeline: small multiples of the selected components' signals over the whole run, with finding
// bands, fault markers and a time cursor; click or drag on a chart (or use the arrow keys on it)
// to scrub. Lines are drawn once per run, size or component selection; the cursor only moves
// one line per chart and rewrites the values next to the titles.
import { axisBottom, axisLeft } from "d3-axis";
import { scaleLinear, type ScaleLinear } from "d3-scale";
import { schemeTableau10 } from "d3-scale-chromatic";
import { select } from "d3-selection";
import { formatTime } from "../../sim/core/units.js";
import type { RunPayload, TelemetryPayload } from "../model/payload.js";
import { sampleAt } from "../model/payload.js";
import { selectFinding, type Store } from "../state/store.js";

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

/** Mounts the timeline into `root`; it follows `store` from then on. */
export function mountTimeline(root: HTMLElement, store: Store): void {
  root.innerHTML = `<h2>Timeline</h2>
    <div class="tl-toggles" role="group" aria-label="Components shown"></div>
    <div class="tl-body"><p class="tl-empty">No run yet.</p></div>`;
  const toggles = root.querySelector<HTMLDivElement>(".tl-toggles")!;
  const body = root.querySelector<HTMLDivElement>(".tl-body")!;

  let run: RunPayload | undefined;
  let selected: string[] = [];
  let width = 0;
  /** Cursor-dependent parts of the current drawing; rebuilt with it. */
  let drawing: Drawing | undefined;

  const rebuild = () => {
    width = Math.max(320, Math.floor(body.clientWidth || root.clientWidth || 800));
    drawing = run ? draw(body, run, selected, width, store) : undefined;
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
        button.setAttribute("aria-pressed", String(next.has(id)));
        rebuild();
      });
      toggles.append(button);
    });
  };

  store.subscribe((s, previous) => {
    if (s.run !== run) {
      run = s.run;
      selected = run ? defaultComponents(run.telemetry) : [];
      renderToggles();
      rebuild();
      return;
    }
    if (drawing && (s.cursorMs !== previous.cursorMs || s.selectedFinding !== previous.selectedFinding)) drawing.update(s.cursorMs, s.selectedFinding);
  });

  // Redraw when the panel's width changes (window resize, layout settling); never per frame.
  let pending = 0;
  new ResizeObserver(() => {
    if (pending) return;
    pending = requestAnimationFrame(() => {
      pending = 0;
      const next = Math.max(320, Math.floor(body.clientWidth));
      if (run && Math.abs(next - width) > 4) rebuild();
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
  const picked = t.componentIds.filter((_, c) => {
    for (let r = 0; r < t.count; r++) {
      const base = r * width + c * t.signalNames.length;
      if ((load >= 0 && t.values[base + load] > 0) || (replicas >= 0 && t.values[base + replicas] > 0)) return true;
    }
    return false;
  });
  return (picked.length > 0 ? picked : t.componentIds).slice(0, DEFAULT_COMPONENTS_MAX);
}

/**
 * Sample indexes to draw for a line `plotWidth` pixels wide: per pixel column, the minimum and
 * the maximum sample in time order, so spikes and dips survive downsampling. Pure.
 */
export function downsamplePerPixel(times: ArrayLike<number>, values: ArrayLike<number>, count: number, x: (t: number) => number, plotWidth: number): number[] {
  if (count <= plotWidth * 2) return Array.from({ length: count }, (_, i) => i);
  const out: number[] = [];
  let column = -1;
  let lo = -1;
  let hi = -1;
  const flush = () => {
    if (lo < 0) return;
    if (lo === hi) out.push(lo);
    else out.push(Math.min(lo, hi), Math.max(lo, hi));
  };
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const c = Math.floor(x(times[i]));
    if (c !== column) {
      flush();
      column = c;
      lo = hi = i;
    } else {
      if (v < values[lo]) lo = i;
      if (v > values[hi]) hi = i;
    }
  }
  flush();
  return out;
}

interface Drawing {
  update(cursorMs: number, selectedFinding: number | null): void;
}

interface FaultSpan {
  id: string;
  target?: string;
  from: number;
  to: number;
}

/** `fault.started` .. `fault.ended` pairs from the log (open faults last until the run's end). */
function faultSpans(run: RunPayload): FaultSpan[] {
  const spans: FaultSpan[] = [];
  const open = new Map<number, FaultSpan>();
  for (const r of run.log) {
    if (r.type === "fault.started") {
      const span = { id: r.actor, target: r.target, from: r.t, to: run.durationMs };
      open.set(r.seq, span);
      spans.push(span);
    } else if (r.type === "fault.ended") {
      const span = r.causes.map((c) => open.get(c)).find((s) => s !== undefined) ?? spans.find((s) => s.id === r.actor && s.to === run.durationMs);
      if (span) span.to = r.t;
    }
  }
  return spans;
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

/** Draws everything static for one run, width and component selection; returns the cursor updater. */
function draw(body: HTMLElement, run: RunPayload, components: readonly string[], width: number, store: Store): Drawing {
  body.innerHTML = "";
  const t = run.telemetry;
  const endMs = Math.max(1, run.durationMs);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const x = scaleLinear().domain([0, endMs]).range([MARGIN.left, MARGIN.left + plotWidth]).clamp(true);
  const ticks = timeTicks(endMs, Math.max(2, Math.floor(plotWidth / 90)));
  const tickLabel = tickFormatter(ticks);
  const rowWidth = t.componentIds.length * t.signalNames.length;
  const componentIndexes = components.map((c) => t.componentIds.indexOf(c)).filter((c) => c >= 0);
  const faults = faultSpans(run);
  const cursorLines: SVGLineElement[] = [];
  const valueUpdaters: ((row: number) => void)[] = [];

  // The event strip: finding bands (clickable) and fault markers on the shared time axis.
  const intervals = [...run.findings.map((f) => ({ from: f.from, to: Math.max(f.to, f.from) })), ...faults.map((f) => ({ from: f.from, to: f.to }))];
  const minGapMs = x.invert(MARGIN.left + 3) - x.invert(MARGIN.left);
  const rows = packRows(intervals, minGapMs);
  const rowCount = Math.max(1, ...rows.map((r) => r + 1));
  const stripHeight = rowCount * STRIP_ROW_HEIGHT + 22;
  const strip = svgElement("svg", { class: "tl-strip", width, height: stripHeight, role: "group", "aria-label": "Findings and faults over time" }, body);
  svgElement("text", { class: "tl-strip-label", x: MARGIN.left - 6, y: STRIP_ROW_HEIGHT - 2, "text-anchor": "end" }, strip).textContent = run.findings.length + faults.length > 0 ? "events" : "none";
  const bandElements: SVGGElement[] = [];
  run.findings.forEach((f, i) => {
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
    bandElements.push(g);
  });
  faults.forEach((f, k) => {
    const row = rows[run.findings.length + k];
    const x0 = x(f.from);
    const g = svgElement("g", { class: "tl-fault", "data-fault": f.id, "data-from": f.from, "data-to": f.to }, strip);
    svgElement("rect", { x: x0, y: row * STRIP_ROW_HEIGHT + 2, width: Math.max(2, x(f.to) - x0), height: STRIP_ROW_HEIGHT - 3 }, g);
    svgElement("line", { class: "tl-fault-start", x1: x0, x2: x0, y1: 0, y2: stripHeight - 20 }, g);
    svgElement("text", { x: x0 + 3, y: row * STRIP_ROW_HEIGHT + STRIP_ROW_HEIGHT - 2 }, g).textContent = f.id;
    svgElement("title", {}, g).textContent = `fault ${f.id}${f.target ? ` on ${f.target}` : ""} ${formatTime(f.from)}–${formatTime(f.to)}`;
  });
  const stripAxis = svgElement("g", { class: "tl-axis", transform: `translate(0,${stripHeight - 20})` }, strip);
  select(stripAxis).call(axisBottom(x).tickValues(ticks).tickFormat((d) => tickLabel(Number(d))).tickSizeOuter(0));
  cursorLines.push(svgElement("line", { class: "tl-cursor", y1: 0, y2: stripHeight - 20 }, strip));

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
    figure.append(caption);
    body.append(figure);

    const height = CHART_HEIGHT;
    const svg = svgElement("svg", { width, height, role: "slider", tabindex: 0, "aria-label": `${spec.label} over time; click, drag or use the arrow keys to move the cursor`, "aria-valuemin": 0, "aria-valuemax": endMs }, figure);
    const columns = componentIndexes.map((c) => c * t.signalNames.length + s);
    let yMax = 0;
    for (let r = 0; r < t.count; r++) for (const col of columns) {
      const v = t.values[r * rowWidth + col];
      if (Number.isFinite(v) && v > yMax) yMax = v;
    }
    const y: ScaleLinear<number, number> = scaleLinear()
      .domain([0, yMax > 0 ? yMax : 1])
      .nice(3)
      .range([height - MARGIN.bottom, MARGIN.top]);

    // Shades: findings and faults over the plot, under the lines; not interactive.
    const shades = svgElement("g", { class: "tl-shades" }, svg);
    for (const f of run.findings) svgElement("rect", { class: `tl-shade tl-${f.severity}`, x: x(f.from), width: Math.max(2, x(f.to) - x(f.from)), y: MARGIN.top, height: height - MARGIN.top - MARGIN.bottom }, shades);
    for (const f of faults) {
      svgElement("rect", { class: "tl-shade tl-fault-shade", x: x(f.from), width: Math.max(2, x(f.to) - x(f.from)), y: MARGIN.top, height: height - MARGIN.top - MARGIN.bottom }, shades);
      svgElement("line", { class: "tl-fault-start", x1: x(f.from), x2: x(f.from), y1: MARGIN.top, y2: height - MARGIN.bottom }, shades);
    }
    const grid = svgElement("g", { class: "tl-grid" }, svg);
    for (const tick of ticks) svgElement("line", { x1: x(tick), x2: x(tick), y1: MARGIN.top, y2: height - MARGIN.bottom }, grid);
    const yAxis = svgElement("g", { class: "tl-axis", transform: `translate(${MARGIN.left},0)` }, svg);
    select(yAxis).call(axisLeft(y).ticks(3).tickFormat((d) => shortNumber(Number(d), spec.signal)).tickSizeOuter(0));

    const lines = svgElement("g", { class: "tl-lines" }, svg);
    const samples = new Float64Array(t.count);
    componentIndexes.forEach((c, k) => {
      const col = columns[k];
      for (let r = 0; r < t.count; r++) samples[r] = t.values[r * rowWidth + col];
      const points = downsamplePerPixel(t.times, samples, t.count, x, plotWidth)
        .map((r) => `${x(t.times[r]).toFixed(1)},${y(samples[r]).toFixed(1)}`)
        .join(" ");
      const line = svgElement("polyline", { class: "tl-line", points, stroke: colour(c), "data-component": t.componentIds[c] }, lines);
      svgElement("title", {}, line).textContent = `${t.componentIds[c]} ${spec.label}`;
    });
    cursorLines.push(svgElement("line", { class: "tl-cursor", y1: MARGIN.top, y2: height - MARGIN.bottom }, svg));
    attachScrub(svg, x, endMs, store);

    valueUpdaters.push((row) => {
      const parts: string[] = [];
      const html: string[] = [];
      componentIndexes.forEach((c, k) => {
        const v = t.values[row * rowWidth + columns[k]];
        const text = Number.isFinite(v) ? spec.format(v) : "–";
        parts.push(`${t.componentIds[c]}=${text}`);
        html.push(`<span data-component="${t.componentIds[c]}" style="color:${colour(c)}">${t.componentIds[c]} ${text}</span>`);
      });
      const joined = parts.join(" ");
      // Rewriting the same text every frame would still cost layout; only touch changed values.
      if (value.dataset.value !== joined) {
        value.dataset.value = joined;
        value.innerHTML = html.join(" ");
      }
    });
  }

  const bottom = svgElement("svg", { class: "tl-bottom-axis", width, height: 20 }, body);
  const bottomAxis = svgElement("g", { class: "tl-axis" }, bottom);
  select(bottomAxis).call(axisBottom(x).tickValues(ticks).tickFormat((d) => tickLabel(Number(d))).tickSizeOuter(0));

  let lastSelected: number | null | undefined;
  return {
    update(cursorMs, selectedFinding) {
      const cx = x(cursorMs).toFixed(1);
      const ms = String(cursorMs);
      for (const line of cursorLines) {
        line.setAttribute("x1", cx);
        line.setAttribute("x2", cx);
        line.dataset.cursorMs = ms;
      }
      const row = t.count > 0 ? sampleAt(t, cursorMs) : -1;
      if (row >= 0) for (const updater of valueUpdaters) updater(row);
      if (selectedFinding !== lastSelected) {
        lastSelected = selectedFinding;
        bandElements.forEach((g, i) => g.setAttribute("data-selected", String(i === selectedFinding)));
      }
    },
  };
}

/** Click or drag on `svg` moves the cursor (and pauses); arrow keys step by 1% (Shift: 10%). */
function attachScrub(svg: SVGSVGElement, x: ScaleLinear<number, number>, endMs: number, store: Store): void {
  const toMs = (clientX: number) => {
    const box = svg.getBoundingClientRect();
    return Math.round(Math.min(endMs, Math.max(0, x.invert(clientX - box.left))));
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
    next = Math.round(Math.min(endMs, Math.max(0, next)));
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
