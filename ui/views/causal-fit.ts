// Which stretch of time the causal space-time view zooms to when an event is selected: the span of
// its near causes and effects, padded, never so wide that the run's events blur together and never
// narrower than a few seconds, always with the selected event inside. Pure.

export interface FitOptions {
  /** Padding on each side, as a fraction of the neighbourhood's span (default 0.08). */
  padFraction?: number;
  /** The window is at most this fraction of the run (default 0.25: at least 4x zoom, so the neighbourhood is legible). */
  spanMaxFraction?: number;
  /** The window is at least this long (default 10 s, or the whole run when shorter). */
  spanMinMs?: number;
  /** Only this share of the neighbourhood, the records nearest the selected one in time, sets the window (default 0.6): a few late effects (a health change citing a write it followed by minutes) must not zoom the rest out. */
  keepFraction?: number;
}

/**
 * The time window [fromMs, toMs] to show for an event at `selectedMs` whose neighbourhood's
 * records happened at `timesMs`, in a run of `durationMs`: the extent of the `keepFraction` of
 * them nearest the event in time (ties: the earlier first), plus padding, widened to `spanMinMs` about its middle, or (when wider than the run's
 * `spanMaxFraction`) that much centred on the selected event; then shifted inside [0, durationMs].
 * The selected event is always inside the window. Pure.
 */
export function fitWindow(selectedMs: number, timesMs: readonly number[], durationMs: number, options: FitOptions = {}): [number, number] {
  const duration = Math.max(1, durationMs);
  const spanMax = Math.max(1, duration * (options.spanMaxFraction ?? 0.25));
  const spanMin = Math.min(duration, spanMax, options.spanMinMs ?? 10_000);
  const nearest = [...timesMs].sort((x, y) => Math.abs(x - selectedMs) - Math.abs(y - selectedMs) || x - y);
  const kept = nearest.slice(0, Math.ceil(nearest.length * (options.keepFraction ?? 0.6)));
  let lo = selectedMs;
  let hi = selectedMs;
  for (const t of kept) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const pad = (hi - lo) * (options.padFraction ?? 0.08);
  lo -= pad;
  hi += pad;
  if (hi - lo < spanMin) {
    const mid = (lo + hi) / 2;
    lo = mid - spanMin / 2;
    hi = mid + spanMin / 2;
  } else if (hi - lo > spanMax) {
    lo = selectedMs - spanMax / 2;
    hi = selectedMs + spanMax / 2;
  }
  const span = Math.min(hi - lo, duration);
  if (lo < 0) {
    lo = 0;
    hi = span;
  } else if (hi > duration) {
    hi = duration;
    lo = duration - span;
  }
  return [lo, hi];
}
