// A client-side circuit breaker as a three-state machine stepped once per world step: closed
// (sends everything), open (sends nothing: requests fail fast) and half-open (sends a probe share).
// Fluid: it reads the share of attempts that failed for the client, not single responses.

/** When a breaker opens and how it probes (resolved from a clients component's `circuitBreaker`). */
export interface BreakerPolicy {
  /** Opens when the client-seen attempt failure rate is at least this for `windowMs` running. */
  errorRateMin: number;
  windowMs: number;
  /** Stays open this long before probing. */
  cooldownMs: number;
  /** Share of requests sent while half-open. */
  probe: number;
}

/** The breaker states, as the `breakerState` signal reports them. */
export const BREAKER_CLOSED = 0;
export const BREAKER_HALF_OPEN = 0.5;
export const BREAKER_OPEN = 1;

/**
 * One clients component's breaker. Each step `observe` takes the failure rate of the attempts
 * sent the step before (what the clients saw) and moves the state: closed -> open after the rate
 * stayed at or above the threshold for the window; open -> half-open after the cool-down;
 * half-open -> closed when the probes' failure rate is under the threshold, else open again.
 * Stateful; O(1) per step.
 */
export class CircuitBreaker {
  /** BREAKER_CLOSED, BREAKER_HALF_OPEN or BREAKER_OPEN. */
  state = BREAKER_CLOSED;
  private badMs = 0;
  private openMs = 0;

  constructor(private readonly policy: BreakerPolicy, private readonly stepMs: number) {}

  /**
   * Moves the state given `failureRate`, the share of last step's attempts that failed for the
   * client, and whether any were sent; returns the share of this step's attempts to send
   * (1 closed, `probe` half-open, 0 open).
   */
  observe(failureRate: number, sentLastStep: boolean): number {
    const { errorRateMin, windowMs, cooldownMs, probe } = this.policy;
    if (this.state === BREAKER_CLOSED) {
      this.badMs = sentLastStep && failureRate >= errorRateMin ? this.badMs + this.stepMs : 0;
      if (this.badMs >= windowMs) this.trip();
    } else if (this.state === BREAKER_OPEN) {
      this.openMs += this.stepMs;
      if (this.openMs >= cooldownMs) this.state = BREAKER_HALF_OPEN;
    } else if (failureRate < errorRateMin) {
      this.state = BREAKER_CLOSED;
      this.badMs = 0;
    } else {
      this.trip();
    }
    return this.state === BREAKER_CLOSED ? 1 : this.state === BREAKER_HALF_OPEN ? probe : 0;
  }

  private trip(): void {
    this.state = BREAKER_OPEN;
    this.openMs = 0;
    this.badMs = 0;
  }
}
