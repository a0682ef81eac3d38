// The report's signal timeline: one inline SVG chart per signal with a polyline per component,
// downsampled so a chart never holds more than 1,000 points per line, with bands where findings
// and faults were, and a (hidden until the report's script places it) cursor line on each chart.
// Pure; strings in, strings out.
import type { Telemetry } from "../engine/telemetry.js";
import { esc, niceCeil, PALETTE, px, shortNumber, tickLabel, timeTicks } from "./html-text.js";

/** A shaded interval on every chart: a finding (by severity) or a fault. */
export interface TimeBand {
  fromMs: number;
  toMs: number;
  kind: "finding-info" | "finding-warning" | "finding-critical" | "fault";
  label: string;
  /** Where the band's label links to (an anchor in the report). */
  href?: string;
}

/** The telemetry a timeline reads (a live Telemetry or one loaded from a run file). */
export type TelemetryLike = Pick<Telemetry, "times" | "count" | "componentIds" | "signalNames" | "series">;

export interface TimelineSignal {
  signal: string;
  label: string;
}

export interface TimelineOptions {
  endMs: number;
  components: readonly string[];
  signals: readonly TimelineSignal[];
  bands: readonly TimeBand[];
  /** Points per line at most (default 1000). */
  pointsMax?: number;
}

const WIDTH = 1000;
const HEIGHT = 150;
const LEFT = 56;
const RIGHT = 28;

/** Where the plot area sits in every chart's viewBox, for the cursor script's pointer maths. */
export const TIMELINE_GEOMETRY = { viewWidth: WIDTH, plotLeft: LEFT, plotWidth: WIDTH - LEFT - RIGHT } as const;
const TOP = 8;
const BOTTOM = 22;

/**
 * Indexes of the samples to draw so that at most `pointsMax` remain: all of them when they fit,
 * otherwise the minimum and the maximum of each of pointsMax / 2 equal buckets, in time order,
 * so spikes and dips survive. Pure.
 */
export function downsampleMinMax(values: ArrayLike<number>, pointsMax: number): number[] {
  const n = values.length;
  if (n <= pointsMax) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(pointsMax / 2));
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    if (to <= from) continue;
    let lo = from;
    let hi = from;
    for (let i = from + 1; i < to; i++) {
      if (values[i] < values[lo]) lo = i;
      if (values[i] > values[hi]) hi = i;
    }
    if (lo === hi) out.push(lo);
    else out.push(Math.min(lo, hi), Math.max(lo, hi));
  }
  return out;
}

/** The timeline charts as HTML (a figure per signal, with a legend). Pure. */
export function timelineHtml(telemetry: TelemetryLike, options: TimelineOptions): string {
  const pointsMax = options.pointsMax ?? 1000;
  const endMs = Math.max(1, options.endMs);
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const x = (t: number) => LEFT + (Math.min(Math.max(t, 0), endMs) / endMs) * plotW;
  const times = telemetry.times;
  const components = options.components.filter((c) => telemetry.componentIds.includes(c));
  const parts: string[] = [];
  const legend = components.map((c, i) => `<span class="swatch sw-${i % PALETTE.length}"></span>${esc(c)}`).join(" ");
  parts.push(`<p class="legend">${legend}</p>`);

  for (const { signal, label } of options.signals) {
    if (!telemetry.signalNames.includes(signal) || telemetry.count === 0) continue;
    const series = components.map((c) => telemetry.series(c, signal));
    let yMaxRaw = 0;
    for (const s of series) for (const v of s) if (Number.isFinite(v) && v > yMaxRaw) yMaxRaw = v;
    const yMax = niceCeil(yMaxRaw);
    const y = (v: number) => TOP + (1 - Math.min(Math.max(v, 0), yMax) / yMax) * plotH;
    const svg: string[] = [];
    svg.push(`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${esc(label)} over time">`);
    svg.push(`<rect class="plot" x="${LEFT}" y="${TOP}" width="${plotW}" height="${plotH}"/>`);
    for (const band of options.bands) {
      const x0 = x(band.fromMs);
      const w = Math.max(2, x(band.toMs) - x0);
      // A light shade over the plot and a solid strip along its top, so a finding that lasts the
      // whole run does not drown the lines.
      const rect = `<g class="band ${band.kind}"><rect class="shade" x="${px(x0)}" y="${TOP}" width="${px(w)}" height="${plotH}"/><rect class="strip" x="${px(x0)}" y="${TOP}" width="${px(w)}" height="5"/><title>${esc(band.label)}</title></g>`;
      svg.push(band.href ? `<a href="${esc(band.href)}">${rect}</a>` : rect);
      if (band.kind === "fault") svg.push(`<line class="fault-mark" x1="${px(x0)}" y1="${TOP}" x2="${px(x0)}" y2="${TOP + plotH}"/>`);
    }
    for (const t of timeTicks(endMs)) {
      svg.push(`<line class="grid" x1="${px(x(t))}" y1="${TOP}" x2="${px(x(t))}" y2="${TOP + plotH}"/>`);
      svg.push(`<text class="tick" x="${px(x(t))}" y="${HEIGHT - 6}" text-anchor="middle">${esc(tickLabel(t))}</text>`);
    }
    for (const v of [0, yMax / 2, yMax]) {
      svg.push(`<text class="tick" x="${LEFT - 4}" y="${px(y(v) + 4)}" text-anchor="end">${esc(shortNumber(v))}</text>`);
    }
    series.forEach((s, i) => {
      const points = downsampleMinMax(s, pointsMax)
        .filter((k) => Number.isFinite(s[k]))
        .map((k) => `${px(x(times[k]))},${px(y(s[k]))}`)
        .join(" ");
      if (points.length > 0) svg.push(`<polyline class="line" stroke="${PALETTE[i % PALETTE.length]}" points="${points}"><title>${esc(`${components[i]} ${label}`)}</title></polyline>`);
    });
    // The cursor: placed and shown by the report's script (a report read without scripts has none).
    svg.push(`<line class="cursor" x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + plotH}" visibility="hidden"/>`);
    svg.push(`<text class="cursor-label" x="${LEFT}" y="${TOP + 16}" visibility="hidden"></text>`);
    svg.push(`</svg>`);
    parts.push(`<figure><figcaption>${esc(label)}</figcaption>${svg.join("")}</figure>`);
  }
  return parts.join("\n");
}
