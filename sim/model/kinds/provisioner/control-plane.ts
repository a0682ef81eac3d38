// A provisioner's control plane: a token bucket of API calls shared by every caller, and a FIFO
// of provisioning jobs run at most `maxConcurrentJobs` at a time, each for `jobDurationMs`,
// failing `jobTimeoutMs` after it was submitted. Jobs are kept in cohorts (jobs of one owner
// submitted, started or finished together), so a step costs O(1) amortised however many
// replicas are asked for. Deterministic; no clock of its own (callers pass the time).

/** What a provisioner needs to run its control plane. Plain data. */
export interface ControlPlaneSpec {
  /** Tokens (API calls) added per second. */
  rateRps: number;
  /** Most tokens the bucket holds (and its level at t = 0). */
  burst: number;
  maxConcurrentJobs: number;
  jobDurationMs: number;
  jobTimeoutMs: number;
  /** API calls one job's launch makes, taken from the bucket all at once. */
  callsPerJob: number;
}

/** Who waits for jobs: told when some finish (capacity arrives) or fail (it never does). */
export interface JobOwner {
  /** `count` jobs finished at `atMs`. */
  jobsDone(count: number, atMs: number): void;
  /** `count` jobs failed (timed out) at `atMs`. */
  jobsFailed(count: number, atMs: number): void;
}

/** Jobs of one owner submitted together; `startedMs` is -1 while they wait in the queue. */
interface Cohort {
  owner: JobOwner;
  count: number;
  /** Of `count`, jobs their owner no longer wants (running ones still hold a slot until done). */
  cancelled: number;
  submittedMs: number;
  startedMs: number;
}

/** Tolerance for token arithmetic: rate x elapsed time in ms is not exact in binary. */
const EPS = 1e-9;

/** One provisioner's token bucket and job queue. Mutable; owned by its component's state. */
export class ControlPlane {
  /** Tokens in the bucket as of `refilledMs`. */
  tokens: number;
  private refilledMs = 0;
  private readonly queue: Cohort[] = [];
  private queueHead = 0;
  private readonly running: Cohort[] = [];
  private runningHead = 0;
  /** Jobs waiting for a slot or for tokens (cancelled ones excluded). */
  queuedJobs = 0;
  /** Jobs holding a slot (cancelled ones included: they still hold it). */
  runningJobs = 0;
  /** Calls asked for and calls refused since the counters were last read (takeWindow). */
  private callsAsked = 0;
  private callsRefused = 0;
  private advancedMs = -Infinity;

  constructor(readonly spec: ControlPlaneSpec) {
    this.tokens = spec.burst;
  }

  /** Adds the tokens accrued up to `tMs` (never above burst). */
  private refill(tMs: number): void {
    if (tMs <= this.refilledMs) return;
    this.tokens = Math.min(this.spec.burst, this.tokens + (this.spec.rateRps * (tMs - this.refilledMs)) / 1000);
    this.refilledMs = tMs;
  }

  /** Whole tokens available at `tMs`. */
  available(tMs: number): number {
    this.refill(tMs);
    return Math.floor(this.tokens + EPS);
  }

  /**
   * A caller's `calls` API calls made one after another at `tMs`: each takes a token while any
   * is left, the rest are throttled. Returns how many were admitted; the admitted ones stay
   * spent even when some were throttled (they were made).
   */
  callSequence(calls: number, tMs: number): number {
    const admitted = Math.min(calls, this.available(tMs));
    this.tokens -= admitted;
    this.callsAsked += calls;
    this.callsRefused += calls - admitted;
    return admitted;
  }

  /** All of `calls` at once or none (a job's launch): true and spent when the bucket holds them. */
  private callBatch(calls: number, tMs: number): boolean {
    this.callsAsked += calls;
    if (this.available(tMs) < calls) {
      this.callsRefused += calls;
      return false;
    }
    this.tokens -= calls;
    return true;
  }

  /** Calls asked for and refused since the last call (the counters restart). */
  takeWindow(): { asked: number; refused: number } {
    const w = { asked: this.callsAsked, refused: this.callsRefused };
    this.callsAsked = 0;
    this.callsRefused = 0;
    return w;
  }

  /** Queues `count` jobs of `owner` at `tMs` and starts what the slots and the bucket allow. */
  submit(owner: JobOwner, count: number, tMs: number): void {
    if (count <= 0) return;
    this.queue.push({ owner, count, cancelled: 0, submittedMs: tMs, startedMs: -1 });
    this.queuedJobs += count;
    this.startQueued(tMs);
  }

  /**
   * Withdraws up to `count` of `owner`'s jobs, newest first: queued ones leave the queue; running
   * ones finish for nothing (they hold their slot until then). Returns how many were withdrawn.
   */
  cancel(owner: JobOwner, count: number): number {
    let left = count;
    for (let i = this.queue.length - 1; i >= this.queueHead && left > 0; i--) {
      const q = this.queue[i];
      if (q.owner !== owner) continue;
      const n = Math.min(left, q.count - q.cancelled);
      q.cancelled += n;
      this.queuedJobs -= n;
      left -= n;
    }
    for (let i = this.running.length - 1; i >= this.runningHead && left > 0; i--) {
      const r = this.running[i];
      if (r.owner !== owner) continue;
      const n = Math.min(left, r.count - r.cancelled);
      r.cancelled += n;
      left -= n;
    }
    return count - left;
  }

  /**
   * Advances to `tMs` (once per instant): jobs whose duration ended finish (at their end), jobs
   * past their timeout fail (at their deadline), then queued jobs start in FIFO order while a
   * slot is free and the bucket holds a launch's calls.
   */
  advance(tMs: number): void {
    if (tMs === this.advancedMs) return;
    this.advancedMs = tMs;
    const { jobDurationMs, jobTimeoutMs } = this.spec;
    // Running cohorts started in submission order, so both their ends and deadlines ascend.
    while (this.runningHead < this.running.length) {
      const r = this.running[this.runningHead];
      const end = r.startedMs + jobDurationMs;
      const deadline = r.submittedMs + jobTimeoutMs;
      if (end <= deadline && end <= tMs) {
        if (r.count > r.cancelled) r.owner.jobsDone(r.count - r.cancelled, end);
      } else if (deadline <= tMs) {
        if (r.count > r.cancelled) r.owner.jobsFailed(r.count - r.cancelled, deadline);
      } else break;
      this.runningJobs -= r.count;
      this.runningHead++;
    }
    while (this.queueHead < this.queue.length) {
      const q = this.queue[this.queueHead];
      const live = q.count - q.cancelled;
      if (live > 0 && q.submittedMs + jobTimeoutMs > tMs) break;
      if (live > 0) q.owner.jobsFailed(live, q.submittedMs + jobTimeoutMs);
      this.queuedJobs -= live;
      this.queueHead++;
    }
    this.compact();
    this.startQueued(tMs);
  }

  /** Starts queued jobs at `tMs`: FIFO, while a slot is free and a launch's calls are admitted. */
  private startQueued(tMs: number): void {
    const { maxConcurrentJobs, callsPerJob } = this.spec;
    while (this.queueHead < this.queue.length && this.runningJobs < maxConcurrentJobs) {
      const q = this.queue[this.queueHead];
      if (q.count === q.cancelled) {
        this.queueHead++;
        continue;
      }
      const slots = maxConcurrentJobs - this.runningJobs;
      const byTokens = Math.floor((this.available(tMs) + EPS) / callsPerJob);
      const n = Math.min(slots, q.count - q.cancelled, Math.max(1, byTokens));
      // The head launch is asked for even when the bucket cannot hold it: its refusal is a
      // throttled call the signals count. Jobs behind a refused launch wait their turn (FIFO).
      if (!this.callBatch(n * callsPerJob, tMs)) break;
      this.running.push({ owner: q.owner, count: n, cancelled: 0, submittedMs: q.submittedMs, startedMs: tMs });
      this.runningJobs += n;
      this.queuedJobs -= n;
      q.count -= n;
      if (q.count === q.cancelled) this.queueHead++;
    }
  }

  /** Drops finished cohorts from the arrays' fronts once they are most of them (amortised O(1)). */
  private compact(): void {
    if (this.queueHead > 64 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    if (this.runningHead > 64 && this.runningHead * 2 > this.running.length) {
      this.running.splice(0, this.runningHead);
      this.runningHead = 0;
    }
  }
}
