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

/** How a backoff wait is drawn from its delay d: exactly d, uniform in [0, d] (full) or in [d/2, d] (equal). */
export type Jitter = "none" | "full" | "equal";

/** How a clients component spaces its retries. */
export interface BackoffPolicy {
  kind: "immediate" | "exponential";
  /** Exponential: the k-th retry waits baseMs * 2^(k-1), at most maxMs. */
  baseMs: number;
  maxMs: number;
  /** How each wait is spread around its delay. */
  jitter: Jitter;
}

/** The delay before retry k (k >= 1) before jitter: 0 for immediate retries, else min(maxMs, baseMs * 2^(k-1)). Pure. */
export function backoffDelayMs(backoff: BackoffPolicy, k: number): number {
  return backoff.kind === "immediate" ? 0 : Math.min(backoff.maxMs, backoff.baseMs * 2 ** (k - 1));
}

/**
 * Closed form of the expected wait before retry k: its delay d with no jitter, d/2 with full
 * jitter (uniform on [0, d]), 3d/4 with equal jitter (uniform on [d/2, d]). Pure.
 */
export function expectedBackoffMs(backoff: BackoffPolicy, k: number): number {
  const d = backoffDelayMs(backoff, k);
  return backoff.jitter === "full" ? d / 2 : backoff.jitter === "equal" ? (3 * d) / 4 : d;
}

/** Closed form of the expected total wait of a request that uses `retries` retries: the sum of expectedBackoffMs over k = 1..retries. Pure. */
export function expectedBackoffSumMs(backoff: BackoffPolicy, retries: number): number {
  let sum = 0;
  for (let k = 1; k <= retries; k++) sum += expectedBackoffMs(backoff, k);
  return sum;
}

/** What one step of retrying clients sent and how many requests finally failed. */
export interface RetryStep {
  /** All attempts sent this step (first attempts + retries), per second. */
  sentRps: number;
  /** Retries sent this step (included in sentRps), per second. */
  retriedRps: number;
  /**
   * Requests that failed after their last attempt, whose retry the budget or the send cap
   * refused, or whose first attempt the send cap refused (failed fast, never sent), per second.
   */
  failedRps: number;
}

/**
 * Retries in flight, by retry level and by the step at which they will be sent. Each step,
 * attempts of level k that fail (probability p) become level k+1 attempts after the backoff
 * delay (spread evenly over [0, delay] with full jitter, [delay/2, delay] with equal jitter);
 * immediate retries land in the same step. A retry budget caps the retries sent per step at a
 * fraction of first attempts sent; a send cap (a concurrency limit, an open circuit breaker)
 * caps all attempts sent per step, retries already waiting first. Stateful; owned by one
 * clients component.
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
      const last = Math.round(backoffDelayMs(backoff, k) / stepMs);
      // Jitter spreads the wait evenly over the steps of its interval: [0, d] or [d/2, d].
      const first = backoff.jitter === "full" ? 0 : backoff.jitter === "equal" ? Math.round(last / 2) : last;
      const spread = Array.from({ length: last - first + 1 }, (_, i) => ({ offset: first + i, weight: 1 / (last - first + 1) }));
      this.offsets.push(spread);
      longest = Math.max(longest, last);
    }
    this.length = longest + 1;
    this.levels = Array.from({ length: retriesMax + 1 }, () => new Float64Array(this.length));
  }

  /**
   * Retries (per second of one step) waiting out a backoff beyond this step, at levels up to
   * `retries`: times the step in seconds, the requests a client holds while it waits. Pure.
   */
  waitingRps(retries: number): number {
    const top = Math.min(retries, this.levels.length - 1);
    let sum = 0;
    for (let k = 1; k <= top; k++) {
      const level = this.levels[k];
      for (let i = 0; i < this.length; i++) if (i !== this.cursor) sum += level[i];
    }
    return sum;
  }

  /** Retries due this step (from earlier steps), at levels up to `retries`. Pure. */
  dueRps(retries: number): number {
    const top = Math.min(retries, this.levels.length - 1);
    let sum = 0;
    for (let k = 1; k <= top; k++) sum += this.levels[k][this.cursor];
    return sum;
  }

  /**
   * Sends this step's attempts given first-attempt rate, attempt failure probability p, retries
   * allowed, budget and a cap on all attempts sent this step (retries due from earlier steps
   * are admitted before first attempts; what the cap refuses fails fast, unsent).
   */
  step(firstRps: number, p: number, retries: number, retryBudget?: number, sendCapRps = Infinity): RetryStep {
    const top = Math.min(retries, this.levels.length - 1);
    let capLeft = sendCapRps;
    let first = firstRps;
    let failed = 0;
    if (sendCapRps !== Infinity) {
      first = Math.min(firstRps, Math.max(0, sendCapRps - this.dueRps(retries)));
      failed += firstRps - first;
      capLeft -= first;
    }
    let sent = first;
    let retried = 0;
    let budgetLeft = retryBudget === undefined ? Infinity : retryBudget * first;
    let attempts = first;
    for (let k = 0; k <= top; k++) {
      if (k > 0) {
        const due = this.levels[k][this.cursor];
        attempts = Math.min(due, budgetLeft, capLeft);
        failed += due - attempts;
        budgetLeft -= attempts;
        capLeft -= attempts;
        sent += attempts;
        retried += attempts;
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
    return { sentRps: sent, retriedRps: retried, failedRps: failed };
  }
}
