// A server's capacity lifecycle (opt-in): the `replicas` knob is the desired count; a replica
// added by a scale-up waits for its provisioner's job (pending), boots (serves nothing), warms up
// (capacity linear from 0 to full over warmUp) and is then ready; a replica removed by a scale-in
// drains (serves nothing, still costs) until drained. Replicas are kept in cohorts (added or
// removed together), with running sums for the warm-up, so a step is O(1) amortised.
import type { JobOwner } from "../provisioner/control-plane.js";
import type { ProvisionerState } from "../provisioner/model.js";
import type { SignalName } from "../../signals.js";
import type { LifecycleSpec } from "./lifecycle-spec.js";

/** The optional signals a server with a lifecycle sets. */
export const LIFECYCLE_SIGNALS: readonly SignalName[] = ["pendingReplicas", "bootingReplicas", "readyReplicas", "drainingReplicas"];

/** Replicas that entered a stage together, at `atMs` (booting: boot start; warming: warm-up start; draining: drained at). */
interface Cohort {
  atMs: number;
  count: number;
}

/** A FIFO of cohorts in ascending time that can also drop its newest replicas. */
class Cohorts {
  private items: Cohort[] = [];
  private head = 0;
  /** Replicas in all cohorts. */
  count = 0;
  /** Sum of count x atMs (the warm-up's running sum). */
  weightedMs = 0;

  push(atMs: number, count: number): void {
    if (count <= 0) return;
    const last = this.items.length > this.head ? this.items[this.items.length - 1] : undefined;
    if (last && last.atMs === atMs) last.count += count;
    else this.items.push({ atMs, count });
    this.count += count;
    this.weightedMs += atMs * count;
  }

  /** The oldest cohort, if any. */
  peek(): Cohort | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** Removes the oldest cohort. */
  shift(): Cohort {
    const c = this.items[this.head++];
    this.count -= c.count;
    this.weightedMs -= c.atMs * c.count;
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (this.count === 0) this.weightedMs = 0;
    return c;
  }

  /** Removes up to `n` of the newest replicas; returns how many were removed. */
  dropNewest(n: number): number {
    let left = n;
    while (left > 0 && this.items.length > this.head) {
      const c = this.items[this.items.length - 1];
      const k = Math.min(left, c.count);
      c.count -= k;
      this.count -= k;
      this.weightedMs -= c.atMs * k;
      left -= k;
      if (c.count === 0) this.items.pop();
    }
    if (this.count === 0) this.weightedMs = 0;
    return n - left;
  }
}

/** One server's replicas by stage. Mutable; owned by the server's state. */
export class ServerLifecycle implements JobOwner {
  ready: number;
  /** Replicas asked of the provisioner and not yet created (queued or running jobs). */
  pending = 0;
  /** Jobs that failed (timed out) since the start. */
  failedJobs = 0;
  private readonly booting = new Cohorts();
  private readonly warming = new Cohorts();
  private readonly draining = new Cohorts();
  /** Capacity in replicas: ready ones plus the warmed-up share of warming ones. */
  servingPods: number;
  private provisioner: ProvisionerState | null = null;
  private seenCausesVersion = -1;
  /** Agent id -> seq of a command that exhausted the provisioner's quota while this server waited for it. */
  private readonly latched = new Map<string, number>();

  constructor(private readonly spec: LifecycleSpec, initialReplicas: number) {
    this.ready = initialReplicas;
    this.servingPods = initialReplicas;
  }

  /** Sends this server's jobs to `provisioner`. */
  attach(provisioner: ProvisionerState): void {
    this.provisioner = provisioner;
  }

  jobsDone(count: number, atMs: number): void {
    this.pending -= count;
    this.booting.push(atMs, count);
  }

  jobsFailed(count: number): void {
    this.pending -= count;
    this.failedJobs += count;
  }

  /** Replicas in the booting or warming stage. */
  get starting(): number {
    return this.booting.count + this.warming.count;
  }

  /** Replicas draining. */
  get drainingCount(): number {
    return this.draining.count;
  }

  /** Replicas that cost money: every one that exists (booting, warming, ready, draining); pending ones do not exist yet. */
  get billed(): number {
    return this.ready + this.starting + this.draining.count;
  }

  /**
   * Advances to `tMs` with `desired` replicas wanted: collects finished and failed jobs, asks for
   * missing replicas (jobs, or boots at once without a provisioner), removes surplus ones (pending
   * first, then starting, newest first; ready ones drain), moves replicas through boot and
   * warm-up, and sets servingPods. Returns true when the events it cites changed (provenance).
   */
  step(tMs: number, desired: number): boolean {
    const plane = this.provisioner?.plane ?? null;
    plane?.advance(tMs);
    const have = this.ready + this.starting + this.pending;
    if (desired > have) {
      const n = desired - have;
      if (plane) {
        this.pending += n;
        plane.submit(this, n, tMs);
      } else this.booting.push(tMs, n);
    } else if (desired < have) this.remove(have - desired, tMs, plane);
    const { bootMs, warmUpMs } = this.spec;
    for (let b = this.booting.peek(); b && b.atMs + bootMs <= tMs; b = this.booting.peek()) {
      this.booting.shift();
      this.warming.push(b.atMs + bootMs, b.count);
    }
    for (let w = this.warming.peek(); w && w.atMs + warmUpMs <= tMs; w = this.warming.peek()) {
      this.warming.shift();
      this.ready += w.count;
    }
    for (let d = this.draining.peek(); d && d.atMs <= tMs; d = this.draining.peek()) this.draining.shift();
    // Each warming replica serves (t - warm-up start) / warmUp of a replica; summed over cohorts
    // that is (count x t - sum of count x start) / warmUp, within [0, count).
    const warm = this.warming.count > 0 ? Math.min(this.warming.count, Math.max(0, (this.warming.count * tMs - this.warming.weightedMs) / warmUpMs)) : 0;
    this.servingPods = this.ready + warm;
    return this.updateCauses(desired);
  }

  private remove(n: number, tMs: number, plane: ProvisionerState["plane"] | null): void {
    let left = n;
    if (plane && this.pending > 0) {
      const k = plane.cancel(this, Math.min(left, this.pending));
      this.pending -= k;
      left -= k;
    }
    left -= this.booting.dropNewest(left);
    left -= this.warming.dropNewest(left);
    const k = Math.min(left, this.ready);
    this.ready -= k;
    if (this.spec.drainMs > 0) this.draining.push(tMs + this.spec.drainMs, k);
  }

  /**
   * While replicas wait for the provisioner, latches the commands that exhausted its quota; once
   * every desired replica is ready, forgets them. True when the latched set changed.
   */
  private updateCauses(desired: number): boolean {
    const p = this.provisioner;
    if (p === null) return false;
    if (this.pending > 0 && p.causesVersion !== this.seenCausesVersion) {
      this.seenCausesVersion = p.causesVersion;
      let changed = false;
      for (const [actor, seq] of p.exhausters) {
        if (this.latched.get(actor) === seq) continue;
        this.latched.set(actor, seq);
        changed = true;
      }
      return changed;
    }
    if (this.pending === 0 && this.starting === 0 && this.ready >= desired && this.latched.size > 0) {
      this.latched.clear();
      this.seenCausesVersion = -1;
      return true;
    }
    return false;
  }

  /** The latched commands (what held this server's capacity back), ascending, into `out`. */
  causes(out: number[]): void {
    if (this.latched.size === 0) return;
    for (const seq of [...this.latched.values()].sort((a, b) => a - b)) out.push(seq);
  }
}
