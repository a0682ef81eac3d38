// Each finding's sparkline in the Findings panel: its knob or signal (finding-series.ts) over the
// whole run, its interval shaded and its witnesses marked, so a reader sees the shape of the
// problem (a flapping health, a knob reversed again and again) before reading the sentences.
import { formatTime } from "../../sim/core/units.js";
import type { Finding } from "../../sim/detect/finding.js";
import type { RunPayload } from "../model/payload.js";
import { seriesColour } from "./chart-palette.js";
import { findingSeries, knobValues, seriesName } from "./finding-series.js";
import { formatSignal, formatSpan } from "./format.js";
import { downsamplePerPixel } from "./timeline-series.js";

const SVG_NS = "http://www.w3.org/2000/svg";
export const FINDING_CHART_WIDTH = 200;
export const FINDING_CHART_HEIGHT = 40;
/** Room at the bottom for the min/max labels' baseline. */
const PAD = 3;

/** The finding's series values at every telemetry sample, and its name; undefined when it has none. Pure. */
export function findingValues(run: RunPayload, f: Finding): { name: string; component: string; key: string; values: Float32Array } | undefined {
  const t = run.telemetry;
  const s = findingSeries(f, t);
  if (!s) return undefined;
  let values: Float32Array;
  if (s.signal !== undefined) {
    const width = t.componentIds.length * t.signalNames.length;
    const column = t.componentIds.indexOf(s.component) * t.signalNames.length + t.signalNames.indexOf(s.signal);
    values = new Float32Array(t.count);
    for (let r = 0; r < t.count; r++) values[r] = t.values[r * width + column];
  } else values = knobValues(run.log, s.component, s.knob, t.times, t.count);
  if (!values.some((v) => Number.isFinite(v))) return undefined;
  return { name: seriesName(s), component: s.component, key: s.signal ?? s.knob, values };
}

/** One finding's sparkline as an SVG element (role img, described in its aria-label), or undefined when it has no series. */
export function findingChart(run: RunPayload, f: Finding): SVGSVGElement | undefined {
  const found = findingValues(run, f);
  if (!found) return undefined;
  const { name, component, key, values } = found;
  const t = run.telemetry;
  const endMs = Math.max(1, run.durationMs);
  const w = FINDING_CHART_WIDTH;
  const h = FINDING_CHART_HEIGHT;
  const x = (ms: number) => (Math.min(endMs, Math.max(0, ms)) / endMs) * (w - 2) + 1;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) if (Number.isFinite(v)) (min = Math.min(min, v)), (max = Math.max(max, v));
  const span = max - min || 1;
  const y = (v: number) => h - PAD - ((v - min) / span) * (h - 2 * PAD);
  const colour = seriesColour(t.componentIds.indexOf(component));

  const svg = el("svg", { class: "finding-chart", width: w, height: h, viewBox: `0 0 ${w} ${h}`, role: "img", "data-series": name, "data-colour": colour });
  el("rect", { class: "fc-interval", x: x(f.from), y: 0, width: Math.max(2, x(f.to) - x(f.from)), height: h, "data-from": f.from, "data-to": f.to }, svg);
  const indexes = downsamplePerPixel(t.times, values, t.count, x);
  el("polyline", { class: "fc-line", stroke: colour, points: indexes.map((r) => `${x(t.times[r]).toFixed(1)},${y(values[r]).toFixed(1)}`).join(" ") }, svg);
  // One mark per pixel column: thousands of witnesses (a long thrash) would draw one black bar.
  const columns = new Set<number>();
  for (const seq of f.witnesses) {
    const record = run.log[seq];
    if (!record) continue;
    const cx = Math.round(x(record.t));
    if (columns.has(cx)) continue;
    columns.add(cx);
    el("line", { class: "fc-witness", x1: cx, x2: cx, y1: h - 8, y2: h, "data-seq": seq }, svg);
  }
  svg.dataset.witnessMarks = String(columns.size);
  const range = `${formatSignal(key, min)} to ${formatSignal(key, max)}`;
  svg.setAttribute("aria-label", `${name} over the run (${range}); the finding's ${formatSpan(f.to - f.from)} from ${formatTime(f.from)} shaded, ${f.witnesses.length} witnesses marked`);
  el("title", {}, svg).textContent = svg.getAttribute("aria-label");
  return svg;
}

/**
 * How long a finding lasted, in words, and what its summed durations measure: "lasted 51m",
 * "lasted 51m, unhealthy 27m 12s in total" (a flapping finding's `unhealthyMs` is a sum over
 * its flips, not a clock time). Pure.
 */
export function findingSpanText(f: Finding): string {
  const parts = [`lasted ${formatSpan(f.to - f.from)}`];
  if (typeof f.metrics.unhealthyMs === "number") parts.push(`unhealthy ${formatSpan(f.metrics.unhealthyMs)} in total`);
  if (typeof f.metrics.persistedMs === "number") parts.push(`persisted ${formatSpan(f.metrics.persistedMs)} after its trigger`);
  return parts.join(", ");
}

/**
 * Adds a sparkline to each `li` of the findings list whose button carries `data-finding-index`
 * (after the button), for a complete run's findings.
 */
export function mountFindingCharts(list: HTMLElement, run: RunPayload | undefined): void {
  if (!run?.complete) return;
  for (const button of Array.from(list.querySelectorAll<HTMLButtonElement>("button[data-finding-index]"))) {
    const f = run.findings[Number(button.dataset.findingIndex)];
    const chart = f ? findingChart(run, f) : undefined;
    if (chart) button.after(chart);
  }
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  parent?.append(element);
  return element;
}
