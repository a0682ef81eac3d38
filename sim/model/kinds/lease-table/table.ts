// A lease table with a work queue (EC2's DropletWorkflow Manager): every lease must be renewed
// before it expires, renewals and re-leases are jobs in one FIFO queue served by a fixed pool of
// workers, and a requester whose job is not done within jobTimeout gives up and queues a new one
// while the old job stays queued and is later processed for nothing. Fluid model (job counts are
// real numbers), advanced one world step at a time; deterministic and free of effects outside itself.
import type { LeaseTableSpec } from "../../../scenario/types.js";

/** What one step of the lease table did (job counts in the step, not rates). */
export interface LeaseTableStep {
  /** Jobs the requesters tried to queue this step (admitted or rejected). */
  offeredJobs: number;
  /** Jobs turned away by the queue limit (their requesters try again next step). */
  rejectedJobs: number;
  /** Jobs the workers finished: renewed + failed + wasted. */
  processedJobs: number;
  /** Jobs that renewed or re-leased a lease: the goodput. */
  renewedJobs: number;
  /** Jobs whose dependency calls failed (their requesters queue a new job). */
  failedJobs: number;
  /** Jobs processed after their requester had timed out: work done for nothing. */
  wastedJobs: number;
  /** Jobs queued when the workers started (this step's arrivals included). */
  queuedJobs: number;
  /** How long the workers take to reach this step's arrivals: the work queued ahead of them. */
  queueWaitMs: number;
  /** Leases held at the end of the step. */
  heldLeases: number;
}

/** Jobs queued in one step for leases of one expiry slot (or for lapsed leases). */
interface Cohort {
  enqueuedAtMs: number;
  /** Expiry slot of the leases these jobs renew; at or before the current slot = lapsed leases. */
  expirySlot: number;
  jobs: number;
}

// Counts below this are rounding noise of the fluid model, not jobs.
const EPSILON = 1e-9;

/**
 * The state of one lease table. Held leases sit in a ring of expiry slots (one per world step
 * over a lease duration); a lease is renewed once it is within half a lease duration of expiry.
 * Requesters (a lease due for renewal, or a lapsed lease) have at most one live job: on failure
 * or timeout they queue a new one. Timed-out jobs stay at the head of the queue as stale work.
 */
export class LeaseTable {
  private readonly slots: number;
  private readonly renewAheadSlots: number;
  private readonly jobsPerStep: number;
  /** Ring by expiry slot: leases held, and how many of them have a live job. */
  private readonly held: Float64Array;
  private readonly pending: Float64Array;
  private lapsedIdle = 0;
  private lapsedPending = 0;
  /** Jobs whose requester gave up, all older than every live job: the head of the FIFO. */
  private staleJobs = 0;
  /** Live jobs in queue order; `head` is the first not yet fully processed. */
  private cohorts: Cohort[] = [];
  private head = 0;
  /** Most live cohorts there can be: one per renewal slot and one for lapsed leases, per step of jobTimeout. */
  private readonly cohortsMax: number;

  /** Starts with every lease held, expiries spread evenly so renewals arrive at a steady rate. */
  constructor(
    private readonly spec: LeaseTableSpec,
    private readonly stepMs: number,
  ) {
    this.slots = Math.max(2, Math.round(spec.leaseDurationMs / stepMs));
    this.renewAheadSlots = Math.max(1, Math.floor(this.slots / 2));
    this.jobsPerStep = (spec.workers * stepMs) / spec.workPerLeaseMs;
    this.cohortsMax = (this.renewAheadSlots + 1) * (Math.ceil(spec.jobTimeoutMs / stepMs) + 1);
    this.held = new Float64Array(this.slots + 1);
    this.pending = new Float64Array(this.slots + 1);
    const first = this.renewAheadSlots + 1;
    const perSlot = spec.leases / (this.slots - first + 1);
    for (let k = first; k <= this.slots; k++) this.held[k % this.held.length] = perSlot;
  }

  /** Leases currently held. */
  heldLeases(): number {
    let sum = 0;
    for (const h of this.held) sum += h;
    return sum;
  }

  /** Jobs in the queue, stale ones included. */
  queuedJobs(): number {
    let sum = this.staleJobs;
    for (let i = this.head; i < this.cohorts.length; i++) sum += this.cohorts[i].jobs;
    return sum;
  }

  /**
   * Advances the table to `tMs`: lapses expired leases, times out jobs older than jobTimeout,
   * queues renewals and re-leases (up to `queueLimit` queued jobs; 0 = no limit), and lets the
   * workers process one step of jobs. A processed job succeeds with probability
   * `dependencySuccess` (its dependency calls all succeed).
   */
  step(tMs: number, dependencySuccess: number, queueLimit: number): LeaseTableStep {
    const now = Math.round(tMs / this.stepMs);
    this.lapse(now);
    this.timeOut(tMs, now);
    const queuedBefore = this.queuedJobs();
    const { offered, rejected } = this.enqueue(tMs, now, queuedBefore, queueLimit);
    const queuedJobs = this.queuedJobs();
    const out = this.process(now, dependencySuccess);
    this.compact();
    if (this.cohorts.length - this.head > this.cohortsMax) throw new Error(`lease table ${this.spec.id}: ${this.cohorts.length - this.head} live cohorts at ${tMs}ms, over the bound of ${this.cohortsMax}`);
    return {
      offeredJobs: offered,
      rejectedJobs: rejected,
      processedJobs: out.renewed + out.failed + out.wasted,
      renewedJobs: out.renewed,
      failedJobs: out.failed,
      wastedJobs: out.wasted,
      queuedJobs,
      queueWaitMs: (queuedBefore / this.jobsPerStep) * this.stepMs,
      heldLeases: this.heldLeases(),
    };
  }

  private index(slot: number): number {
    return slot % this.held.length;
  }

  /** Leases whose expiry slot is now and were not renewed lapse; live jobs keep their requesters. */
  private lapse(now: number): void {
    const i = this.index(now);
    this.lapsedPending += this.pending[i];
    this.lapsedIdle += Math.max(0, this.held[i] - this.pending[i]);
    this.held[i] = 0;
    this.pending[i] = 0;
  }

  /** Requesters of jobs queued jobTimeout ago give up; the jobs stay queued as stale work. */
  private timeOut(tMs: number, now: number): void {
    while (this.head < this.cohorts.length && tMs - this.cohorts[this.head].enqueuedAtMs >= this.spec.jobTimeoutMs) {
      const c = this.cohorts[this.head++];
      this.release(c.expirySlot, now, c.jobs);
      this.staleJobs += c.jobs;
    }
  }

  /** `jobs` requesters of `expirySlot` no longer have a live job (it failed or timed out). */
  private release(expirySlot: number, now: number, jobs: number): void {
    if (expirySlot > now) {
      const i = this.index(expirySlot);
      this.pending[i] = Math.max(0, this.pending[i] - jobs);
    } else {
      this.lapsedPending = Math.max(0, this.lapsedPending - jobs);
      this.lapsedIdle += jobs;
    }
  }

  /** Every requester without a live job queues one, renewals soonest to expire first. */
  private enqueue(tMs: number, now: number, queued: number, queueLimit: number): { offered: number; rejected: number } {
    let room = queueLimit > 0 ? Math.max(0, queueLimit - queued) : Infinity;
    let offered = 0;
    let rejected = 0;
    const admit = (expirySlot: number, idle: number): number => {
      offered += idle;
      const jobs = Math.min(idle, room);
      rejected += idle - jobs;
      if (jobs <= EPSILON) return 0;
      room -= jobs;
      this.cohorts.push({ enqueuedAtMs: tMs, expirySlot, jobs });
      return jobs;
    };
    for (let k = now + 1; k <= now + this.renewAheadSlots; k++) {
      const i = this.index(k);
      const idle = this.held[i] - this.pending[i];
      if (idle > EPSILON) this.pending[i] += admit(k, idle);
    }
    if (this.lapsedIdle > EPSILON) {
      const jobs = admit(now, this.lapsedIdle);
      this.lapsedIdle -= jobs;
      this.lapsedPending += jobs;
    }
    return { offered, rejected };
  }

  /** The workers take one step of jobs from the head: stale ones first, then live ones. */
  private process(now: number, dependencySuccess: number): { renewed: number; failed: number; wasted: number } {
    let capacity = this.jobsPerStep;
    const wasted = Math.min(capacity, this.staleJobs);
    this.staleJobs -= wasted;
    capacity -= wasted;
    let renewed = 0;
    let failed = 0;
    const renewedSlot = this.index(now + this.slots);
    while (capacity > EPSILON && this.head < this.cohorts.length) {
      const c = this.cohorts[this.head];
      const jobs = Math.min(capacity, c.jobs);
      capacity -= jobs;
      c.jobs -= jobs;
      if (c.jobs <= EPSILON) this.head++;
      const ok = jobs * dependencySuccess;
      const bad = jobs - ok;
      renewed += ok;
      failed += bad;
      if (bad > 0) this.release(c.expirySlot, now, bad);
      if (ok > 0) {
        if (c.expirySlot > now) {
          const i = this.index(c.expirySlot);
          this.held[i] = Math.max(0, this.held[i] - ok);
          this.pending[i] = Math.max(0, this.pending[i] - ok);
        } else {
          this.lapsedPending = Math.max(0, this.lapsedPending - ok);
        }
        this.held[renewedSlot] += ok;
      }
    }
    return { renewed, failed, wasted };
  }

  /** Drops processed cohorts from the array once they make up most of it (amortised O(1)). */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.cohorts.length) {
      this.cohorts = this.cohorts.slice(this.head);
      this.head = 0;
    }
  }
}

/** The lease table's one knob: the admission limit on queued jobs (0 = none). */
export const QUEUE_LIMIT_KNOB = "queueLimit";

/** Why a write of `value` to lease table `id`'s `knob` is invalid, or null. Pure. */
export function checkLeaseTableKnob(id: string, knob: string, value: number): string | null {
  if (knob !== QUEUE_LIMIT_KNOB) return `${id} has no knob ${JSON.stringify(knob)} (knobs: ${QUEUE_LIMIT_KNOB})`;
  if (!Number.isInteger(value) || value < 0) return `${id}.${QUEUE_LIMIT_KNOB} must be a whole number of jobs >= 0 (0 = no limit), got ${value}`;
  return null;
}
