// The health checker agent on small YAML scenarios: it takes a failing target out of service
// after `failuresToRemove` failed probes, returns it after `successesToReturn` good ones, only
// probes with `failover: false`, and a shared velocity window limits how many targets it removes.
import { describe, expect, it } from "vitest";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import { velocityPolicy } from "../../sim/engine/coordination/velocity.js";
import type { CommandContext } from "../../sim/engine/coordination/types.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

/** Two targets of 1,000 rps carrying 1,000 rps; target a loses 8 of 10 replicas at 60 s. */
function yaml(checker: string, coordination = ""): string {
  return `
name: health-checker-test
seed: 1
duration: 5m
step: 1s
components:
  - { id: lb, kind: loadBalancer, targets: [a, b], healthChecks: true }
  - { id: a, kind: service, replicas: 10, replicasMin: 1, replicasMax: 10, capacityPerReplica: 100/s }
  - { id: b, kind: service, replicas: 10, replicasMin: 1, replicasMax: 10, capacityPerReplica: 100/s }
workload:
  - { id: w, target: lb, pattern: { kind: constant, rate: 1000/s } }
agents:
  - id: breaker
    kind: statechart
    initial: up
    states:
      up:
        after:
          60s: { target: down, actions: [ { set: { target: a, knob: replicas, value: 2, reason: "lose most of a" } } ] }
      down: {}
  - id: hc
    kind: healthChecker
    target: lb
${checker}
${coordination}`;
}

const inServiceWrites = (run: RunResult) => run.log.filter((r) => r.type === "inService.changed").map((r) => [r.t, r.data.knob, r.data.to]);

describe("health checker", () => {
  it("removes a target after 3 failed probes and returns it after 3 good ones", () => {
    const run = runScenario(scenarioFromYaml(yaml("    probeInterval: 10s")));
    const writes = inServiceWrites(run);
    // a fails from 60 s; the probes at 70, 80 and 90 s fail; once out it gets no load and
    // passes the probes at 100, 110 and 120 s.
    expect(writes.slice(0, 2)).toEqual([
      [90_000, "inService.a", 0],
      [120_000, "inService.a", 1],
    ]);
    const removal = run.log.find((r) => r.type === "inService.changed")!;
    expect(removal.actor).toBe("hc");
    expect(removal.data.reason).toMatch(/^a\.errorRate = .* > 0\.050 on 3 probes in a row: take a out of lb$/);
    expect(removal.causes.length).toBeGreaterThan(0);
    // While a is out, b carries everything.
    expect(run.telemetry.series("b", "loadRps")[run.telemetry.indexAt(100_000)]).toBeCloseTo(1000, 0);
    expect(run.telemetry.series("lb", "available")[run.telemetry.indexAt(100_000)]).toBeCloseTo(0.5);
  });

  it("follows failuresToRemove and successesToReturn", () => {
    const run = runScenario(scenarioFromYaml(yaml("    probeInterval: 10s\n    failuresToRemove: 1\n    successesToReturn: 5")));
    expect(inServiceWrites(run).slice(0, 2)).toEqual([
      [70_000, "inService.a", 0],
      [120_000, "inService.a", 1],
    ]);
  });

  it("only probes with failover off: the load stays on the failing target", () => {
    const run = runScenario(scenarioFromYaml(yaml("    failover: false")));
    expect(inServiceWrites(run)).toEqual([]);
    expect(run.telemetry.series("a", "loadRps")[run.telemetry.indexAt(200_000)]).toBeCloseTo(500, 0);
  });

  it("is held to one removal per window by a velocity limit shared by every target", () => {
    const run = runScenario(scenarioFromYaml(yaml("    probeInterval: 10s\n    failuresToRemove: 1\n    successesToReturn: 5", "coordination:\n  velocity: [ { knobs: [lb.inService.*], maxChange: 1, window: 10m, direction: down } ]")));
    expect(inServiceWrites(run)).toEqual([
      [70_000, "inService.a", 0],
      [120_000, "inService.a", 1],
    ]);
    const rejected = run.log.filter((r) => r.type === "command.rejected");
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0].data.policy).toBe("velocity");
  });

  it("rejects a target that is not a load balancer when the scenario loads", () => {
    expect(() => scenarioFromYaml(yaml("    probeInterval: 10s").replace("    target: lb\n", "    target: a\n"))).toThrow(/a component of kind loadBalancer/);
  });

  it("asks for healthChecks: true on a load balancer without in-service knobs", () => {
    expect(() => scenarioFromYaml(yaml("    probeInterval: 10s").replace(", healthChecks: true", ""))).toThrow(/add `healthChecks: true` to lb/);
  });
});

describe("velocity window shared across a pattern", () => {
  const ctx = (knob: string, now: number): CommandContext => ({
    now,
    actor: "hc",
    command: { target: "nlb", knob, value: 0, reason: "probe failed" },
    knobKey: `nlb.${knob}`,
    current: 1,
    version: 0,
    reviewed: false,
    op: "set",
  });

  it("counts removals of different targets against one limit", () => {
    const policy = velocityPolicy({ knobs: ["nlb.inService.*"], maxChange: 1, windowMs: 600_000, direction: "down" });
    expect(policy.check(ctx("inService.a", 0))).toEqual({ kind: "allow" });
    policy.applied!(ctx("inService.a", 0), 5);
    expect(policy.check(ctx("inService.b", 60_000))).toEqual({
      kind: "reject",
      policy: "velocity",
      reason: "nlb.inService.b decrease of 1 would make 2 of nlb.inService.* within 10m, over the limit of 1",
      causes: [5],
    });
    expect(policy.check(ctx("inService.b", 600_001))).toEqual({ kind: "allow" });
  });
});
