// Builds the scenario's coordination policies in a fixed order and runs a command through
// them: the first verdict that is not "allow" decides. Order: who may write (authorization),
// whether it already happened (idempotency), who owns the knob (lease), whether the write is
// stale (compareAndSet), whether a document is valid (validation), whether it comes too soon or too fast (cooldown, velocity),
// whether it skips a rollout stage or its bake time (stagedRollout), and last
// whether a human must look at it (approval), so reviewers only see otherwise-valid changes.
import type { CoordinationSpec } from "../../scenario/types.js";
import { approvalPolicy } from "./approval.js";
import { authorizationPolicy } from "./authorization.js";
import { compareAndSetPolicy } from "./compare-and-set.js";
import { cooldownPolicy } from "./cooldown.js";
import { idempotencyPolicy } from "./idempotency.js";
import { leasePolicy, type LeaseTable } from "./lease.js";
import { ALLOW, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";
import { stagedRolloutPolicy } from "./staged-rollout.js";
import { velocityPolicy } from "./velocity.js";
import { validationPolicy } from "./validation.js";

/** The active policies of one run. */
export class CoordinationPipeline {
  private readonly policies: CommandPolicy[] = [];
  /** The lease table when the lease policy is on. */
  readonly leases: LeaseTable | null;
  readonly intentsEnabled: boolean;

  constructor(spec: CoordinationSpec) {
    if (spec.authorization) this.policies.push(authorizationPolicy(spec.authorization));
    if (spec.idempotency) this.policies.push(idempotencyPolicy());
    if (spec.lease) {
      const lease = leasePolicy(spec.lease.knobs, spec.lease.ttlMs, spec.lease.holder);
      this.policies.push(lease);
      this.leases = lease;
    } else {
      this.leases = null;
    }
    if (spec.validation) this.policies.push(validationPolicy(spec.validation.documents, spec.validation));
    if (spec.compareAndSet) this.policies.push(compareAndSetPolicy(spec.compareAndSet.knobs, spec.compareAndSet.requireVersion));
    if (spec.cooldown) this.policies.push(cooldownPolicy(spec.cooldown.knobs, spec.cooldown.cooldownMs));
    for (const rule of spec.velocity ?? []) this.policies.push(velocityPolicy(rule));
    if (spec.stagedRollout) this.policies.push(stagedRolloutPolicy(spec.stagedRollout));
    if (spec.approval) this.policies.push(approvalPolicy(spec.approval.knobs, spec.approval.reviewDelayMs, spec.approval.maxRelativeChange));
    this.intentsEnabled = spec.intents === true;
  }

  /** Names of the active policies, in order. */
  get active(): string[] {
    return [...this.policies.map((p) => p.name), ...(this.intentsEnabled ? ["intents"] : [])];
  }

  /** The first non-allow verdict, or allow. */
  check(ctx: CommandContext): Verdict {
    for (const p of this.policies) {
      const verdict = p.check(ctx);
      if (verdict.kind !== "allow") return verdict;
    }
    return ALLOW;
  }

  /** Tells every policy that the command was applied as event `seq`. */
  applied(ctx: CommandContext, seq: number): void {
    for (const p of this.policies) p.applied?.(ctx, seq);
  }
}
