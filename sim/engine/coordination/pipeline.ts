// Builds the scenario's coordination policies in a fixed order and runs a command through
// them: the first verdict that is not "allow" decides. Order: who may write (authorization),
// whether it already happened (idempotency), whether the world is in a widespread failure that
// freezes automation (failStatic: a property of the world, so it speaks before any per-knob rule
// and its hold re-runs every later check), who owns the knob (lease, then a lease over a scope of
// knobs), whether the write is stale (compareAndSet), whether a document is valid (validation),
// what value the write should have when several agents want different ones (arbiter: it turns a
// request into the merged target, so every later limit judges the value that would be written),
// whether it comes too soon or too fast (cooldown, velocity, whose `clip` also adjusts the value),
// whether the adjusted value takes a group aggregate past a bound (bounds: after every adjustment,
// so no clip or merge can slip past it), whether it skips a rollout stage or its bake time
// (stagedRollout), and last whether a human must look at it (approval), so reviewers only see
// otherwise-valid changes. An "adjust" (arbiter, velocity clip) is not a decision: later policies
// see the adjusted command. The veto (a CEL condition over signals, knobs and the command) speaks
// after the leases, compare-and-set and validation and before the arbiter: it judges the command
// as requested, and a vetoed command never becomes an arbiter's desire.
import type { CoordinationSpec } from "../../scenario/types.js";
import { approvalPolicy } from "./approval.js";
import { authorizationPolicy } from "./authorization.js";
import { compareAndSetPolicy } from "./compare-and-set.js";
import { cooldownPolicy } from "./cooldown.js";
import { idempotencyPolicy } from "./idempotency.js";
import { leasePolicy, type LeaseTable } from "./lease.js";
import { ALLOW, type Adjustment, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";
import { arbiterPolicy } from "./arbiter.js";
import { boundsPolicy } from "./bounds.js";
import { failStaticPolicy } from "./fail-static.js";
import { scopeLeasePolicy } from "./scope-lease.js";
import { stagedRolloutPolicy } from "./staged-rollout.js";
import { velocityPolicy } from "./velocity.js";
import { vetoPolicy } from "./veto.js";
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
    for (const rule of spec.failStatic ?? []) this.policies.push(failStaticPolicy(rule));
    const lease = spec.lease ? leasePolicy(spec.lease.knobs, spec.lease.ttlMs, spec.lease.holder) : null;
    if (lease) this.policies.push(lease);
    const scopes = spec.leaseScopes && spec.leaseScopes.length > 0 ? scopeLeasePolicy(spec.leaseScopes) : null;
    if (scopes) this.policies.push(scopes);
    // Agents and `lease.acquired` see one table: a knob's own lease first, then its scope's.
    this.leases = lease && scopes ? { holder: (key, now) => lease.holder(key, now) ?? scopes.holder(key, now) } : (lease ?? scopes);
    if (spec.validation) this.policies.push(validationPolicy(spec.validation.documents, spec.validation));
    if (spec.compareAndSet) this.policies.push(compareAndSetPolicy(spec.compareAndSet.knobs, spec.compareAndSet.requireVersion));
    if (spec.veto && spec.veto.length > 0) this.policies.push(vetoPolicy(spec.veto));
    for (const rule of spec.arbiter ?? []) this.policies.push(arbiterPolicy(rule));
    if (spec.cooldown) this.policies.push(cooldownPolicy(spec.cooldown.knobs, spec.cooldown.cooldownMs));
    for (const rule of spec.velocity ?? []) this.policies.push(velocityPolicy(rule));
    for (const rule of spec.bounds ?? []) this.policies.push(boundsPolicy(rule));
    if (spec.stagedRollout) this.policies.push(stagedRolloutPolicy(spec.stagedRollout));
    if (spec.approval) this.policies.push(approvalPolicy(spec.approval.knobs, spec.approval.reviewDelayMs, spec.approval.maxRelativeChange));
    this.intentsEnabled = spec.intents === true;
  }

  /** Names of the active policies, in order. */
  get active(): string[] {
    return [...this.policies.map((p) => p.name), ...(this.intentsEnabled ? ["intents"] : [])];
  }

  /** The first non-allow verdict, or allow (an adjusted command counts as allowed). */
  check(ctx: CommandContext): Verdict {
    return this.decide(ctx).verdict;
  }

  /**
   * Runs the command through every policy: the first verdict that is neither allow nor an
   * adjustment decides; an adjustment replaces the command's value for the policies after it.
   * Returns the verdict, the context as adjusted (what `applied` must be told) and the adjustments
   * in order (none for a command no policy adjusted).
   */
  decide(ctx: CommandContext): { verdict: Verdict; ctx: CommandContext; adjustments: Adjustment[] } {
    let at = ctx;
    const adjustments: Adjustment[] = [];
    for (const p of this.policies) {
      const verdict = p.check(at);
      if (verdict.kind === "allow") continue;
      if (verdict.kind !== "adjust") return { verdict, ctx: at, adjustments };
      adjustments.push(verdict);
      at = { ...at, command: { ...at.command, value: verdict.value } };
    }
    return { verdict: ALLOW, ctx: at, adjustments };
  }

  /** Tells every policy that the command was applied as event `seq`. */
  applied(ctx: CommandContext, seq: number): void {
    for (const p of this.policies) p.applied?.(ctx, seq);
  }
}
