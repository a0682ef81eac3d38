// The stagedRollout policy on hand-built command contexts: rollout knobs go up one stage at a
// time after the bake, version writes wait for the first stage, LKG promotions wait for the bake,
// and lowering a rollout is always allowed.
import { describe, expect, it } from "vitest";
import type { AgentCommand } from "../../../sim/agents/io.js";
import { stagedRolloutPolicy } from "../../../sim/engine/coordination/staged-rollout.js";
import type { CommandContext } from "../../../sim/engine/coordination/types.js";

const RULE = { knobs: ["edge.rollout"], stages: [1, 10, 100], bakeMs: 600_000, lkg: ["afd.lkg"] };

function rollout(value: number, current: number, now: number, actor = "deployer"): CommandContext {
  const command: AgentCommand = { target: "edge", knob: "rollout", value, reason: "test" };
  return { now, actor, command, knobKey: "edge.rollout", current, version: 0, reviewed: false, op: "set" };
}

function version(value: number, current: number, rolloutNow: number): CommandContext {
  const command: AgentCommand = { target: "edge", knob: "version", value, reason: "test" };
  return { now: 0, actor: "cleanup", command, knobKey: "edge.version", current, version: 0, reviewed: false, op: "set", knobValue: (t, k) => (t === "edge" && k === "rollout" ? rolloutNow : undefined) };
}

describe("stagedRollout", () => {
  it("allows one stage at a time after the bake, citing the stage's start when too early", () => {
    const policy = stagedRolloutPolicy(RULE);
    expect(policy.check(rollout(1, 100, 0))).toEqual({ kind: "allow" });
    policy.applied!(rollout(1, 100, 0), 4);
    expect(policy.check(rollout(10, 1, 120_000))).toEqual({
      kind: "reject",
      policy: "stagedRollout",
      reason: "edge.rollout 1% -> 10% comes 2m after the 1% stage began; it must bake 10m (not before 00:10:00)",
      causes: [4],
    });
    expect(policy.check(rollout(10, 1, 600_000))).toEqual({ kind: "allow" });
  });

  it("rejects a write that skips a stage, whatever the time", () => {
    const policy = stagedRolloutPolicy(RULE);
    policy.applied!(rollout(1, 100, 0), 4);
    expect(policy.check(rollout(100, 1, 3_600_000, "cleanup"))).toEqual({ kind: "reject", policy: "stagedRollout", reason: "edge.rollout 1% -> 100% skips the 10% stage (stages 1% -> 10% -> 100%)" });
    expect(policy.check(rollout(10, 0, 0))).toMatchObject({ kind: "reject", reason: "edge.rollout 0% -> 10% skips the 1% stage (stages 1% -> 10% -> 100%)" });
  });

  it("always allows lowering a rollout, and starting from 0 needs no bake", () => {
    const policy = stagedRolloutPolicy(RULE);
    policy.applied!(rollout(10, 1, 0), 4);
    expect(policy.check(rollout(0, 10, 1_000))).toEqual({ kind: "allow" });
    policy.applied!(rollout(0, 10, 1_000), 5);
    expect(policy.check(rollout(1, 0, 2_000))).toEqual({ kind: "allow" });
  });

  it("lets a version write through only while the rollout is at the first stage or below", () => {
    const policy = stagedRolloutPolicy(RULE);
    expect(policy.check(version(3, 2, 1))).toEqual({ kind: "allow" });
    expect(policy.check(version(3, 2, 0))).toEqual({ kind: "allow" });
    expect(policy.check(version(3, 2, 100))).toEqual({
      kind: "reject",
      policy: "stagedRollout",
      reason: "edge.version 2 -> 3 would load version 3 on 100% of edge at once; lower edge.rollout to 1% first and advance through 1% -> 10% -> 100%",
    });
  });

  it("refuses an LKG promotion until no rollout changed within the bake", () => {
    const policy = stagedRolloutPolicy(RULE);
    policy.applied!(rollout(100, 10, 1_200_000), 9);
    const put: CommandContext = { ...rollout(2, 1, 1_230_000), knobKey: "afd.lkg", op: "put", content: { rows: 1, sizeBytes: 1, schema: "v1" } };
    expect(policy.check(put)).toEqual({
      kind: "reject",
      policy: "stagedRollout",
      reason: "afd.lkg promotion refused: edge.rollout changed to 100% at 00:20:00, less than the bake time 10m ago (not before 00:30:00)",
      causes: [9],
    });
    expect(policy.check({ ...put, now: 1_800_000 })).toEqual({ kind: "allow" });
  });

  it("ignores knobs and documents it does not cover", () => {
    const policy = stagedRolloutPolicy(RULE);
    expect(policy.check({ ...rollout(100, 1, 0), knobKey: "other.rollout", command: { target: "other", knob: "rollout", value: 100, reason: "x" } })).toEqual({ kind: "allow" });
    expect(policy.check({ ...version(3, 2, 100), command: { target: "other", knob: "version", value: 3, reason: "x" }, knobKey: "other.version" })).toEqual({ kind: "allow" });
  });
});
