// Checks the config consumer and shards kinds in the world model: group splits, crash, crashAfter,
// failOpen, degrade, recovery on a valid config, following the newest version, knob checks.
import { describe, expect, it } from "vitest";
import { groupNodes } from "../../sim/model/kinds/config-consumer/fleet.js";
import { World } from "../../sim/model/world.js";
import type { ConfigConsumerSpec, ConsumerGroupSpec, HealthSpec, Scenario, ServerSpec } from "../../sim/scenario/types.js";

const HEALTH: HealthSpec = { errorRateMax: 0.05, latencyMsP95Max: 500, unhealthyAfterSteps: 1, healthyAfterSteps: 1 };
const GOOD = { rows: 60, sizeBytes: 6000, schema: "v1" };
const BAD = { rows: 240, sizeBytes: 24000, schema: "v1" };

function consumer(groups: ConsumerGroupSpec[], overrides: Partial<ConfigConsumerSpec> = {}): ConfigConsumerSpec {
  return {
    id: "proxies",
    kind: "configConsumer",
    store: "features",
    document: "file",
    version: 1,
    propagationMs: 30_000,
    rules: { rowsMax: 200 },
    groups,
    replicas: 10,
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
}

const group = (name: string, share: number, onViolation: ConsumerGroupSpec["onViolation"], crashAfterMs = 0): ConsumerGroupSpec => ({ name, share, onViolation, crashAfterMs });

function world(spec: ConfigConsumerSpec, extra: ServerSpec[] = []): World {
  const scenario: Scenario = {
    name: "consumer-test",
    description: "",
    seed: 1,
    durationMs: 600_000,
    stepMs: 1_000,
    sampleEveryMs: 1_000,
    components: [
      { id: "features", kind: "documentStore", documents: [{ name: "file", version: 1, ...GOOD }], health: HEALTH },
      { id: "db", kind: "shards", count: 10, migrated: 0, health: HEALTH },
      spec,
      ...extra,
    ],
    workloads: [],
    agents: [],
    coordination: {},
  };
  return new World(scenario);
}

/** Steps `w` at `tMs` with 500 rps offered to the proxies. */
function step(w: World, tMs: number): void {
  w.step(Float64Array.from(w.componentIds.map((id) => (id === "proxies" ? 500 : 0))), tMs);
}

function signals(w: World) {
  return { errorRate: w.signal("proxies", "errorRate"), available: w.signal("proxies", "available"), degraded: w.signal("proxies", "degraded") };
}

describe("groupNodes", () => {
  it("splits replicas by share into whole counts that add up", () => {
    expect(groupNodes([group("a", 0.7, "crash"), group("b", 0.3, "degrade")], 100)).toEqual([70, 30]);
    const thirds = groupNodes([group("a", 1 / 3, "crash"), group("b", 1 / 3, "crash"), group("c", 1 / 3, "crash")], 10);
    expect(thirds.reduce((a, b) => a + b, 0)).toBe(10);
    expect(groupNodes([group("a", 1, "crash")], 0)).toEqual([0]);
  });
});

describe("config consumer", () => {
  const split = [group("fl2", 0.7, "crash"), group("fl", 0.3, "degrade")];

  it("serves like a service with a valid config", () => {
    const w = world(consumer(split));
    step(w, 0);
    expect(signals(w)).toEqual({ errorRate: 0, available: 1, degraded: 0 });
    expect(w.signal("proxies", "latencyMsP95")).toBe(5);
    expect(w.signal("proxies", "utilization")).toBeCloseTo(0.5, 12);
    expect(w.signal("proxies", "costPerHour")).toBeCloseTo(1, 12);
  });

  it("crashes the crash group at once and degrades the degrade group on a config breaking its rules", () => {
    const w = world(consumer(split));
    w.putDocument("features", "file", BAD, 7);
    w.applyKnob("proxies", "version", 2, 8);
    step(w, 1_000);
    const s = signals(w);
    expect(s.errorRate).toBeCloseTo(0.7, 12);
    expect(s.available).toBeCloseTo(0.3, 12);
    expect(s.degraded).toBeCloseTo(0.3, 12);
    expect(w.signalProvenance("proxies", "errorRate")).toEqual(expect.arrayContaining([7, 8]));
    expect(w.signal("proxies", "healthy")).toBe(0);
  });

  it("recovers when a valid config is loaded", () => {
    const w = world(consumer(split));
    w.putDocument("features", "file", BAD, 7);
    w.applyKnob("proxies", "version", 2, 8);
    step(w, 1_000);
    w.putDocument("features", "file", GOOD, 9);
    w.applyKnob("proxies", "version", 3, 10);
    step(w, 2_000);
    expect(signals(w)).toEqual({ errorRate: 0, available: 1, degraded: 0 });
    expect(w.signal("proxies", "healthy")).toBe(1);
  });

  it("fails open: a group that ignores the bad config keeps serving correctly", () => {
    const w = world(consumer([group("all", 1, "failOpen")]));
    w.putDocument("features", "file", BAD, 7);
    w.applyKnob("proxies", "version", 2, 8);
    step(w, 1_000);
    expect(signals(w)).toEqual({ errorRate: 0, available: 1, degraded: 0 });
  });

  it("with crashAfter, serves for that long after loading, then crashes (asynchronous processing)", () => {
    const w = world(consumer([group("edge", 0.5, "crash", 300_000), group("other", 0.5, "failOpen")]));
    w.putDocument("features", "file", BAD, 7);
    w.applyKnob("proxies", "version", 2, 8);
    step(w, 10_000);
    expect(signals(w).errorRate).toBe(0);
    step(w, 309_000);
    expect(signals(w).errorRate).toBe(0);
    step(w, 310_000);
    expect(signals(w).errorRate).toBeCloseTo(0.5, 12);
    expect(signals(w).available).toBeCloseTo(0.5, 12);
  });

  it("fails every request when every node crashed, and forwards only served load to dependencies", () => {
    const origin: ServerSpec = { id: "origin", kind: "service", replicas: 10, replicasMin: 1, replicasMax: 10, capacityPerReplicaRps: 100, baseLatencyMs: 20, latencyMsMax: 10_000, costPerReplicaHour: 0, dependsOn: [], health: HEALTH };
    const w = world(consumer(split, { dependsOn: [{ id: "origin", callsPerRequest: 1 }] }), [origin]);
    step(w, 0);
    expect(w.signal("origin", "loadRps")).toBeCloseTo(500, 9);
    expect(w.signal("proxies", "latencyMsP95")).toBe(25);
    w.putDocument("features", "file", BAD, 7);
    w.applyKnob("proxies", "version", 2, 8);
    step(w, 1_000);
    expect(w.signal("origin", "loadRps")).toBeCloseTo(150, 9);
    const allCrash = world(consumer([group("all", 1, "crash")]));
    allCrash.putDocument("features", "file", BAD, 7);
    allCrash.applyKnob("proxies", "version", 2, 8);
    step(allCrash, 1_000);
    expect(signals(allCrash)).toEqual({ errorRate: 1, available: 0, degraded: 0 });
  });

  it("keeps its config when the pinned version does not exist", () => {
    const w = world(consumer(split));
    w.applyKnob("proxies", "version", 5, 8);
    step(w, 1_000);
    expect(signals(w).errorRate).toBe(0);
    w.putDocument("features", "file", BAD, 9);
    w.putDocument("features", "file", BAD, 10);
    w.putDocument("features", "file", BAD, 11);
    w.putDocument("features", "file", BAD, 12);
    step(w, 2_000);
    expect(signals(w).errorRate).toBeCloseTo(0.7, 12);
  });

  it("follows the newest version (version 0) after the propagation delay", () => {
    const w = world(consumer(split, { version: 0 }));
    step(w, 0);
    w.putDocument("features", "file", BAD, 7);
    step(w, 1_000);
    step(w, 30_000);
    expect(signals(w).errorRate).toBe(0);
    step(w, 31_000);
    expect(signals(w).errorRate).toBeCloseTo(0.7, 12);
    w.putDocument("features", "file", GOOD, 9);
    step(w, 32_000);
    step(w, 62_000);
    expect(signals(w).errorRate).toBe(0);
  });

  it("checks its knobs: version a whole number >= 0, replicas within bounds; shards.migrated in [0, count]", () => {
    const w = world(consumer(split));
    expect(w.checkKnob("proxies", "version", 0)).toBeNull();
    expect(w.checkKnob("proxies", "version", -1)).toMatch(/whole version number/);
    expect(w.checkKnob("proxies", "version", 1.5)).toMatch(/whole version number/);
    expect(w.checkKnob("proxies", "replicas", 101)).toMatch(/\[1, 100\]/);
    expect(w.checkKnob("db", "migrated", 10)).toBeNull();
    expect(w.checkKnob("db", "migrated", 11)).toMatch(/\[0, 10\]/);
    expect(w.checkKnob("db", "replicas", 1)).toMatch(/no knob/);
    step(w, 0);
    expect(w.signal("db", "loadRps")).toBe(0);
  });
});
