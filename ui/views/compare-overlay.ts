// One signal of run a and run b drawn over each other on one time axis, with a legend and a
// picker of component and signal, for the compare and what-if panels: where the two runs part is
// where the lines part. The default series is the one whose two runs differ most (overlayCandidates).
import { axisBottom, axisLeft } from "d3-axis";
import { scaleLinear } from "d3-scale";
import { select } from "d3-selection";
import { formatTime } from "../../sim/core/units.js";
import type { RunPayload, TelemetryPayload } from "../model/payload.js";
import { sampleAt, series } from "../model/payload.js";
import { downsamplePerPixel } from "./timeline-series.js";
import { timeTicks } from "./lanes-time.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const HEIGHT = 132;
const MARGIN = { left: 52, right: 10, top: 8, bottom: 22 };

/** The signals offered, in this order, with how their values read. */
export const OVERLAY_SIGNALS: readonly { signal: string; label: string; format: (v: number) => string }[] = [
  { signal: "errorRate", label: "error rate", format: (v) => `${+(v * 100).toFixed(v > 0 && v < 0.01 ? 2 : 1)}%` },
  { signal: "available", label: "availability", format: (v) => `${+(v * 100).toFixed(1)}%` },
  { signal: "latencyMsP95", label: "latency p95", format: (v) => (v >= 1000 ? `${+(v / 1000).toFixed(1)} s` : `${+v.toFixed(v < 10 ? 1 : 0)} ms`) },
  { signal: "utilization", label: "utilization", format: (v) => `${+(v * 100).toFixed(0)}%` },
  { signal: "replicas", label: "replicas", format: (v) => String(Math.round(v)) },
  { signal: "loadRps", label: "load", format: (v) => (v >= 1000 ? `${+(v / 1000).toFixed(1)}k/s` : `${+v.toFixed(0)}/s`) },
];

/** One series both runs have, and how much the two differ. */
export interface OverlayCandidate {
  component: string;
  signal: string;
  /** Mean absolute difference between the runs over the shared samples, relative to the larger of the two series' peaks (0: identical, 1: as different as they can be). */
  difference: number;
}

/**
 * Every component and OVERLAY_SIGNALS signal both telemetries sample with a value other than 0
 * somewhere, most different first (ties: component order, then signal order), so the default
 * overlay is where the runs part most. Pure.
 */
export function overlayCandidates(a: TelemetryPayload, b: TelemetryPayload): OverlayCandidate[] {
  const out: (OverlayCandidate & { order: number })[] = [];
  const components = a.componentIds.filter((id) => b.componentIds.includes(id));
  const n = Math.min(a.count, b.count);
  components.forEach((component, c) => {
    OVERLAY_SIGNALS.forEach(({ signal }, s) => {
      if (!a.signalNames.includes(signal) || !b.signalNames.includes(signal)) return;
      const da = series(a, component, signal);
      const db = series(b, component, signal);
      let peak = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const x = Number.isFinite(da[i]) ? da[i] : 0;
        const y = Number.isFinite(db[i]) ? db[i] : 0;
        peak = Math.max(peak, Math.abs(x), Math.abs(y));
        sum += Math.abs(x - y);
      }
      if (peak === 0) return;
      out.push({ component, signal, difference: n > 0 ? sum / (n * peak) : 0, order: c * OVERLAY_SIGNALS.length + s });
    });
  });
  out.sort((x, y) => y.difference - x.difference || x.order - y.order);
  return out.map(({ component, signal, difference }) => ({ component, signal, difference }));
}

/** What the chart shows each side as: `a: blind (shown run)`. */
export interface OverlaySides {
  a: string;
  b: string;
}

/** A drawn overlay: moves its cursor and value read-outs. */
export interface OverlayChart {
  element: HTMLElement;
  update(cursorMs: number): void;
}

/**
 * Builds the overlay of `a` and `b` (`width` px wide) as a figure: a picker of component and
 * signal, a legend naming both sides with their value at the cursor, and the SVG chart. Text only
 * through textContent; ids come from the scenario.
 */
export function overlayChart(a: RunPayload, b: RunPayload, sides: OverlaySides, width: number): OverlayChart {
  const figure = document.createElement("figure");
  figure.className = "ov-figure";
  figure.dataset.testid = "overlay-chart";
  const candidates = overlayCandidates(a.telemetry, b.telemetry);
  const head = document.createElement("figcaption");
  head.className = "ov-head";
  const picker = document.createElement("select");
  picker.className = "ov-pick";
  picker.dataset.testid = "overlay-series";
  picker.setAttribute("aria-label", "Signal drawn for both runs");
  for (const c of candidates) picker.append(new Option(`${c.component} · ${labelOf(c.signal)}${c.difference > 0 ? "" : " (same)"}`, `${c.component}\u0001${c.signal}`));
  const legend = document.createElement("span");
  legend.className = "ov-legend";
  const values: Record<"a" | "b", HTMLSpanElement> = { a: document.createElement("span"), b: document.createElement("span") };
  for (const side of ["a", "b"] as const) {
    const item = document.createElement("span");
    item.className = `ov-key ov-${side}`;
    item.dataset.series = side;
    const swatch = document.createElement("span");
    swatch.className = "ov-swatch";
    swatch.setAttribute("aria-hidden", "true");
    const name = document.createElement("span");
    name.textContent = `${side}: ${sides[side]}`;
    values[side].className = "ov-value mono";
    item.append(swatch, name, values[side]);
    legend.append(item);
  }
  head.append(picker, legend);
  const plot = document.createElement("div");
  plot.className = "ov-plot";
  figure.append(head, plot);
  if (candidates.length === 0) {
    plot.textContent = "No signal with a value to compare.";
    figure.dataset.series = "0";
    return { element: figure, update() {} };
  }

  const duration = Math.max(a.durationMs, b.durationMs, 1);
  const x = scaleLinear().domain([0, duration]).range([MARGIN.left, Math.max(MARGIN.left + 40, width - MARGIN.right)]);
  let current: { data: Record<"a" | "b", Float32Array>; format: (v: number) => string } | undefined;
  const cursor = document.createElementNS(SVG_NS, "line");
  let lastCursor = 0;

  const draw = (): void => {
    const [component, signal] = picker.value.split("\u0001");
    const spec = OVERLAY_SIGNALS.find((s) => s.signal === signal)!;
    const data = { a: series(a.telemetry, component, signal), b: series(b.telemetry, component, signal) };
    let max = 0;
    for (const d of [data.a, data.b]) for (const v of d) if (Number.isFinite(v)) max = Math.max(max, v);
    const y = scaleLinear().domain([0, max > 0 ? max : 1]).nice(3).range([HEIGHT - MARGIN.bottom, MARGIN.top]);
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("class", "ov-svg");
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(HEIGHT));
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", `${component} ${spec.label} over time: ${sides.a} (solid) and ${sides.b} (dashed)`);
    const yAxis = document.createElementNS(SVG_NS, "g");
    yAxis.setAttribute("class", "ov-axis");
    yAxis.setAttribute("transform", `translate(${MARGIN.left},0)`);
    select(yAxis).call(axisLeft(y).ticks(3).tickFormat((v) => spec.format(Number(v))));
    const xAxis = document.createElementNS(SVG_NS, "g");
    xAxis.setAttribute("class", "ov-axis");
    xAxis.setAttribute("transform", `translate(0,${HEIGHT - MARGIN.bottom})`);
    select(xAxis).call(axisBottom(x).tickValues(timeTicks(0, duration, Math.max(2, Math.floor((width - MARGIN.left) / 90)))).tickFormat((t) => formatTime(Number(t))));
    svg.append(yAxis, xAxis);
    // b first, so a's solid line stays on top where the two coincide (before the runs part).
    for (const side of ["b", "a"] as const) {
      const run = side === "a" ? a : b;
      const values = data[side];
      const times = run.telemetry.times;
      const idx = downsamplePerPixel(times, values, run.telemetry.count, x);
      const line = document.createElementNS(SVG_NS, "polyline");
      line.setAttribute("class", `ov-line ov-${side}`);
      line.dataset.series = side;
      line.dataset.points = String(idx.length);
      line.setAttribute("points", idx.map((i) => `${x(times[i]).toFixed(1)},${y(values[i]).toFixed(1)}`).join(" "));
      svg.append(line);
    }
    cursor.setAttribute("class", "ov-cursor");
    cursor.setAttribute("y1", String(MARGIN.top));
    cursor.setAttribute("y2", String(HEIGHT - MARGIN.bottom));
    svg.append(cursor);
    plot.replaceChildren(svg);
    figure.dataset.component = component;
    figure.dataset.signal = signal;
    figure.dataset.series = "2";
    current = { data, format: spec.format };
    update(lastCursor);
  };

  const update = (cursorMs: number): void => {
    lastCursor = cursorMs;
    const cx = x(Math.min(Math.max(cursorMs, 0), duration)).toFixed(1);
    cursor.setAttribute("x1", cx);
    cursor.setAttribute("x2", cx);
    if (!current) return;
    for (const side of ["a", "b"] as const) {
      const run = side === "a" ? a : b;
      const text = run.telemetry.count ? ` ${current.format(current.data[side][sampleAt(run.telemetry, cursorMs)])}` : "";
      if (values[side].textContent !== text) values[side].textContent = text;
    }
  };

  picker.addEventListener("change", draw);
  draw();
  return { element: figure, update };
}

function labelOf(signal: string): string {
  return OVERLAY_SIGNALS.find((s) => s.signal === signal)?.label ?? signal;
}
