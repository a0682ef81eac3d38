// Reading telemetry for expectations: the samples in a window, time aggregators, and request
// latency percentiles over a window from the per-sample p50/p95/p99. Pure.
import type { Telemetry } from "../engine/telemetry.js";
import type { Aggregator, TimeWindow } from "./expectation.js";

/** Indexes of the samples whose time lies in `window` (all samples without one). */
export function sampleRange(telemetry: Telemetry, window?: TimeWindow): { first: number; end: number } {
  if (!window) return { first: 0, end: telemetry.count };
  let first = 0;
  while (first < telemetry.count && telemetry.times[first] < window.fromMs) first++;
  let end = first;
  while (end < telemetry.count && telemetry.times[end] < window.toMs) end++;
  return { first, end };
}

/** `aggregator` over `values[first..end)`; NaN when there are no samples. */
export function aggregate(values: Float32Array, first: number, end: number, aggregator: Aggregator): number {
  const n = end - first;
  if (n <= 0) return NaN;
  switch (aggregator.kind) {
    case "avg": {
      let sum = 0;
      for (let i = first; i < end; i++) sum += values[i];
      return sum / n;
    }
    case "min": {
      let min = Infinity;
      for (let i = first; i < end; i++) min = Math.min(min, values[i]);
      return min;
    }
    case "max": {
      let max = -Infinity;
      for (let i = first; i < end; i++) max = Math.max(max, values[i]);
      return max;
    }
    case "last":
      return values[end - 1];
    case "med":
      return percentileOfSamples(values, first, end, 50);
    case "p":
      return percentileOfSamples(values, first, end, aggregator.percentile);
  }
}

/** Nearest-rank percentile of the samples (as k6 does for trends). */
function percentileOfSamples(values: Float32Array, first: number, end: number, p: number): number {
  const sorted = Float64Array.from(values.subarray(first, end)).sort();
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Load-weighted mean of `values` (plain mean when nothing was offered). NaN without samples. */
export function loadWeightedMean(values: Float32Array, load: Float32Array, first: number, end: number): number {
  if (end <= first) return NaN;
  let sum = 0;
  let weight = 0;
  for (let i = first; i < end; i++) {
    sum += values[i] * load[i];
    weight += load[i];
  }
  if (weight > 0) return sum / weight;
  let plain = 0;
  for (let i = first; i < end; i++) plain += values[i];
  return plain / (end - first);
}

/**
 * The `q`-quantile (0..1) of request latency over samples [first, end): each sample is a latency
 * distribution known at p50/p95/p99, weighted by its load. Each sample's CDF is taken as linear
 * between (0 ms, 0), (p50, 0.5), (p95, 0.95), (p99, 0.99) and (1.5 x p99, 1) — an approximation
 * stated in docs/scenario-format.md — and the mixture's quantile is found by bisection.
 */
export function latencyQuantile(p50: Float32Array, p95: Float32Array, p99: Float32Array, load: Float32Array, first: number, end: number, q: number): number {
  if (end <= first) return NaN;
  let totalLoad = 0;
  let hi = 0;
  for (let i = first; i < end; i++) {
    totalLoad += load[i];
    hi = Math.max(hi, 1.5 * p99[i]);
  }
  const weightOf = (i: number) => (totalLoad > 0 ? load[i] / totalLoad : 1 / (end - first));
  const cdf = (x: number) => {
    let f = 0;
    for (let i = first; i < end; i++) {
      const w = weightOf(i);
      if (w > 0) f += w * sampleCdf(x, p50[i], p95[i], p99[i]);
    }
    return f;
  };
  let lo = 0;
  for (let k = 0; k < 60 && hi - lo > 1e-6 * Math.max(1, hi); k++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < q) lo = mid;
    else hi = mid;
  }
  return hi;
}

function sampleCdf(x: number, a: number, b: number, c: number): number {
  const d = 1.5 * c;
  if (x >= d) return 1;
  if (x >= c) return d > c ? 0.99 + (0.01 * (x - c)) / (d - c) : 1;
  if (x >= b) return c > b ? 0.95 + (0.04 * (x - b)) / (c - b) : 0.99;
  if (x >= a) return b > a ? 0.5 + (0.45 * (x - a)) / (b - a) : 0.95;
  return a > 0 ? (0.5 * x) / a : 0.5;
}
