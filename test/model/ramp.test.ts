// Checks ramps (sim/model/ramp.ts, ramp workload patterns, ramping faults) against hand-computed
// values, and edge faults (a fault on one caller's calls to a callee) against the caller's and the
// other callers' end-to-end latency and errors.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXPONENTIAL_RAMP_FLOOR, faultRampFactor, rampValue } from "../../sim/model/ramp.js";
import { patternChangePoints, patternRps } from "../../sim/model/workload.js";
import { World } from "../../sim/model/world.js";
import type { ComponentFaultSpec, HealthSpec, LoadPattern, Scenario, ServerSpec } from "../../sim/scenario/types.js";

const HEALTH: HealthSpec = { errorRateMax: 0.01, latencyMsP95Max: 500, unhealthyAfterSteps: 3, healthyAfterSteps: 2 };

/** A lightly loaded service (10 x 1000 rps, so no queueing at the loads used here). */
function service(id: string, dependsOn: string[] = [], baseLatencyMs = 20): ServerSpec {
  return {
    id,
    kind: "service",
    replicas: 10,
    replicasMin: 1,
    replicasMax: 10,
    capacityPerReplicaRps: 1000,
    baseLatencyMs,
    latencyMsMax: 10_000,
    costPerReplicaHour: 1,
    dependsOn: dependsOn.map((d) => ({ id: d, callsPerRequest: 1 })),
    health: HEALTH,
  };
}

function world(components: ServerSpec[]): World {
  const s: Scenario = { name: "ramp-test", description: "", seed: 1, durationMs: 600_000, stepMs: 1000, sampleEveryMs: 1000, components, workloads: [], agents: [], coordination: {} };
  return new World(s);
}

function step(w: World, rps: Record<string, number>, tMs: number): void {
  w.step(Float64Array.from(w.componentIds.map((id) => rps[id] ?? 0)), tMs);
}

describe("rampValue (hand-computed)", () => {
  it("interpolates linearly", () => {
    expect(rampValue(100, 500, 0, "linear")).toBe(100);
    expect(rampValue(100, 500, 0.25, "linear")).toBe(200);
    expect(rampValue(100, 500, 0.5, "linear")).toBe(300);
    expect(rampValue(100, 500, 1, "linear")).toBe(500);
    expect(rampValue(500, 100, 0.75, "linear")).toBe(200);
  });

  it("interpolates geometrically: 100 -> 1600 doubles every quarter", () => {
    expect(rampValue(100, 1600, 0.25, "exponential")).toBeCloseTo(200, 9);
    expect(rampValue(100, 1600, 0.5, "exponential")).toBeCloseTo(400, 9);
    expect(rampValue(100, 1600, 0.75, "exponential")).toBeCloseTo(800, 9);
    expect(rampValue(1600, 100, 0.5, "exponential")).toBeCloseTo(400, 9);
  });

  it("clamps outside the window", () => {
    expect(rampValue(100, 500, -3, "linear")).toBe(100);
    expect(rampValue(100, 500, 7, "exponential")).toBe(500);
  });

  it("is monotone between its endpoints and stays within them (property)", () => {
    const level = fc.double({ min: 0.001, max: 1e9, noNaN: true });
    fc.assert(
      fc.property(level, level, fc.double({ min: -1, max: 2, noNaN: true }), fc.double({ min: -1, max: 2, noNaN: true }), fc.constantFrom("linear" as const, "exponential" as const), (a, b, f1, f2, shape) => {
        const [lo, hi] = f1 <= f2 ? [f1, f2] : [f2, f1];
        const v1 = rampValue(a, b, lo, shape);
        const v2 = rampValue(a, b, hi, shape);
        const eps = 1e-9 * Math.max(a, b);
        if (a <= b) expect(v2).toBeGreaterThanOrEqual(v1 - eps);
        else expect(v2).toBeLessThanOrEqual(v1 + eps);
        for (const v of [v1, v2]) {
          expect(v).toBeGreaterThanOrEqual(Math.min(a, b) - eps);
          expect(v).toBeLessThanOrEqual(Math.max(a, b) + eps);
        }
        if (lo <= 0) expect(v1).toBe(a);
        if (hi >= 1) expect(v2).toBe(b);
      }),
    );
  });
});

describe("ramp workload pattern", () => {
  const ramp: LoadPattern = { kind: "ramp", fromRps: 100, toRps: 500, atMs: 60_000, overMs: 120_000, shape: "linear" };

  it("holds `from` before the window, interpolates in it and holds `to` after", () => {
    expect(patternRps(ramp, 0)).toBe(100);
    expect(patternRps(ramp, 60_000)).toBe(100);
    expect(patternRps(ramp, 90_000)).toBe(200);
    expect(patternRps(ramp, 120_000)).toBe(300);
    expect(patternRps(ramp, 180_000)).toBe(500);
    expect(patternRps(ramp, 1e9)).toBe(500);
    expect(patternRps({ ...ramp, shape: "exponential", toRps: 1600 }, 120_000)).toBeCloseTo(400, 9);
  });

  it("changes (and is logged) only at its start and end", () => {
    expect(patternChangePoints(ramp)).toEqual([60_000, 180_000]);
    expect(patternChangePoints({ ...ramp, overMs: 0 })).toEqual([60_000]);
  });
});

describe("ramping faults", () => {
  it("scale a fault's magnitude by the hand-computed ramp factor", () => {
    const ramp = { rampUpMs: 100_000, rampDownMs: 50_000 };
    // Fault active over [100 s, 400 s).
    expect(faultRampFactor(ramp, 100_000, 400_000, 100_000)).toBe(0);
    expect(faultRampFactor(ramp, 100_000, 400_000, 125_000)).toBe(0.25);
    expect(faultRampFactor(ramp, 100_000, 400_000, 200_000)).toBe(1);
    expect(faultRampFactor(ramp, 100_000, 400_000, 300_000)).toBe(1);
    expect(faultRampFactor(ramp, 100_000, 400_000, 375_000)).toBe(0.5);
    expect(faultRampFactor(ramp, 100_000, 400_000, 400_000)).toBe(0);
    // Exponential: from 1% to 100%, x10 at half way.
    const exp = { rampUpMs: 100_000, rampShape: "exponential" as const };
    expect(faultRampFactor(exp, 0, Infinity, 0)).toBe(EXPONENTIAL_RAMP_FLOOR);
    expect(faultRampFactor(exp, 0, Infinity, 50_000)).toBeCloseTo(0.1, 12);
    expect(faultRampFactor(exp, 0, Infinity, 100_000)).toBe(1);
    expect(faultRampFactor({}, 0, 10, 5)).toBe(1);
  });

  it("add the ramped latency to the target's p95 at each step", () => {
    const w = world([service("web", ["db"]), service("db", [], 5)]);
    step(w, { web: 100 }, 0);
    const dbBase = w.signal("db", "latencyMsP95");
    const fault: ComponentFaultSpec = { id: "slow", target: "db", effect: "latency", addMs: 400, startMs: 10_000, durationMs: 100_000, rampUpMs: 40_000, rampDownMs: 20_000 };
    w.startFault(fault, 7);
    for (const [t, share] of [[10_000, 0], [20_000, 0.25], [30_000, 0.5], [50_000, 1], [95_000, 0.75], [100_000, 0.5]] as const) {
      step(w, { web: 100 }, t);
      expect(w.signal("db", "latencyMsP95")).toBeCloseTo(dbBase + 400 * share, 9);
      expect(w.signalProvenance("web", "latencyMsP95")).toContain(7);
    }
    w.endFault("slow", 8);
    step(w, { web: 100 }, 110_000);
    expect(w.signal("db", "latencyMsP95")).toBeCloseTo(dbBase, 9);
  });
});

describe("edge faults", () => {
  it("add latency exactly to the caller's p95 and to no other caller nor the callee", () => {
    const w = world([service("web", ["db"]), service("api", ["db"]), service("db", [], 5)]);
    step(w, { web: 100, api: 100 }, 0);
    const before = { web: w.signal("web", "latencyMsP95"), api: w.signal("api", "latencyMsP95"), db: w.signal("db", "latencyMsP95") };
    w.startFault({ id: "link", target: "db", from: "web", effect: "latency", addMs: 250, startMs: 0 }, 3);
    step(w, { web: 100, api: 100 }, 1000);
    expect(w.signal("web", "latencyMsP95")).toBeCloseTo(before.web + 250, 9);
    expect(w.signal("api", "latencyMsP95")).toBe(before.api);
    expect(w.signal("db", "latencyMsP95")).toBe(before.db);
    expect(w.signalProvenance("web", "latencyMsP95")).toContain(3);
    expect(w.signalProvenance("api", "latencyMsP95")).not.toContain(3);
    expect(w.signalProvenance("db", "latencyMsP95")).not.toContain(3);
    w.endFault("link", 4);
    step(w, { web: 100, api: 100 }, 2000);
    expect(w.signal("web", "latencyMsP95")).toBeCloseTo(before.web, 9);
    expect(w.signalProvenance("web", "latencyMsP95")).toContain(4);
  });

  it("fail that share of the caller's calls only (loss), composed with the callee's own errors", () => {
    const w = world([service("web", ["db"]), service("api", ["db"]), service("db", [], 5)]);
    w.startFault({ id: "db-errors", target: "db", effect: "errors", rate: 0.1, startMs: 0 }, 2);
    w.startFault({ id: "loss", target: "db", from: "web", effect: "errors", rate: 0.2, startMs: 0 }, 3);
    step(w, { web: 100, api: 100 }, 0);
    expect(w.signal("db", "errorRate")).toBeCloseTo(0.1, 12);
    expect(w.signal("api", "errorRate")).toBeCloseTo(0.1, 12);
    expect(w.signal("web", "errorRate")).toBeCloseTo(1 - 0.9 * 0.8, 12);
  });

  it("add a load balancer's share of the edge latency, and ramp like any fault", () => {
    const lb = { id: "lb", kind: "loadBalancer" as const, targets: ["a", "b"], weights: { a: 50, b: 50 }, baseLatencyMs: 1, costPerHour: 0, health: HEALTH };
    const s: Scenario = { name: "lb-edge", description: "", seed: 1, durationMs: 600_000, stepMs: 1000, sampleEveryMs: 1000, components: [lb, service("a"), service("b")], workloads: [], agents: [], coordination: {} };
    const w = new World(s);
    step(w, { lb: 100 }, 0);
    const before = w.signal("lb", "latencyMsP95");
    w.startFault({ id: "link", target: "a", from: "lb", effect: "latency", addMs: 200, startMs: 0, rampUpMs: 10_000 }, 5);
    step(w, { lb: 100 }, 5_000);
    expect(w.signal("lb", "latencyMsP95")).toBeCloseTo(before + 0.5 * 200 * 0.5, 9);
    step(w, { lb: 100 }, 20_000);
    expect(w.signal("lb", "latencyMsP95")).toBeCloseTo(before + 0.5 * 200, 9);
    expect(w.signal("a", "latencyMsP95")).toBe(w.signal("b", "latencyMsP95"));
  });

  it("refuse a caller that does not call the target", () => {
    const w = world([service("web", ["db"]), service("api"), service("db", [], 5)]);
    expect(() => w.startFault({ id: "link", target: "db", from: "api", effect: "latency", addMs: 10, startMs: 0 }, 3)).toThrow(/does not call db/);
  });
});
