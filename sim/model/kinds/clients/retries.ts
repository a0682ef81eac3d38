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
 * Closed form of immediate retries (what RetryPipeline computes step by step, and what its
 * tests check it against): attempts per request for failure probability p and up to `retries`
 * retries, 1 + p + ... + p^retries,
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

/** How a clients component spaces its retries. */
export interface BackoffPolicy {
  kind: "immediate" | "exponential";
  /** Exponential: the k-th retry waits baseMs * 2^(k-1), at most maxMs. */
  baseMs: number;
  maxMs: number;
  /** Full jitter: the wait is uniform in [0, that delay] instead of exactly it. */
  jitter: boolean;
}

/** What one step of retrying clients sent and how many requests finally failed. */
export interface RetryStep {
  /** All attempts sent this step (first attempts + retries), per second. */
  sentRps: number;
  /** Requests that failed after their last attempt (or whose retry the budget refused), per second. */
  failedRps: number;
}

/**
 * Retries in flight, by retry level and by the step at which they will be sent. Each step,
 * attempts of level k that fail (probability p) become level k+1 attempts after the backoff
 * delay (spread evenly over [0, delay] with jitter); immediate retries land in the same step.
 * A retry budget caps the retries sent per step at a fraction of first attempts. Stateful;
 * owned by one clients component.
 */
export class RetryPipeline {
  private readonly levels: Float64Array[];
  private readonly offsets: { offset: number; weight: number }[][];
  private readonly length: number;
  private cursor = 0;

  constructor(private readonly backoff: BackoffPolicy, stepMs: number, retriesMax: number) {
    this.offsets = [[]];
    let longest = 0;
    for (let k = 1; k <= retriesMax; k++) {
      const delayMs = backoff.kind === "immediate" ? 0 : Math.min(backoff.maxMs, backoff.baseMs * 2 ** (k - 1));
      const last = Math.round(delayMs / stepMs);
      const spread = backoff.jitter && last > 0 ? Array.from({ length: last + 1 }, (_, i) => ({ offset: i, weight: 1 / (last + 1) })) : [{ offset: last, weight: 1 }];
      this.offsets.push(spread);
      longest = Math.max(longest, last);
    }
    this.length = longest + 1;
    this.levels = Array.from({ length: retriesMax + 1 }, () => new Float64Array(this.length));
  }

  /** Sends this step's attempts given first-attempt rate, attempt failure probability p, retries allowed and budget. */
  step(firstRps: number, p: number, retries: number, retryBudget?: number): RetryStep {
    const top = Math.min(retries, this.levels.length - 1);
    let sent = firstRps;
    let failed = 0;
    let budgetLeft = retryBudget === undefined ? Infinity : retryBudget * firstRps;
    let attempts = firstRps;
    for (let k = 0; k <= top; k++) {
      if (k > 0) {
        const due = this.levels[k][this.cursor];
        attempts = Math.min(due, budgetLeft);
        failed += due - attempts;
        budgetLeft -= attempts;
        sent += attempts;
      }
      const failures = attempts * p;
      if (k === top) {
        failed += failures;
        continue;
      }
      for (const { offset, weight } of this.offsets[k + 1]) {
        this.levels[k + 1][(this.cursor + offset) % this.length] += failures * weight;
      }
    }
    // Retries waiting at levels above the current limit (the retries knob was lowered) give up.
    for (let k = top + 1; k < this.levels.length; k++) failed += this.levels[k][this.cursor];
    for (const level of this.levels) level[this.cursor] = 0;
    this.cursor = (this.cursor + 1) % this.length;
    return { sentRps: sent, failedRps: failed };
  }
}
