// Retrying clients: how likely one attempt is to fail as the client sees it (an error, or a
// response slower than the client's timeout), and how many attempts each request makes under a
// retry policy and budget. Pure functions; the world feeds them the target's last signals, so
// retries add load one step later and a retry storm can sustain itself.

/**
 * Probability that a response takes longer than `timeoutMs`, interpolated from three latency
 * quantiles: linear to the median, log-linear between the quantiles, and an exponential tail
 * past p99 with the decay the p95-p99 segment implies. Pure.
 */
export function slowerThanProbability(timeoutMs: number, p50: number, p95: number, p99: number): number {
  if (timeoutMs <= 0) return 1;
  if (timeoutMs <= p50) return 1 - 0.5 * (timeoutMs / Math.max(p50, 1e-9));
  const logLinear = (x: number, x0: number, x1: number, y0: number, y1: number) =>
    x1 <= x0 ? y1 : Math.exp(Math.log(y0) + ((x - x0) / (x1 - x0)) * (Math.log(y1) - Math.log(y0)));
  if (timeoutMs <= p95) return logLinear(timeoutMs, p50, p95, 0.5, 0.05);
  if (timeoutMs <= p99) return logLinear(timeoutMs, p95, p99, 0.05, 0.01);
  const decayPerMs = p99 > p95 ? Math.log(5) / (p99 - p95) : Infinity;
  return decayPerMs === Infinity ? 0 : 0.01 * Math.exp(-(timeoutMs - p99) * decayPerMs);
}

/** Probability that one attempt fails as the client sees it. Pure. */
export function attemptFailureProbability(errorRate: number, slowerThanTimeout: number): number {
  const p = errorRate + (1 - errorRate) * slowerThanTimeout;
  return Math.min(1, Math.max(0, p));
}

/**
 * Attempts per request for failure probability p and up to `retries` retries: 1 + p + ... + p^retries,
 * with retries capped at `retryBudget` (a fraction of first attempts) when a budget is set. Pure.
 */
export function attemptsPerRequest(p: number, retries: number, retryBudget?: number): number {
  let extra = 0;
  let pk = 1;
  for (let k = 1; k <= retries; k++) {
    pk *= p;
    extra += pk;
  }
  if (retryBudget !== undefined) extra = Math.min(extra, retryBudget);
  return 1 + extra;
}

/** Share of requests that fail after every attempt: p^(attempts made). Pure. */
export function requestFailureProbability(p: number, attempts: number): number {
  // With a budget, attempts are fractional: interpolate between whole attempt counts.
  const whole = Math.floor(attempts);
  const frac = attempts - whole;
  return Math.pow(p, whole) * (1 - frac + frac * p);
}
