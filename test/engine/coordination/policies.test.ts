// Each coordination policy on hand-built command contexts: it allows what it should, and its
// rejection (or hold, or duplicate) names the policy and a reason a person can act on.
import { describe, expect, it } from "vitest";
import type { AgentCommand } from "../../../sim/agents/io.js";
import { approvalPolicy } from "../../../sim/engine/coordination/approval.js";
import { authorizationPolicy } from "../../../sim/engine/coordination/authorization.js";
import { compareAndSetPolicy } from "../../../sim/engine/coordination/compare-and-set.js";
import { cooldownPolicy } from "../../../sim/engine/coordination/cooldown.js";
import { idempotencyPolicy } from "../../../sim/engine/coordination/idempotency.js";
import { knobMatcher } from "../../../sim/engine/coordination/knob-pattern.js";
import { leasePolicy } from "../../../sim/engine/coordination/lease.js";
import type { CommandContext } from "../../../sim/engine/coordination/types.js";
import { velocityPolicy } from "../../../sim/engine/coordination/velocity.js";

function ctx(actor: string, value: number, over: Omit<Partial<CommandContext>, "command"> & { command?: Partial<AgentCommand> } = {}): CommandContext {
  const { command, ...rest } = over;
  return {
    now: 0,
    actor,
    command: { target: "web", knob: "replicas", value, reason: "test", ...command },
    knobKey: "web.replicas",
    current: 6,
    version: 0,
    reviewed: false,
    op: "set",
    ...rest,
  };
}

describe("knob patterns", () => {
  it("match exact keys and * wildcards across dots, and nothing else", () => {
    const m = knobMatcher(["web.replicas", "lb.weight.*", "*.plan"]);
    expect(m.matches("web.replicas")).toBe(true);
    expect(m.matches("lb.weight.web-a")).toBe(true);
    expect(m.matches("dns.plan")).toBe(true);
    expect(m.matches("webXreplicas")).toBe(false);
    expect(m.matches("web.replicasMax")).toBe(false);
    expect(m.first("lb.weight.a")).toBe("lb.weight.*");
  });
});

describe("authorization", () => {
  const policy = authorizationPolicy({ perf: ["web.replicas"], router: ["lb.weight.*"] });
  it("allows writes inside the agent's scope", () => {
    expect(policy.check(ctx("perf", 8))).toEqual({ kind: "allow" });
  });
  it("rejects writes outside the scope, naming the scope", () => {
    expect(policy.check(ctx("router", 8))).toEqual({ kind: "reject", policy: "authorization", reason: "router may write lb.weight.* only, not web.replicas" });
  });
  it("rejects every write of an agent with no scope", () => {
    expect(policy.check(ctx("cost", 4))).toMatchObject({ kind: "reject", reason: expect.stringMatching(/^cost has no authorization scope/) });
  });
});

describe("lease", () => {
  it("gives the knob to the first writer until the ttl passes, renewing on each write", () => {
    const policy = leasePolicy(["web.*"], 60_000);
    expect(policy.check(ctx("perf", 8))).toEqual({ kind: "allow" });
    policy.applied!(ctx("perf", 8), 5);
    expect(policy.holder("web.replicas", 1000)).toBe("perf");
    expect(policy.check(ctx("cost", 6, { now: 30_000 }))).toEqual({ kind: "reject", policy: "lease", reason: "web.replicas is leased to perf until 00:01:00", causes: [5] });
    policy.applied!(ctx("perf", 10, { now: 50_000 }), 9);
    expect(policy.check(ctx("cost", 6, { now: 100_000 }))).toMatchObject({ kind: "reject", reason: "web.replicas is leased to perf until 00:01:50" });
    expect(policy.check(ctx("cost", 6, { now: 110_000 }))).toEqual({ kind: "allow" });
    expect(policy.holder("web.replicas", 110_000)).toBeNull();
  });
  it("with a named holder, rejects everyone else for the whole run", () => {
    const policy = leasePolicy(["web.replicas"], 60_000, "perf");
    expect(policy.check(ctx("perf", 8))).toEqual({ kind: "allow" });
    expect(policy.check(ctx("cost", 4, { now: 10_000_000 }))).toMatchObject({ kind: "reject", reason: "web.replicas is leased to perf for the whole run" });
  });
  it("ignores knobs it does not cover", () => {
    const policy = leasePolicy(["db.*"], 60_000, "dba");
    expect(policy.check(ctx("cost", 4))).toEqual({ kind: "allow" });
  });
});

describe("compareAndSet", () => {
  it("allows a write based on the current version and rejects a stale one", () => {
    const policy = compareAndSetPolicy(["web.replicas"], false);
    expect(policy.check(ctx("a", 8, { version: 3, command: { expectedVersion: 3 } }))).toEqual({ kind: "allow" });
    expect(policy.check(ctx("a", 8, { version: 5, command: { expectedVersion: 3 } }))).toEqual({
      kind: "reject",
      policy: "compareAndSet",
      reason: "stale write: based on web.replicas version 3, but it is at version 5",
    });
  });
  it("lets blind writes through unless requireVersion is set", () => {
    expect(compareAndSetPolicy(["web.replicas"], false).check(ctx("a", 8))).toEqual({ kind: "allow" });
    expect(compareAndSetPolicy(["web.replicas"], true).check(ctx("a", 8, { version: 2 }))).toMatchObject({ kind: "reject", reason: expect.stringMatching(/must name the version.*at version 2/) });
  });
});

describe("cooldown (cross-actor)", () => {
  const policy = cooldownPolicy(["web.replicas"], 600_000);
  it("rejects another actor within the cooldown, citing the last write", () => {
    policy.applied!(ctx("perf", 8, { now: 60_000 }), 7);
    expect(policy.check(ctx("perf", 10, { now: 120_000 }))).toEqual({ kind: "allow" });
    expect(policy.check(ctx("cost", 6, { now: 120_000 }))).toEqual({
      kind: "reject",
      policy: "cooldown",
      reason: "web.replicas was changed by perf at 00:01:00; other actors must wait until 00:11:00",
      causes: [7],
    });
    expect(policy.check(ctx("cost", 6, { now: 660_000 }))).toEqual({ kind: "allow" });
  });
});

describe("velocity", () => {
  it("bounds the total decrease within the window and forgets old changes", () => {
    const policy = velocityPolicy({ knobs: ["lb.weight.*"], maxChange: 30, windowMs: 600_000, direction: "down" });
    const w = (actor: string, value: number, current: number, now: number) => ctx(actor, value, { now, current, knobKey: "lb.weight.a", command: { target: "lb", knob: "weight.a" } });
    expect(policy.check(w("router", 80, 100, 0))).toEqual({ kind: "allow" });
    policy.applied!(w("router", 80, 100, 0), 3);
    expect(policy.check(w("router", 70, 80, 60_000))).toEqual({ kind: "allow" });
    policy.applied!(w("router", 70, 80, 60_000), 4);
    expect(policy.check(w("router", 55, 70, 120_000))).toEqual({
      kind: "reject",
      policy: "velocity",
      reason: "lb.weight.a decrease of 15 would make 45 within 10m, over the limit of 30",
      causes: [3, 4],
    });
    expect(policy.check(w("router", 90, 70, 120_000))).toEqual({ kind: "allow" });
    expect(policy.check(w("router", 55, 70, 601_000))).toEqual({ kind: "allow" });
  });
});

describe("approval", () => {
  const policy = approvalPolicy(["web.replicas"], 300_000, 0.25);
  it("holds a first submission until the reviewer answers", () => {
    expect(policy.check(ctx("cost", 4, { now: 1000 }))).toEqual({ kind: "hold", policy: "approval", reason: "web.replicas changes need review; the reviewer answers at 00:05:01", untilMs: 301_000 });
  });
  it("after review, approves small changes and rejects a large blast radius", () => {
    expect(policy.check(ctx("cost", 5, { reviewed: true }))).toEqual({ kind: "allow" });
    expect(policy.check(ctx("cost", 2, { reviewed: true }))).toEqual({
      kind: "reject",
      policy: "approval",
      reason: "reviewer rejected web.replicas 6 -> 2: a 67% change exceeds the 25% blast-radius limit",
    });
  });
});

describe("idempotency", () => {
  it("turns a repeated key into a duplicate naming the first application", () => {
    const policy = idempotencyPolicy();
    const charge = ctx("billing", 1, { command: { idempotencyKey: "order-17" } });
    expect(policy.check(charge)).toEqual({ kind: "allow" });
    policy.applied!(charge, 12);
    expect(policy.check(charge)).toEqual({ kind: "duplicate", policy: "idempotency", reason: 'idempotency key "order-17" was already applied as #12', firstSeq: 12 });
    expect(policy.check(ctx("billing", 1))).toEqual({ kind: "allow" });
  });
});
