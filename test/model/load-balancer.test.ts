// A load balancer's in-service knobs in the world model: only in-service targets take load
// (weights renormalised over them), `available` is the in-service share of weight, and with no
// target in service every request fails. Also the lease table wired into the world.
import { describe, expect, it } from "vitest";
import { knobEventType } from "../../sim/engine/commands.js";
import { World } from "../../sim/model/world.js";
import type { ComponentSpec, HealthSpec, LeaseTableSpec, Scenario, ServerSpec } from "../../sim/scenario/types.js";

const HEALTH: HealthSpec = { errorRateMax: 0.05, latencyMsP95Max: 500, unhealthyAfterSteps: 3, healthyAfterSteps: 5 };

function service(id: string, replicas = 10): ServerSpec {
  return { id, kind: "service", replicas, replicasMin: 0, replicasMax: 10, capacityPerReplicaRps: 100, baseLatencyMs: 20, latencyMsMax: 10_000, costPerReplicaHour: 0.1, dependsOn: [], health: HEALTH };
}

function world(components: ComponentSpec[]): World {
  const scenario: Scenario = { name: "lb-test", description: "", seed: 1, durationMs: 60_000, stepMs: 1_000, sampleEveryMs: 1_000, components, workloads: [], agents: [], coordination: {} };
  return new World(scenario);
}

function nlbWorld(): World {
  return world([
    { id: "nlb", kind: "loadBalancer", targets: ["a", "b", "c"], weights: { a: 50, b: 25, c: 25 }, healthChecks: true, baseLatencyMs: 1, costPerHour: 0.05, health: HEALTH },
    service("a"),
    service("b"),
    service("c"),
  ]);
}

function step(w: World, rps: Record<string, number>, tMs = 0): void {
  w.step(Float64Array.from(w.componentIds.map((id) => rps[id] ?? 0)), tMs);
}

describe("load balancer in-service knobs", () => {
  it("starts with every target in service and routes by weight", () => {
    const w = nlbWorld();
    expect(w.knobNames("nlb")).toEqual(["weight.a", "weight.b", "weight.c", "inService.a", "inService.b", "inService.c"]);
    step(w, { nlb: 1000 });
    expect(w.signal("a", "loadRps")).toBeCloseTo(500);
    expect(w.signal("nlb", "available")).toBe(1);
  });

  it("moves a removed target's load to the others, renormalising their weights", () => {
    const w = nlbWorld();
    w.applyKnob("nlb", "inService.a", 0, 7);
    step(w, { nlb: 1000 });
    expect(w.signal("a", "loadRps")).toBe(0);
    expect(w.signal("b", "loadRps")).toBeCloseTo(500);
    expect(w.signal("c", "loadRps")).toBeCloseTo(500);
    expect(w.signal("nlb", "available")).toBeCloseTo(0.5);
    expect(w.signal("nlb", "errorRate")).toBe(0);
    expect(w.signalProvenance("b", "loadRps")).toContain(7);
  });

  it("fails every request when no target is in service", () => {
    const w = nlbWorld();
    for (const t of ["a", "b", "c"]) w.applyKnob("nlb", `inService.${t}`, 0, 1);
    step(w, { nlb: 1000 });
    expect(w.signal("nlb", "errorRate")).toBe(1);
    expect(w.signal("nlb", "available")).toBe(0);
    w.applyKnob("nlb", "inService.b", 1, 2);
    step(w, { nlb: 1000 }, 1000);
    expect(w.signal("b", "loadRps")).toBeCloseTo(1000);
    expect(w.signal("nlb", "available")).toBeCloseTo(0.25);
  });

  it("accepts only 0 or 1, and logs writes as inService.changed", () => {
    const w = nlbWorld();
    expect(w.checkKnob("nlb", "inService.a", 0)).toBeNull();
    expect(w.checkKnob("nlb", "inService.a", 0.5)).toMatch(/must be 0 \(out of service\) or 1/);
    expect(w.checkKnob("nlb", "weight.a", 0.5)).toBeNull();
    expect(knobEventType("inService.a")).toBe("inService.changed");
  });
});

describe("lease table in the world", () => {
  const table: LeaseTableSpec = { id: "dwfm", kind: "leaseTable", leases: 10_000, leaseDurationMs: 300_000, workers: 16, workPerLeaseMs: 50, jobTimeoutMs: 30_000, queueLimit: 0, dependsOn: [{ id: "db", callsPerRequest: 1 }], health: HEALTH };

  it("offers its renewals to its dependency and reports the share of leases held", () => {
    const w = world([table, { ...service("db", 2), kind: "database" }]);
    expect(w.knobNames("dwfm")).toEqual(["queueLimit"]);
    for (let n = 0; n < 200; n++) step(w, {}, n * 1000);
    expect(w.signal("dwfm", "available")).toBeCloseTo(1, 6);
    expect(w.signal("dwfm", "loadRps")).toBeCloseTo(10_000 / 150, 6);
    expect(w.signal("db", "loadRps")).toBeCloseTo(10_000 / 150, 6);
    expect(w.signal("dwfm", "errorRate")).toBe(0);
    expect(w.signal("dwfm", "latencyMsP95")).toBe(50);
  });

  it("fails renewals while its dependency has no replicas, so leases lapse", () => {
    const w = world([table, { ...service("db", 2), kind: "database" }]);
    for (let n = 0; n < 200; n++) step(w, {}, n * 1000);
    w.applyKnob("db", "replicas", 0, 3);
    for (let n = 200; n < 520; n++) step(w, {}, n * 1000);
    expect(w.signal("dwfm", "available")).toBe(0);
    expect(w.signal("dwfm", "errorRate")).toBe(1);
    expect(w.checkKnob("dwfm", "queueLimit", 2000)).toBeNull();
    expect(w.checkKnob("dwfm", "queueLimit", -1)).not.toBeNull();
  });
});
