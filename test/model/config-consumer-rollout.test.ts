// Checks the `rollout` knob and `failover` of config consumers: the rollout share loads `version`
// while the rest keeps the version last loaded at 100%, each slice crashes crashAfter after it
// loaded, lowering the rollout returns nodes to the stable version, and failover moves load off
// crashed nodes onto the survivors.
import { describe, expect, it } from "vitest";
import { World } from "../../sim/model/world.js";
import type { ConfigConsumerSpec, HealthSpec, Scenario } from "../../sim/scenario/types.js";

const HEALTH: HealthSpec = { errorRateMax: 0.05, latencyMsP95Max: 500, unhealthyAfterSteps: 1, healthyAfterSteps: 1 };
const GOOD = { rows: 60, sizeBytes: 6000, schema: "v1" };
const BAD = { rows: 60, sizeBytes: 6000, schema: "v2" };

function world(overrides: Partial<ConfigConsumerSpec> = {}): World {
  const edge: ConfigConsumerSpec = {
    id: "edge",
    kind: "configConsumer",
    store: "cfg",
    document: "config",
    version: 1,
    propagationMs: 30_000,
    rules: { schema: "v1" },
    groups: [{ name: "all", share: 1, onViolation: "crash", crashAfterMs: 60_000 }],
    replicas: 100,
    replicasMin: 1,
    replicasMax: 100,
    capacityPerReplicaRps: 100,
    baseLatencyMs: 5,
    latencyMsMax: 10_000,
    costPerReplicaHour: 0.1,
    dependsOn: [],
    health: HEALTH,
    ...overrides,
  };
  const scenario: Scenario = {
    name: "rollout-test",
    description: "",
    seed: 1,
    durationMs: 600_000,
    stepMs: 1_000,
    sampleEveryMs: 1_000,
    components: [{ id: "cfg", kind: "documentStore", documents: [{ name: "config", version: 1, ...GOOD }], health: HEALTH }, edge],
    workloads: [],
    agents: [],
    coordination: {},
  };
  const w = new World(scenario);
  w.putDocument("cfg", "config", BAD, 5);
  return w;
}

/** Steps `w` at `tMs` with `rps` offered to the edge. */
function step(w: World, tMs: number, rps = 6000): void {
  w.step(Float64Array.from(w.componentIds.map((id) => (id === "edge" ? rps : 0))), tMs);
}

describe("config consumer rollout", () => {
  it("starts at 100%, and rejects values outside [0, 100]", () => {
    const w = world();
    expect(w.knob("edge", "rollout")).toBe(100);
    expect(w.checkKnob("edge", "rollout", 0.5)).toBeNull();
    expect(w.checkKnob("edge", "rollout", 101)).toBe("edge.rollout must be a percent in [0, 100], got 101");
    expect(w.checkKnob("edge", "rollout", -1)).toBe("edge.rollout must be a percent in [0, 100], got -1");
  });

  it("loads the new version on the rollout share only; each slice crashes crashAfter after it loaded", () => {
    const w = world();
    w.applyKnob("edge", "rollout", 1, 10);
    w.applyKnob("edge", "version", 2, 11);
    step(w, 0);
    expect(w.signal("edge", "available")).toBe(1);
    step(w, 60_000);
    expect(w.signal("edge", "available")).toBeCloseTo(0.99, 12);
    w.applyKnob("edge", "rollout", 10, 12);
    step(w, 90_000);
    expect(w.signal("edge", "available")).toBeCloseTo(0.99, 12);
    step(w, 150_000);
    expect(w.signal("edge", "available")).toBeCloseTo(0.9, 12);
  });

  it("returns the nodes to the stable version when the rollout is lowered to 0", () => {
    const w = world();
    w.applyKnob("edge", "rollout", 10, 10);
    w.applyKnob("edge", "version", 2, 11);
    step(w, 0);
    step(w, 60_000);
    expect(w.signal("edge", "available")).toBeCloseTo(0.9, 12);
    w.applyKnob("edge", "rollout", 0, 12);
    step(w, 61_000);
    expect(w.signal("edge", "available")).toBe(1);
    expect(w.signal("edge", "errorRate")).toBe(0);
  });

  it("makes a version loaded at 100% the stable one, so lowering the rollout afterwards changes nothing", () => {
    const w = world();
    w.applyKnob("edge", "version", 2, 11);
    step(w, 0);
    w.applyKnob("edge", "rollout", 0, 12);
    step(w, 60_000);
    expect(w.signal("edge", "available")).toBe(0);
  });

  it("without failover, requests reaching crashed nodes fail; with it the survivors carry them", () => {
    for (const failover of [false, true]) {
      const w = world(failover ? { failover: true } : {});
      w.applyKnob("edge", "rollout", 50, 10);
      w.applyKnob("edge", "version", 2, 11);
      step(w, 0);
      step(w, 60_000);
      expect(w.signal("edge", "available")).toBeCloseTo(0.5, 12);
      if (failover) {
        // 6000 rps on 50 nodes of 100/s: survivors over capacity shed above 99% of it.
        expect(w.signal("edge", "utilization")).toBeCloseTo(1.2, 12);
        expect(w.signal("edge", "errorRate")).toBeCloseTo(1 - 4950 / 6000, 6);
      } else {
        expect(w.signal("edge", "utilization")).toBeCloseTo(0.6, 12);
        expect(w.signal("edge", "errorRate")).toBeCloseTo(0.5, 6);
      }
    }
  });

  it("with failover and load within the survivors' capacity, a crash costs no requests", () => {
    const w = world({ failover: true });
    w.applyKnob("edge", "rollout", 10, 10);
    w.applyKnob("edge", "version", 2, 11);
    step(w, 0);
    step(w, 60_000);
    expect(w.signal("edge", "available")).toBeCloseTo(0.9, 12);
    expect(w.signal("edge", "errorRate")).toBeCloseTo(0, 9);
  });
});
