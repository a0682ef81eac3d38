// Causal completeness of the world's provenance on hand-built worlds: many writers reaching one
// signal all appear, a sibling's weight and an upstream change are in a component's load
// provenance, retry load carries what made the target fail, and the incremental derivation
// always equals a derivation from scratch (property test over random graphs and changes).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Component } from "../../sim/model/component.js";
import { World } from "../../sim/model/world.js";
import type { ClientsSpec, ComponentFaultSpec, ComponentSpec, HealthSpec, LeaseTableSpec, LoadBalancerSpec, Scenario, ServerSpec } from "../../sim/scenario/types.js";

const HEALTH: HealthSpec = { errorRateMax: 0.05, latencyMsP95Max: 500, unhealthyAfterSteps: 3, healthyAfterSteps: 5 };

function service(id: string, dependsOn: string[] = [], replicas = 4): ServerSpec {
  return { id, kind: "service", replicas, replicasMin: 1, replicasMax: 50, capacityPerReplicaRps: 100, baseLatencyMs: 20, latencyMsMax: 2_000, costPerReplicaHour: 0.1, dependsOn: dependsOn.map((d) => ({ id: d, callsPerRequest: 1 })), health: HEALTH };
}

function lb(id: string, targets: string[]): LoadBalancerSpec {
  return { id, kind: "loadBalancer", targets, weights: Object.fromEntries(targets.map((t) => [t, 10])), baseLatencyMs: 1, costPerHour: 0, health: HEALTH };
}

function world(components: ComponentSpec[]): World {
  const scenario: Scenario = { name: "provenance-test", description: "", seed: 1, durationMs: 600_000, stepMs: 1_000, sampleEveryMs: 1_000, components, workloads: [], agents: [], coordination: {} };
  return new World(scenario);
}

function step(w: World, rps: Record<string, number>, tMs = 0): void {
  w.step(Float64Array.from(w.componentIds.map((id) => rps[id] ?? 0)), tMs);
}

function errorsFault(id: string, target: string, rate: number): ComponentFaultSpec {
  return { id, effect: "errors", target, rate, startMs: 0 } as ComponentFaultSpec;
}

describe("provenance is exact", () => {
  it("keeps all 20 writers whose actions reach one signal", () => {
    const targets = Array.from({ length: 20 }, (_, i) => `s${i}`);
    const w = world([lb("front", targets), ...targets.map((t) => service(t))]);
    // Twenty agents each resize one target (seqs 101..120), all in the same instant.
    targets.forEach((t, i) => w.applyKnob(t, "replicas", 5, 101 + i));
    step(w, { front: 1000 });
    const causes = new Set<number>();
    w.observeSignal("front", "latencyMsP95", causes);
    for (let i = 0; i < 20; i++) expect(causes.has(101 + i)).toBe(true);
    expect(w.signalProvenance("front", "errorRate")).toEqual(expect.arrayContaining(Array.from({ length: 20 }, (_, i) => 101 + i)));
  });

  it("puts a sibling's weight change in a target's load provenance", () => {
    const w = world([lb("front", ["a", "b", "c"]), service("a"), service("b"), service("c")]);
    w.applyKnob("front", "weight.a", 0, 7);
    step(w, { front: 600 });
    expect(w.signal("b", "loadRps")).toBeCloseTo(300);
    expect(w.signalProvenance("b", "loadRps")).toContain(7);
    expect(w.signalProvenance("c", "loadRps")).toContain(7);
  });

  it("puts an upstream change that removes load in the callee's load provenance", () => {
    const w = world([service("web", ["db"]), service("db")]);
    step(w, { web: 300 });
    w.applyKnob("web", "replicas", 1, 9); // web now sheds most of its load: db sees less
    step(w, { web: 300 });
    expect(w.signal("db", "loadRps")).toBeLessThan(100);
    expect(w.signalProvenance("db", "loadRps")).toContain(9);
    w.startFault(errorsFault("web-errors", "web", 0.5), 11); // failing requests never reach db
    step(w, { web: 300 });
    expect(w.signalProvenance("db", "loadRps")).toContain(11);
    w.endFault("web-errors", 12);
    step(w, { web: 300 });
    const p = w.signalProvenance("db", "loadRps");
    expect(p).toContain(12);
    expect(p).not.toContain(11);
  });

  it("carries what made the target fail in the load that retries add, and drops it when retries stop", () => {
    const clients: ClientsSpec = { id: "users", kind: "clients", target: "store", timeoutMs: 1_000, retries: 3, backoff: { kind: "immediate", baseMs: 100, maxMs: 20_000, jitter: "none" as const }, health: HEALTH };
    const w = world([clients, service("store", [], 10)]);
    step(w, { users: 200 });
    expect(w.signalProvenance("store", "loadRps")).not.toContain(5);
    w.startFault(errorsFault("store-errors", "store", 0.6), 5);
    for (let t = 1; t <= 3; t++) step(w, { users: 200 }, t * 1000);
    expect(w.signal("users", "amplification")).toBeGreaterThan(1.5);
    expect(w.signalProvenance("store", "loadRps")).toContain(5);
    w.endFault("store-errors", 8);
    for (let t = 4; t <= 6; t++) step(w, { users: 200 }, t * 1000);
    expect(w.signal("users", "amplification")).toBeCloseTo(1, 6);
    expect(w.signalProvenance("store", "loadRps")).not.toContain(5);
  });

  it("carries what failed a lease table's jobs in the load its re-queued jobs put on the dependency", () => {
    const table: LeaseTableSpec = { id: "dwfm", kind: "leaseTable", leases: 1000, leaseDurationMs: 60_000, workers: 8, workPerLeaseMs: 20, jobTimeoutMs: 10_000, queueLimit: 0, dependsOn: [{ id: "store", callsPerRequest: 1 }], health: HEALTH };
    const w = world([table, service("store", [], 10)]);
    for (let t = 0; t < 5; t++) step(w, {}, t * 1000);
    expect(w.signalProvenance("store", "loadRps")).not.toContain(5);
    w.startFault(errorsFault("store-errors", "store", 0.9), 5);
    for (let t = 5; t < 10; t++) step(w, {}, t * 1000);
    expect(w.signal("dwfm", "errorRate")).toBeGreaterThan(0);
    expect(w.signalProvenance("store", "loadRps")).toContain(5);
  });
});

// A derivation from scratch, by the documented definitions, to check the incremental one against.
function reference(w: World): { load: number[][]; perf: number[][] } {
  const cs = (w as unknown as { components: Component[] }).components;
  const own = cs.map((c) => {
    const s = new Set<number>(Object.values(c.knobWriters));
    if (c.healthSeq >= 0) s.add(c.healthSeq);
    for (const seq of c.faultEvents.values()) s.add(seq);
    return s;
  });
  const order = (w as unknown as { order: number[] }).order;
  const load = cs.map((c) => new Set<number>(c.workloadEvents.values()));
  for (const i of order) for (const d of cs[i].downstream) for (const s of [load[i], own[i], cs[i].provenance.feedback]) for (const x of s) load[d.index].add(x);
  const perf = cs.map(() => new Set<number>());
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k];
    for (const x of [...load[i], ...own[i]]) perf[i].add(x);
    for (const d of cs[i].downstream) for (const x of perf[d.index]) perf[i].add(x);
  }
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  return { load: load.map(sorted), perf: perf.map(sorted) };
}

describe("incremental provenance equals a derivation from scratch", () => {
  it("after any sequence of knob writes, faults, workload events and steps on a random graph", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("knob" as const), component: fc.nat(11), replicas: fc.integer({ min: 1, max: 20 }) }),
      fc.record({ kind: fc.constant("workload" as const), component: fc.nat(11), workload: fc.constantFrom("u1", "u2") }),
      fc.record({ kind: fc.constant("fault" as const), component: fc.nat(11) }),
      fc.record({ kind: fc.constant("step" as const), rps: fc.integer({ min: 0, max: 3000 }) }),
      fc.record({ kind: fc.constant("read" as const), component: fc.nat(11) }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(11), { maxLength: 3 }), { minLength: 12, maxLength: 12 }), fc.array(op, { minLength: 1, maxLength: 40 }), (deps, ops) => {
        // Component i may call only components after it: acyclic by construction.
        const specs = deps.map((ds, i) => service(`c${i}`, [...new Set(ds.filter((d) => d > i))].map((d) => `c${d}`)));
        const w = world(specs);
        let seq = 1;
        let faults = 0;
        let t = 0;
        for (const o of ops) {
          const id = o.kind === "step" ? "" : `c${o.component}`;
          if (o.kind === "knob") w.applyKnob(id, "replicas", o.replicas, seq++);
          else if (o.kind === "workload") w.noteWorkloadEvent(id, seq++, o.workload);
          else if (o.kind === "fault") w.startFault(errorsFault(`f${faults++}`, id, 0.3), seq++);
          else if (o.kind === "step") {
            for (const tr of w.step(Float64Array.from(w.componentIds.map((_, i) => (i === 0 ? o.rps : 50))), (t += 1000))) w.noteHealthEvent(tr.component, seq++);
          } else w.signalProvenance(id, "latencyMsP95");
        }
        const ref = reference(w);
        w.componentIds.forEach((id, i) => {
          expect([...w.signalProvenance(id, "loadRps")]).toEqual(ref.load[i]);
          expect([...w.signalProvenance(id, "latencyMsP95")]).toEqual(ref.perf[i]);
        });
      }),
      { numRuns: 200 },
    );
  });
});
