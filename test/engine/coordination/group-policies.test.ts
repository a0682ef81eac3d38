// The group-level policies on hand-built command contexts (velocity clip, bounds, fail static,
// lease scopes, arbiter), each against hand-computed cases, plus properties: no applied command
// takes a bounded aggregate past its bound from inside it, and clipped changes never exceed the
// velocity limit within any window.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AgentCommand } from "../../../sim/agents/io.js";
import { arbiterPolicy, mergeDesires } from "../../../sim/engine/coordination/arbiter.js";
import { aggregateOf, boundsPolicy } from "../../../sim/engine/coordination/bounds.js";
import { failStaticPolicy } from "../../../sim/engine/coordination/fail-static.js";
import { CoordinationPipeline } from "../../../sim/engine/coordination/pipeline.js";
import { scopeLeasePolicy } from "../../../sim/engine/coordination/scope-lease.js";
import type { CommandContext } from "../../../sim/engine/coordination/types.js";
import { velocityPolicy } from "../../../sim/engine/coordination/velocity.js";
import type { FailStaticRule } from "../../../sim/scenario/coordination-group-types.js";

/** A command by `actor` setting `key` (`component.knob`) from `current` to `value`. */
function ctx(actor: string, key: string, value: number, current: number, over: Partial<CommandContext> = {}): CommandContext {
  const dot = key.indexOf(".");
  const command: AgentCommand = { target: key.slice(0, dot), knob: key.slice(dot + 1), value, reason: "test" };
  return { now: 0, actor, command, knobKey: key, current, version: 0, reviewed: false, op: "set", ...over };
}

describe("velocity onExceed: clip", () => {
  const rule = { knobs: ["web.replicas"], maxChange: 4, windowMs: 600_000, direction: "both" as const, onExceed: "clip" as const };

  it("applies an oversized command clipped to what the window allows, then rejects when nothing is left", () => {
    const policy = velocityPolicy(rule);
    expect(policy.check(ctx("perf", "web.replicas", 12, 6))).toEqual({
      kind: "adjust",
      policy: "velocity",
      reason: "web.replicas 6 -> 12 clipped to 10: the change limit is 4 within 10m and 0 of it was already used",
      value: 10,
      causes: [],
    });
    policy.applied!(ctx("perf", "web.replicas", 10, 6), 7);
    // 3 minutes later: a decrease of 3 would make 7 > 4; nothing is left to clip to.
    expect(policy.check(ctx("cost", "web.replicas", 7, 10, { now: 180_000 }))).toEqual({
      kind: "reject",
      policy: "velocity",
      reason: "web.replicas change of 3 would make 7 within 10m, over the limit of 4 (nothing left to clip to: 4 already used)",
      causes: [7],
    });
    expect(policy.check(ctx("cost", "web.replicas", 7, 10, { now: 600_001 }))).toEqual({ kind: "allow" });
  });

  it("clips in the command's direction by the part of the limit left (down-only rule)", () => {
    const policy = velocityPolicy({ ...rule, direction: "down" });
    policy.applied!(ctx("cost", "web.replicas", 5, 6), 3);
    expect(policy.check(ctx("cost", "web.replicas", 1, 5, { now: 60_000 }))).toMatchObject({ kind: "adjust", value: 2, causes: [3] });
    expect(policy.check(ctx("cost", "web.replicas", 9, 5, { now: 60_000 }))).toEqual({ kind: "allow" });
  });

  it("without onExceed rejects exactly as before", () => {
    const policy = velocityPolicy({ ...rule, onExceed: undefined });
    expect(policy.check(ctx("perf", "web.replicas", 12, 6))).toEqual({ kind: "reject", policy: "velocity", reason: "web.replicas change of 6 would make 6 within 10m, over the limit of 4", causes: [] });
  });

  it("property: the applied change within any window never exceeds maxChange", () => {
    const command = fc.record({ dtMs: fc.integer({ min: 0, max: 300_000 }), value: fc.integer({ min: 0, max: 30 }) });
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), fc.integer({ min: 1, max: 8 }), (commands, maxChange) => {
        const policy = velocityPolicy({ ...rule, maxChange });
        let now = 0;
        let current = 10;
        const applied: { t: number; change: number }[] = [];
        commands.forEach(({ dtMs, value }, i) => {
          now += dtMs;
          if (value === current) return;
          const c = ctx("a", "web.replicas", value, current, { now });
          const verdict = policy.check(c);
          if (verdict.kind === "reject") return;
          const to = verdict.kind === "adjust" ? verdict.value : value;
          // A clip moves toward the request and never past it.
          expect(Math.sign(to - current)).toBe(Math.sign(value - current));
          expect(Math.abs(to - current)).toBeLessThanOrEqual(Math.abs(value - current));
          policy.applied!({ ...c, command: { ...c.command, value: to } }, i + 1);
          applied.push({ t: now, change: Math.abs(to - current) });
          current = to;
        });
        for (const end of applied) {
          const within = applied.filter((a) => a.t > end.t - rule.windowMs && a.t <= end.t).reduce((s, a) => s + a.change, 0);
          expect(within).toBeLessThanOrEqual(maxChange);
        }
      }),
    );
  });
});

describe("bounds", () => {
  const world = new Map([["dom-a.replicas", 20], ["dom-b.replicas", 20], ["dom-c.replicas", 22]]);
  const knobValue = (target: string, knob: string) => world.get(`${target}.${knob}`);
  const keys = [...world.keys()];

  it("rejects a command that takes the sum below the floor, naming the aggregate before and after", () => {
    const policy = boundsPolicy({ label: "dom-*.replicas", keys, aggregate: "sum", min: 60 });
    expect(policy.check(ctx("deploy-a", "dom-a.replicas", 12, 20, { knobValue }))).toEqual({
      kind: "reject",
      policy: "bounds",
      reason: "dom-a.replicas 20 -> 12 would take the sum of dom-*.replicas from 62 to 54, below the floor of 60",
    });
    expect(policy.check(ctx("deploy-a", "dom-a.replicas", 18, 20, { knobValue }))).toEqual({ kind: "allow" });
    expect(policy.check(ctx("deploy-a", "other.replicas", 0, 20, { knobValue }))).toEqual({ kind: "allow" });
  });

  it("allows moving an out-of-bound aggregate toward the bound, and rejects moving it further away", () => {
    const low = new Map([["dom-a.replicas", 10], ["dom-b.replicas", 20], ["dom-c.replicas", 20]]);
    const read = (t: string, k: string) => low.get(`${t}.${k}`);
    const policy = boundsPolicy({ label: "dom-*.replicas", keys, aggregate: "sum", min: 60 });
    expect(policy.check(ctx("a", "dom-a.replicas", 14, 10, { knobValue: read }))).toEqual({ kind: "allow" });
    expect(policy.check(ctx("a", "dom-b.replicas", 19, 20, { knobValue: read }))).toMatchObject({ kind: "reject", reason: "dom-b.replicas 20 -> 19 would take the sum of dom-*.replicas from 50 to 49, below the floor of 60" });
  });

  it("bounds the average, minimum and maximum too, with ceilings", () => {
    expect(boundsPolicy({ label: "dom-*.replicas", keys, aggregate: "avg", max: 21 }).check(ctx("a", "dom-a.replicas", 23, 20, { knobValue }))).toMatchObject({
      reason: "dom-a.replicas 20 -> 23 would take the avg of dom-*.replicas from 20.666667 to 21.666667, above the ceiling of 21",
    });
    expect(boundsPolicy({ label: "dom-*.replicas", keys, aggregate: "min", min: 15 }).check(ctx("a", "dom-b.replicas", 14, 20, { knobValue }))).toMatchObject({ kind: "reject" });
    expect(boundsPolicy({ label: "dom-*.replicas", keys, aggregate: "max", max: 25 }).check(ctx("a", "dom-c.replicas", 26, 22, { knobValue }))).toMatchObject({ kind: "reject" });
    expect(boundsPolicy({ label: "dom-*.replicas", keys, aggregate: "max", max: 25 }).check(ctx("a", "dom-a.replicas", 25, 20, { knobValue }))).toEqual({ kind: "allow" });
    expect(aggregateOf("avg", [1, 2, 6])).toBe(3);
  });

  it("property: no applied command takes the aggregate past a bound from inside it", () => {
    const aggregate = fc.constantFrom("sum" as const, "avg" as const, "min" as const, "max" as const);
    const command = fc.record({ knob: fc.integer({ min: 0, max: 2 }), value: fc.integer({ min: 0, max: 40 }) });
    fc.assert(
      fc.property(aggregate, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.array(command, { maxLength: 40 }), (kind, lo, span, commands) => {
        const values = [20, 20, 22];
        const read = (t: string, k: string) => values[keys.indexOf(`${t}.${k}`)];
        const rule = { label: "dom-*.replicas", keys, aggregate: kind, min: lo, max: lo + span };
        const policy = boundsPolicy(rule);
        for (const { knob, value } of commands) {
          const before = aggregateOf(kind, values);
          const verdict = policy.check(ctx("a", keys[knob], value, values[knob], { knobValue: read }));
          if (verdict.kind !== "allow") continue;
          values[knob] = value;
          const after = aggregateOf(kind, values);
          const inside = (x: number) => x >= rule.min && x <= rule.max;
          if (inside(before)) expect(inside(after)).toBe(true);
          else if (before < rule.min) expect(after).toBeGreaterThanOrEqual(Math.min(before, rule.max + 1e-9));
          else expect(after).toBeLessThanOrEqual(before);
        }
      }),
    );
  });
});

describe("failStatic", () => {
  const rule: FailStaticRule = { watch: ["site-*"], components: ["site-a", "site-b", "site-c", "site-d"], downMin: 2, threshold: "50% (2 of 4)", knobs: ["site-*.replicas"], action: "reject", recheckMs: 30_000, holdMaxMs: 600_000 };
  const health = (down: string[]) => (id: string) => (rule.components.includes(id) ? { down: down.includes(id), seq: down.includes(id) ? 10 + rule.components.indexOf(id) : -1 } : undefined);

  it("allows commands while fewer than the threshold are down, and rejects naming the ones down when it is reached", () => {
    const policy = failStaticPolicy(rule);
    expect(policy.check(ctx("repair", "site-a.replicas", 0, 4, { componentHealth: health(["site-a"]) }))).toEqual({ kind: "allow" });
    expect(policy.check(ctx("repair", "site-a.replicas", 0, 4, { componentHealth: health(["site-c", "site-a"]) }))).toEqual({
      kind: "reject",
      policy: "failStatic",
      reason: "2 of 4 watched components are down (site-a, site-c), at or over the 50% (2 of 4) threshold: a shared cause is likely, so site-a.replicas is frozen",
      causes: [10, 12],
    });
    expect(policy.check(ctx("repair", "web.replicas", 0, 4, { componentHealth: health(["site-c", "site-a"]) }))).toEqual({ kind: "allow" });
  });

  it("with action hold, holds and re-checks, and drops a command held longer than holdMax", () => {
    const policy = failStaticPolicy({ ...rule, action: "hold" });
    const down = health(["site-a", "site-b", "site-c"]);
    expect(policy.check(ctx("repair", "site-a.replicas", 0, 4, { now: 60_000, componentHealth: down }))).toMatchObject({ kind: "hold", policy: "failStatic", untilMs: 90_000 });
    expect(policy.check(ctx("repair", "site-a.replicas", 0, 4, { now: 650_000, heldSinceMs: 60_000, componentHealth: down }))).toMatchObject({ kind: "hold", untilMs: 660_000 });
    expect(policy.check(ctx("repair", "site-a.replicas", 0, 4, { now: 660_000, heldSinceMs: 60_000, componentHealth: down }))).toMatchObject({
      kind: "reject",
      reason: expect.stringMatching(/; held since 00:01:00, 10m at most, so it is dropped$/),
    });
  });
});

describe("lease scopes", () => {
  const scope = { id: "domains", knobs: ["dom-*.replicas", "dom-*.version"], ttlMs: 300_000 };

  it("gives the whole scope to the first writer: another actor's command on any knob of it is rejected with holder and expiry", () => {
    const policy = scopeLeasePolicy([scope]);
    expect(policy.check(ctx("deploy-a", "dom-a.version", 2, 1))).toEqual({ kind: "allow" });
    policy.applied!(ctx("deploy-a", "dom-a.version", 2, 1, { now: 1000 }), 8);
    expect(policy.holder("dom-c.replicas", 2000)).toBe("deploy-a");
    expect(policy.check(ctx("deploy-b", "dom-b.replicas", 10, 20, { now: 60_000 }))).toEqual({
      kind: "reject",
      policy: "lease",
      reason: "dom-b.replicas is in scope domains (dom-*.replicas, dom-*.version), leased to deploy-a until 00:05:01 since its write of dom-a.version",
      causes: [8],
    });
    expect(policy.check(ctx("deploy-a", "dom-a.replicas", 10, 20, { now: 60_000 }))).toEqual({ kind: "allow" });
    expect(policy.check(ctx("deploy-b", "web.replicas", 10, 20, { now: 60_000 }))).toEqual({ kind: "allow" });
    expect(policy.check(ctx("deploy-b", "dom-b.replicas", 10, 20, { now: 301_000 }))).toEqual({ kind: "allow" });
  });

  it("is renewed by each of the holder's writes in the scope", () => {
    const policy = scopeLeasePolicy([scope]);
    policy.applied!(ctx("deploy-a", "dom-a.version", 2, 1, { now: 0 }), 3);
    policy.applied!(ctx("deploy-a", "dom-a.replicas", 18, 20, { now: 200_000 }), 4);
    expect(policy.check(ctx("deploy-b", "dom-b.replicas", 10, 20, { now: 400_000 }))).toMatchObject({ kind: "reject", causes: [4] });
  });
});

describe("arbiter", () => {
  it("merges the desires with max: a lower request leaves the knob at the max, naming every desire", () => {
    const policy = arbiterPolicy({ knobs: ["web.replicas"], merge: "max" });
    expect(policy.check(ctx("hpa", "web.replicas", 4, 2))).toEqual({ kind: "allow" });
    policy.applied!(ctx("hpa", "web.replicas", 4, 2), 5);
    expect(policy.check(ctx("cost", "web.replicas", 2, 4, { now: 60_000 }))).toEqual({
      kind: "reject",
      policy: "arbiter",
      reason: "arbiter: max of hpa=4, cost=2 → 4; web.replicas is already 4, cost's desire 2 is recorded",
      causes: [5],
    });
    // The HPA lowers its desire to 3: the merge is 3 (cost still wants 2).
    expect(policy.check(ctx("hpa", "web.replicas", 3, 4, { now: 120_000 }))).toEqual({ kind: "allow" });
    // HPA wants 1: the merge is cost's 2, so the HPA's command writes 2.
    expect(policy.check(ctx("hpa", "web.replicas", 1, 3, { now: 180_000 }))).toEqual({ kind: "adjust", policy: "arbiter", reason: "arbiter: max of hpa=1, cost=2 → 2", value: 2, causes: [] });
  });

  it("with priority, the first listed agent with a live desire wins; stale desires drop out; unlisted actors are refused", () => {
    const policy = arbiterPolicy({ knobs: ["web.replicas"], merge: "priority", agents: ["ops", "hpa"], staleAfterMs: 600_000 });
    expect(policy.check(ctx("hpa", "web.replicas", 8, 4))).toEqual({ kind: "allow" });
    expect(policy.check(ctx("ops", "web.replicas", 5, 8, { now: 10_000 }))).toEqual({ kind: "allow" });
    expect(policy.check(ctx("hpa", "web.replicas", 9, 5, { now: 20_000 }))).toMatchObject({ kind: "reject", reason: "arbiter: priority of ops=5, hpa=9 → 5 (desires older than 10m dropped); web.replicas is already 5, hpa's desire 9 is recorded" });
    expect(policy.check(ctx("hpa", "web.replicas", 9, 5, { now: 700_000 }))).toEqual({ kind: "allow" });
    expect(policy.check(ctx("cost", "web.replicas", 2, 5))).toEqual({ kind: "reject", policy: "arbiter", reason: "web.replicas is arbitrated among ops, hpa; cost is not one of them" });
    expect(mergeDesires("min", [{ agent: "a", value: 3 }, { agent: "b", value: 1 }])).toBe(1);
  });
});

describe("the pipeline with adjustments", () => {
  it("lets later policies judge the adjusted value: an arbiter's merge is clipped by velocity, then checked by bounds", () => {
    const pipeline = new CoordinationPipeline({
      arbiter: [{ knobs: ["web.replicas"], merge: "max" }],
      velocity: [{ knobs: ["web.replicas"], maxChange: 2, windowMs: 600_000, direction: "both", onExceed: "clip" }],
      bounds: [{ label: "web.replicas", keys: ["web.replicas"], aggregate: "sum", max: 7 }],
    });
    expect(pipeline.active).toEqual(["arbiter", "velocity", "bounds"]);
    pipeline.check(ctx("hpa", "web.replicas", 10, 4, { knobValue: () => 4 }));
    // cost asks for 3; the merge is the HPA's 10; velocity clips it to 6; bounds (max 7) allows 6.
    const decision = pipeline.decide(ctx("cost", "web.replicas", 3, 4, { knobValue: () => 4 }));
    expect(decision.verdict).toEqual({ kind: "allow" });
    expect(decision.ctx.command.value).toBe(6);
    expect(decision.adjustments.map((a) => [a.policy, a.value])).toEqual([["arbiter", 10], ["velocity", 6]]);
    // With a ceiling of 5, the clipped 6 is refused by bounds.
    const tight = new CoordinationPipeline({
      velocity: [{ knobs: ["web.replicas"], maxChange: 2, windowMs: 600_000, direction: "both", onExceed: "clip" }],
      bounds: [{ label: "web.replicas", keys: ["web.replicas"], aggregate: "sum", max: 5 }],
    });
    expect(tight.decide(ctx("hpa", "web.replicas", 10, 4)).verdict).toMatchObject({ kind: "reject", policy: "bounds", reason: expect.stringContaining("4 -> 6") });
  });
});
