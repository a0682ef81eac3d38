// Latency where nothing succeeded: a component whose error rate is 1 served no request, and the
// p95 of no requests is not a latency (the engine samples it as its floor, ~1 ms, which draws as
// a healthy line through an outage). The timeline leaves a gap there and hatches it instead.

/** Error rate at or above which a sample counts as "no successful requests". */
export const NO_SUCCESS_ERROR_RATE = 1;

/** True when the sample's error rate says no request succeeded. Pure. */
export function noSuccess(errorRate: number): boolean {
  return Number.isFinite(errorRate) && errorRate >= NO_SUCCESS_ERROR_RATE;
}

/**
 * `latency` with NaN wherever `errorRate` says nothing succeeded (samples [0, count)); the time
 * views skip NaN samples, so the line breaks there. Pure.
 */
export function maskNoSuccess(latency: ArrayLike<number>, errorRate: ArrayLike<number>, count = latency.length): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = noSuccess(errorRate[i]) ? Number.NaN : latency[i];
  return out;
}

/**
 * The stretches of time without a successful request, as [fromMs, toMs) spans: a run of samples
 * with error rate 1 from its first sample's time to the next sample's time (or `endMs`). Pure.
 */
export function noSuccessSpans(times: ArrayLike<number>, errorRate: ArrayLike<number>, count: number, endMs: number): { from: number; to: number }[] {
  const spans: { from: number; to: number }[] = [];
  let start = -1;
  for (let i = 0; i < count; i++) {
    const none = noSuccess(errorRate[i]);
    if (none && start < 0) start = i;
    if (!none && start >= 0) {
      spans.push({ from: times[start], to: times[i] });
      start = -1;
    }
  }
  if (start >= 0) spans.push({ from: times[start], to: Math.max(times[start], endMs) });
  return spans;
}

/**
 * SVG path data through the samples `indexes` (in time order), with a new subpath wherever a
 * sample between two consecutive drawn ones is "no success" (`gap(i)`), so the line never
 * bridges an outage. Pure.
 */
export function gappedPath(indexes: readonly number[], x: (i: number) => number, y: (i: number) => number, gapBetween: (a: number, b: number) => boolean): string {
  let d = "";
  let previous = -1;
  for (const i of indexes) {
    const move = previous < 0 || gapBetween(previous, i);
    d += `${move ? "M" : "L"}${Math.round(x(i) * 10) / 10},${Math.round(y(i) * 10) / 10}`;
    previous = i;
  }
  return d;
}

/**
 * For a mask of "no success" samples, a function telling whether any sample in (a, b) — strictly
 * between two drawn samples — or a or b itself is masked, in O(1) after an O(n) prefix count. Pure.
 */
export function gapFinder(errorRate: ArrayLike<number>, count: number): (a: number, b: number) => boolean {
  const prefix = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) prefix[i + 1] = prefix[i] + (noSuccess(errorRate[i]) ? 1 : 0);
  return (a, b) => prefix[Math.min(count, b + 1)] - prefix[Math.max(0, a)] > 0;
}
