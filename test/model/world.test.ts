// Checks the world model on small hand-built scenarios: load, latency, errors, routing, knob checks, health and construction errors.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../sim/core/errors.js";
import { SIGNAL_NAMES } from "../../sim/model/signals.js";
import { World } from "../../sim/model/world.js";
import type { ComponentSpec, HealthSpec, LoadBalancerSpec, Scenario, ServerSpec } from "../../sim/scenario/types.js";

const HEALTH: HealthSpec = { errorRateMax: 0.01, latencyMsP95Max: 500, unhealthyAfterSteps: 3, healthyAfterSteps: 2 };

/** A service of `replicas` x 100 rps, 50 ms base latency, timing out at 1000 ms. */
function service(id: string, overrides: Partial<ServerSpec> = {}): ServerSpec {
  return {
    id,
    kind: "service",
    replicas: 2,
    replicasMin: 1,
    replicasMax: 10,
    capacityPerReplicaRps: 100,
    baseLatencyMs: 50,
    latencyMsMax: 1000,
    costPerReplicaHour: 1.5,
    dependsOn: [],
    health: HEALTH,
    ...overrides,
  };
}

function loadBalancer(id: string, weights: Record<string, number>, overrides: Partial<LoadBalancerSpec> = {}): LoadBalancerSpec {
  return { id, kind: "loadBalancer", targets: Object.keys(weights), weights, baseLatencyMs: 2, costPerHour: 0.5, health: HEALTH, ...overrides };
}

function scenario(components: ComponentSpec[]): Scenario {
  return { name: "world-test", description: "", seed: 1, durationMs: 60_000, stepMs: 1_000, sampleEveryMs: 1_000, components, workloads: [], agents: [], coordination: {} };
}

/** Steps `world` once with `rps` offered to the components in scenario order (others get 0). */
function stepWith(world: World, rps: Record<string, number>) {
  return world.step(Float64Array.from(world.componentIds.map((id) => rps[id] ?? 0)));
}

function inputErrorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error("expected an InputError, but nothing was thrown");
}

describe("World: one service under load", () => {
  it("has utilization = load / (replicas * capacityPerReplicaRps)", () => {
    const world = new World(scenario([service("web", { replicas: 3, capacityPerReplicaRps: 40 })]));
    for (const load of [0, 12, 60, 119, 120, 250]) {
      stepWith(world, { web: load });
      expect(world.signal("web", "utilization")).toBeCloseTo(load / 120, 12);
      expect(world.signal("web", "loadRps")).toBe(load);
    }
    world.applyKnob("web", "replicas", 5, 1);
    stepWith(world, { web: 150 });
    expect(world.signal("web", "utilization")).toBeCloseTo(150 / 200, 12);
    expect(world.signal("web", "replicas")).toBe(5);
    expect(world.signal("web", "costPerHour")).toBeCloseTo(5 * 1.5, 12);
  });

  it("has latency = baseLatencyMs when lightly loaded", () => {
    const world = new World(scenario([service("web")]));
    stepWith(world, { web: 10 });
    expect([world.signal("web", "latencyMsP50"), world.signal("web", "latencyMsP95"), world.signal("web", "latencyMsP99")]).toEqual([50, 50, 50]);
    expect(world.signal("web", "errorRate")).toBe(0);
  });

  it("has latency percentiles that never fall as load rises, and rise well above base near capacity", () => {
    const world = new World(scenario([service("web")]));
    let previous = [0, 0, 0];
    for (let load = 0; load <= 400; load += 2) {
      stepWith(world, { web: load });
      const now = [world.signal("web", "latencyMsP50"), world.signal("web", "latencyMsP95"), world.signal("web", "latencyMsP99")];
      for (let k = 0; k < 3; k++) expect(now[k]).toBeGreaterThanOrEqual(previous[k]);
      expect(now[0]).toBeLessThanOrEqual(now[1]);
      expect(now[1]).toBeLessThanOrEqual(now[2]);
      previous = now;
    }
    stepWith(world, { web: 100 });
    const atHalf = world.signal("web", "latencyMsP95");
    stepWith(world, { web: 180 });
    const atNinety = world.signal("web", "latencyMsP95");
    expect(atNinety).toBeGreaterThan(atHalf * 2);
  });

  it("has latency rising monotonically with load for any replica count (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.array(fc.double({ min: 0, max: 2_000, noNaN: true }), { minLength: 2, maxLength: 20 }), (replicas, loads) => {
        const world = new World(scenario([service("web", { replicas })]));
        const p95At = (load: number) => {
          stepWith(world, { web: load });
          return world.signal("web", "latencyMsP95");
        };
        const sorted = [...loads].sort((a, b) => a - b);
        const latencies = sorted.map(p95At);
        for (let i = 1; i < latencies.length; i++) expect(latencies[i]).toBeGreaterThanOrEqual(latencies[i - 1]);
      }),
    );
  });

  it("when overloaded, reports errors and caps latency at latencyMsMax", () => {
    const world = new World(scenario([service("web", { latencyMsMax: 800 })]));
    stepWith(world, { web: 300 });
    // Capacity is 200 rps, so at least a third of the 300 rps offered cannot be served.
    expect(world.signal("web", "errorRate")).toBeGreaterThanOrEqual(1 / 3);
    expect(world.signal("web", "errorRate")).toBeLessThanOrEqual(1);
    expect(world.signal("web", "latencyMsP95")).toBe(800);
    expect(world.signal("web", "latencyMsP99")).toBe(800);
    expect(world.signal("web", "latencyMsP50")).toBeLessThanOrEqual(800);
    for (const load of [200, 1_000, 1e6]) {
      stepWith(world, { web: load });
      expect(world.signal("web", "errorRate")).toBeGreaterThan(0);
      expect(world.signal("web", "latencyMsP99")).toBe(800);
    }
  });

  it("serves everything at zero load without errors", () => {
    const world = new World(scenario([service("web")]));
    stepWith(world, { web: 0 });
    expect(world.signal("web", "errorRate")).toBe(0);
    expect(world.signal("web", "utilization")).toBe(0);
    expect(world.signal("web", "latencyMsP99")).toBe(50);
  });
});

describe("World: dependencies", () => {
  const chain = (dbReplicas: number) =>
    new World(
      scenario([
        service("web", { replicas: 10, dependsOn: [{ id: "db", callsPerRequest: 2 }] }),
        service("db", { replicas: dbReplicas, capacityPerReplicaRps: 100, baseLatencyMs: 20, latencyMsMax: 500 }),
      ]),
    );

  it("sends callsPerRequest calls to the callee per served request", () => {
    const world = chain(4);
    stepWith(world, { web: 60 });
    expect(world.signal("db", "loadRps")).toBeCloseTo(120, 9);
    expect(world.signal("db", "utilization")).toBeCloseTo(120 / 400, 9);
  });

  it("adds the callee's latency to the caller's, once per call", () => {
    const world = chain(4);
    stepWith(world, { web: 60 });
    expect(world.signal("db", "latencyMsP95")).toBe(20);
    expect(world.signal("web", "latencyMsP50")).toBe(50 + 2 * 20);
    expect(world.signal("web", "latencyMsP95")).toBe(50 + 2 * 20);
  });

  it("makes the caller slower when the callee is near capacity, up to the caller's own cap", () => {
    const world = chain(1);
    stepWith(world, { web: 45 });
    const dbP95 = world.signal("db", "latencyMsP95");
    expect(dbP95).toBeGreaterThan(20);
    expect(world.signal("web", "latencyMsP95")).toBeCloseTo(50 + 2 * dbP95, 9);
    stepWith(world, { web: 500 });
    expect(world.signal("web", "latencyMsP95")).toBeLessThanOrEqual(1000);
  });

  it("propagates the callee's errors to the caller's errorRate", () => {
    const world = chain(1);
    // web (capacity 1000) serves all 80 rps; db gets 160 rps against 100 rps of capacity.
    stepWith(world, { web: 80 });
    const dbErrors = world.signal("db", "errorRate");
    expect(dbErrors).toBeGreaterThan(0.35);
    // Two calls per request: a request succeeds only if both calls do.
    expect(world.signal("web", "errorRate")).toBeCloseTo(1 - (1 - dbErrors) ** 2, 12);
    expect(world.signal("web", "utilization")).toBeCloseTo(0.08, 12);
  });

  it("propagates errors along a chain of several hops", () => {
    const world = new World(
      scenario([
        service("edge", { replicas: 10, dependsOn: [{ id: "api", callsPerRequest: 1 }] }),
        service("api", { replicas: 10, dependsOn: [{ id: "db", callsPerRequest: 1 }] }),
        service("db", { replicas: 1 }),
      ]),
    );
    stepWith(world, { edge: 300 });
    const dbErrors = world.signal("db", "errorRate");
    expect(dbErrors).toBeGreaterThan(0.3);
    expect(world.signal("api", "errorRate")).toBeCloseTo(dbErrors, 12);
    expect(world.signal("edge", "errorRate")).toBeCloseTo(dbErrors, 12);
  });
});

describe("World: load balancer", () => {
  const routed = () =>
    new World(scenario([loadBalancer("lb", { a: 75, b: 25 }), service("a", { baseLatencyMs: 40 }), service("b", { baseLatencyMs: 80 })]));

  it("splits load over targets in proportion to their weights", () => {
    const world = routed();
    stepWith(world, { lb: 100 });
    expect(world.signal("lb", "loadRps")).toBe(100);
    expect(world.signal("a", "loadRps")).toBeCloseTo(75, 12);
    expect(world.signal("b", "loadRps")).toBeCloseTo(25, 12);
    // Latency is its own plus the weighted mean of the targets'.
    expect(world.signal("lb", "latencyMsP50")).toBeCloseTo(2 + 0.75 * 40 + 0.25 * 80, 12);
    world.applyKnob("lb", "weight.b", 75, 9);
    stepWith(world, { lb: 100 });
    expect(world.signal("a", "loadRps")).toBeCloseTo(50, 12);
    expect(world.signal("b", "loadRps")).toBeCloseTo(50, 12);
  });

  it("sends nothing to a zero-weight target and fails everything when all weights are zero", () => {
    const world = routed();
    world.applyKnob("lb", "weight.b", 0, 1);
    stepWith(world, { lb: 100 });
    expect(world.signal("a", "loadRps")).toBeCloseTo(100, 12);
    expect(world.signal("b", "loadRps")).toBe(0);
    world.applyKnob("lb", "weight.a", 0, 2);
    stepWith(world, { lb: 100 });
    expect(world.signal("a", "loadRps")).toBe(0);
    expect(world.signal("lb", "errorRate")).toBe(1);
  });

  it("reports the weighted error rate of its targets", () => {
    const world = new World(scenario([loadBalancer("lb", { a: 50, b: 50 }), service("a", { replicas: 1 }), service("b", { replicas: 10 })]));
    stepWith(world, { lb: 300 });
    expect(world.signal("b", "errorRate")).toBe(0);
    expect(world.signal("lb", "errorRate")).toBeCloseTo(0.5 * world.signal("a", "errorRate"), 12);
    expect(world.signal("lb", "errorRate")).toBeGreaterThan(0);
  });

  it("starts unlisted targets at weight 0", () => {
    const world = new World(scenario([loadBalancer("lb", { a: 10 }, { targets: ["a", "b"] }), service("a"), service("b")]));
    expect(world.knob("lb", "weight.b")).toBe(0);
    expect(world.knobNames("lb")).toEqual(["weight.a", "weight.b"]);
  });
});

describe("World: knob writes", () => {
  const world = () => new World(scenario([loadBalancer("lb", { web: 100 }), service("web", { replicasMin: 2, replicasMax: 6 })]), 0);

  it("accepts valid writes", () => {
    const w = world();
    expect(w.checkKnob("web", "replicas", 2)).toBeNull();
    expect(w.checkKnob("web", "replicas", 6)).toBeNull();
    expect(w.checkKnob("lb", "weight.web", 0)).toBeNull();
    expect(w.checkKnob("lb", "weight.web", 100)).toBeNull();
    expect(w.checkKnob("lb", "weight.web", 33.5)).toBeNull();
  });

  it.each([
    ["api", "replicas", 3, 'unknown component "api"'],
    ["web", "replica", 3, 'web has no knob "replica" (knobs: replicas)'],
    ["lb", "weight.api", 3, 'lb has no knob "weight.api" (knobs: weight.web)'],
    ["web", "replicas", Number.NaN, "web.replicas must be a finite number, got NaN"],
    ["web", "replicas", Infinity, "web.replicas must be a finite number, got Infinity"],
    ["web", "replicas", "4", 'web.replicas must be a finite number, got "4"'],
    ["web", "replicas", 2.5, "web.replicas must be a whole number, got 2.5"],
    ["web", "replicas", 1, "web.replicas must be in [2, 6], got 1"],
    ["web", "replicas", 7, "web.replicas must be in [2, 6], got 7"],
    ["lb", "weight.web", -1, "lb.weight.web must be in [0, 100], got -1"],
    ["lb", "weight.web", 100.5, "lb.weight.web must be in [0, 100], got 100.5"],
    ["lb", "weight.web", Number.NaN, "lb.weight.web must be a finite number, got NaN"],
  ])("rejects %s.%s = %s", (id, knob, value, reason) => {
    expect(world().checkKnob(id as string, knob as string, value)).toBe(reason);
  });

  it("records the writer seq of each knob, starting from the initial writer", () => {
    const w = new World(scenario([loadBalancer("lb", { web: 100 }), service("web")]), 4);
    expect(w.knobWriter("web", "replicas")).toBe(4);
    expect(w.knobWriter("lb", "weight.web")).toBe(4);
    w.applyKnob("web", "replicas", 5, 17);
    expect(w.knob("web", "replicas")).toBe(5);
    expect(w.knobWriter("web", "replicas")).toBe(17);
    expect(w.knobWriter("lb", "weight.web")).toBe(4);
    w.applyKnob("lb", "weight.web", 40, 18);
    expect(w.knobWriter("lb", "weight.web")).toBe(18);
    expect(w.state().knobs).toEqual({ lb: { "weight.web": 40 }, web: { replicas: 5 } });
  });

  it("refuses an invalid write with an InputError and leaves the knob and its writer alone", () => {
    const w = world();
    const e = inputErrorOf(() => w.applyKnob("web", "replicas", 9, 5));
    expect(e.path).toBe("web.replicas");
    expect(e.found).toBe("9");
    expect(e.hint).toBe("web.replicas must be in [2, 6], got 9");
    expect(w.knob("web", "replicas")).toBe(2);
    expect(w.knobWriter("web", "replicas")).toBe(0);
  });

  it("names the unknown component or knob when reading", () => {
    const w = world();
    expect(inputErrorOf(() => w.knob("api", "replicas")).found).toBe('"api"');
    expect(inputErrorOf(() => w.knob("web", "weight")).found).toBe('"weight"');
    expect(inputErrorOf(() => w.signal("web", "latencyP95")).found).toBe('"latencyP95"');
  });
});

describe("World: provenance", () => {
  it("traces signals to the knob writes and workload events they derive from", () => {
    const world = new World(
      scenario([loadBalancer("lb", { web: 100 }), service("web", { dependsOn: [{ id: "db", callsPerRequest: 1 }] }), service("db")]),
      0,
    );
    world.applyKnob("db", "replicas", 3, 7);
    world.applyKnob("lb", "weight.web", 90, 8);
    world.noteWorkloadEvent("lb", 5);
    stepWith(world, { lb: 50 });
    expect(world.signalProvenance("db", "replicas")).toEqual([7]);
    // web's latency depends on db's replicas; db's load depends on the workload and the weight.
    expect(world.signalProvenance("web", "latencyMsP95")).toContain(7);
    // db's load also depends on web itself (its replicas, initially written by run.started #0).
    expect(world.signalProvenance("db", "loadRps")).toEqual([0, 5, 8]);
    expect(world.signalProvenance("lb", "loadRps")).toEqual([5]);
  });
});

describe("World: health hysteresis", () => {
  const health: HealthSpec = { errorRateMax: 0.01, latencyMsP95Max: 500, unhealthyAfterSteps: 3, healthyAfterSteps: 2 };
  const world = () => new World(scenario([service("web", { health })]));
  const BAD = { web: 300 }; // overloaded: errors above 1%
  const GOOD = { web: 10 }; // base latency, no errors

  it("goes unhealthy only after unhealthyAfterSteps consecutive bad steps", () => {
    const w = world();
    expect(stepWith(w, BAD)).toEqual([]);
    expect(stepWith(w, BAD)).toEqual([]);
    expect(w.signal("web", "healthy")).toBe(1);
    const transitions = stepWith(w, BAD);
    expect(transitions).toHaveLength(1);
    expect(transitions[0]).toMatchObject({ component: "web", healthy: false });
    expect(transitions[0].errorRate).toBe(w.signal("web", "errorRate"));
    expect(w.signal("web", "healthy")).toBe(0);
    expect(w.state().healthy).toEqual({ web: false });
    // Staying bad does not report the transition again.
    expect(stepWith(w, BAD)).toEqual([]);
  });

  it("does not trip on bad steps that are not consecutive", () => {
    const w = world();
    for (const load of [BAD, BAD, GOOD, BAD, BAD, GOOD, BAD, BAD]) expect(stepWith(w, load)).toEqual([]);
    expect(w.signal("web", "healthy")).toBe(1);
  });

  it("recovers only after healthyAfterSteps consecutive good steps", () => {
    const w = world();
    for (let i = 0; i < 3; i++) stepWith(w, BAD);
    expect(w.signal("web", "healthy")).toBe(0);
    expect(stepWith(w, GOOD)).toEqual([]);
    expect(stepWith(w, BAD)).toEqual([]);
    expect(stepWith(w, GOOD)).toEqual([]);
    expect(w.signal("web", "healthy")).toBe(0);
    expect(stepWith(w, GOOD)).toEqual([expect.objectContaining({ component: "web", healthy: true })]);
    expect(w.signal("web", "healthy")).toBe(1);
  });

  it("does not count steps between the good and bad thresholds towards recovery", () => {
    // Calibrate a load whose p95 lies at 90% of the limit: not bad (<= limit), not good (>= 80%).
    const probe = world();
    stepWith(probe, { web: 185 });
    const p95 = probe.signal("web", "latencyMsP95");
    expect(p95).toBeGreaterThan(50 / 0.72); // so base latency (50 ms) is below 80% of the limit set below
    expect(probe.signal("web", "errorRate")).toBeLessThan(0.005);
    const limit = p95 / 0.9;
    const w = new World(scenario([service("web", { health: { ...health, latencyMsP95Max: limit } })]));
    for (let i = 0; i < 3; i++) stepWith(w, BAD);
    expect(w.signal("web", "healthy")).toBe(0);
    expect(stepWith(w, GOOD)).toEqual([]);
    expect(stepWith(w, { web: 185 })).toEqual([]);
    expect(stepWith(w, GOOD)).toEqual([]);
    expect(w.signal("web", "healthy")).toBe(0);
    expect(stepWith(w, GOOD)).toHaveLength(1);
    expect(w.signal("web", "healthy")).toBe(1);
  });
});

describe("World: signals stay numbers", () => {
  it("never produces NaN (or Infinity) for random valid knobs and loads", () => {
    const specs: ComponentSpec[] = [
      loadBalancer("lb", { web: 50, "web-canary": 50 }),
      service("web", { dependsOn: [{ id: "cache", callsPerRequest: 1 }, { id: "db", callsPerRequest: 3 }] }),
      service("web-canary", { capacityPerReplicaRps: 7, baseLatencyMs: 900, latencyMsMax: 1000, dependsOn: [{ id: "db", callsPerRequest: 0.5 }] }),
      service("cache", { capacityPerReplicaRps: 5_000, baseLatencyMs: 1, latencyMsMax: 50 }),
      { ...service("db", { capacityPerReplicaRps: 50, baseLatencyMs: 5, latencyMsMax: 2_000, replicasMax: 40 }), kind: "database" },
    ];
    const knobsArb = fc.record({
      webReplicas: fc.integer({ min: 1, max: 10 }),
      canaryReplicas: fc.integer({ min: 1, max: 10 }),
      cacheReplicas: fc.integer({ min: 1, max: 10 }),
      dbReplicas: fc.integer({ min: 1, max: 40 }),
      weightWeb: fc.double({ min: 0, max: 100, noNaN: true }),
      weightCanary: fc.double({ min: 0, max: 100, noNaN: true }),
    });
    const loadArb = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e-3, noNaN: true }));
    fc.assert(
      fc.property(fc.array(fc.tuple(knobsArb, loadArb, loadArb), { minLength: 1, maxLength: 6 }), (steps) => {
        const world = new World(scenario(specs));
        let seq = 1;
        for (const [k, lbLoad, dbLoad] of steps) {
          world.applyKnob("web", "replicas", k.webReplicas, seq++);
          world.applyKnob("web-canary", "replicas", k.canaryReplicas, seq++);
          world.applyKnob("cache", "replicas", k.cacheReplicas, seq++);
          world.applyKnob("db", "replicas", k.dbReplicas, seq++);
          world.applyKnob("lb", "weight.web", k.weightWeb, seq++);
          world.applyKnob("lb", "weight.web-canary", k.weightCanary, seq++);
          for (const t of stepWith(world, { lb: lbLoad, db: dbLoad })) {
            expect(Number.isFinite(t.errorRate)).toBe(true);
            expect(Number.isFinite(t.latencyMsP95)).toBe(true);
          }
          for (const id of world.componentIds) {
            for (const name of SIGNAL_NAMES) {
              const v = world.signal(id, name);
              expect(Number.isFinite(v), `${id}.${name} = ${v}`).toBe(true);
            }
            const err = world.signal(id, "errorRate");
            expect(err >= 0 && err <= 1, `${id}.errorRate = ${err}`).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("fails every request of a service scaled to zero replicas, without NaN", () => {
    const world = new World(scenario([service("web", { replicas: 0, replicasMin: 0 })]));
    stepWith(world, { web: 50 });
    expect(world.signal("web", "errorRate")).toBe(1);
    expect(world.signal("web", "latencyMsP95")).toBe(1000);
    stepWith(world, { web: 0 });
    expect(world.signal("web", "errorRate")).toBe(0);
    expect(world.signal("web", "utilization")).toBe(0);
  });
});

describe("World: construction", () => {
  it("throws an InputError naming a dependency cycle", () => {
    const e = inputErrorOf(
      () =>
        new World(
          scenario([
            service("a", { dependsOn: [{ id: "b", callsPerRequest: 1 }] }),
            service("b", { dependsOn: [{ id: "c", callsPerRequest: 1 }] }),
            service("c", { dependsOn: [{ id: "a", callsPerRequest: 1 }] }),
          ]),
        ),
    );
    expect(e.path).toBe("components");
    expect(e.found).toBe("the cycle a -> b -> c -> a");
    expect(e.hint).toBe("remove one of these dependencies");
  });

  it("names a cycle that does not start at the first component, and a self-dependency", () => {
    const tail = inputErrorOf(
      () =>
        new World(
          scenario([
            service("edge", { dependsOn: [{ id: "x", callsPerRequest: 1 }] }),
            service("x", { dependsOn: [{ id: "y", callsPerRequest: 1 }] }),
            service("y", { dependsOn: [{ id: "x", callsPerRequest: 1 }] }),
          ]),
        ),
    );
    expect(tail.found).toBe("the cycle x -> y -> x");
    const self = inputErrorOf(() => new World(scenario([service("a", { dependsOn: [{ id: "a", callsPerRequest: 1 }] })])));
    expect(self.found).toBe("the cycle a -> a");
  });

  it("names a cycle through a load balancer", () => {
    const e = inputErrorOf(
      () => new World(scenario([loadBalancer("lb", { web: 100 }), service("web", { dependsOn: [{ id: "lb", callsPerRequest: 1 }] })])),
    );
    expect(e.found).toBe("the cycle lb -> web -> lb");
  });

  it("throws an InputError naming an unknown dependency and where it is", () => {
    const e = inputErrorOf(
      () => new World(scenario([service("web", { dependsOn: [{ id: "db", callsPerRequest: 1 }, { id: "cahce", callsPerRequest: 1 }] }), service("db")])),
    );
    expect(e.path).toBe("components[0].dependsOn[1]");
    expect(e.found).toBe('"cahce"');
    expect(e.expected).toContain("web, db");
  });

  it("throws an InputError naming an unknown load balancer target", () => {
    const e = inputErrorOf(() => new World(scenario([service("web"), loadBalancer("lb", { web: 50, api: 50 })])));
    expect(e.path).toBe("components[1].targets[1]");
    expect(e.found).toBe('"api"');
  });

  it("throws an InputError naming a duplicate id", () => {
    const e = inputErrorOf(() => new World(scenario([service("web"), service("db"), service("web")])));
    expect(e.path).toBe("components[2].id");
    expect(e.found).toBe('"web"');
  });

  it("accepts a diamond (two callers sharing a callee) and sums their load", () => {
    const world = new World(
      scenario([
        service("edge", { replicas: 10, dependsOn: [{ id: "left", callsPerRequest: 1 }, { id: "right", callsPerRequest: 1 }] }),
        service("left", { replicas: 10, dependsOn: [{ id: "db", callsPerRequest: 1 }] }),
        service("right", { replicas: 10, dependsOn: [{ id: "db", callsPerRequest: 2 }] }),
        service("db", { replicas: 10 }),
      ]),
    );
    stepWith(world, { edge: 40 });
    expect(world.signal("db", "loadRps")).toBeCloseTo(40 + 80, 9);
  });
});
