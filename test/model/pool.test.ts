// Worker pools (sim/model/kinds/server/pool.ts): Erlang B and the M/M/c/K figures against the
// stationary distribution computed here independently, Little's law on a run's signals, the
// pool's invariants as properties, the example's root cause, and "no pool, nothing changes".
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCausalGraph } from "../../sim/causal/graph.js";
import { detect } from "../../sim/detect/index.js";
import { runScenario } from "../../sim/engine/engine.js";
import { erlangB, stepPool } from "../../sim/model/kinds/server/pool.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";

/**
 * The oracle: the M/M/c/K birth-death chain's stationary distribution in log space,
 * ln p_n = n ln a - ln n! for n <= c and ln p_c + (n - c) ln(a / c) above, normalised by
 * log-sum-exp. Returns P_K, the mean busy workers and the mean queue length.
 */
function mmcK(c: number, m: number, a: number): { blocked: number; busy: number; waiting: number } {
  const logs: number[] = [];
  let lnFact = 0;
  for (let n = 0; n <= c; n++) {
    if (n > 0) lnFact += Math.log(n);
    logs.push(n * Math.log(a) - lnFact);
  }
  const lnRho = Math.log(a / c);
  for (let j = 1; j <= m; j++) logs.push(logs[c] + j * lnRho);
  const top = Math.max(...logs);
  const weights = logs.map((l) => Math.exp(l - top));
  const total = weights.reduce((s, w) => s + w, 0);
  const p = weights.map((w) => w / total);
  let busy = 0;
  let waiting = 0;
  p.forEach((pn, n) => {
    busy += Math.min(n, c) * pn;
    waiting += Math.max(0, n - c) * pn;
  });
  return { blocked: p[c + m], busy, waiting };
}

const relative = (got: number, want: number) => Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);

describe("Erlang B against the loss system's stationary distribution", () => {
  const cases: [number, number][] = [];
  for (const c of [1, 2, 7, 50, 256, 257, 300, 1000, 4000]) for (const load of [0.05, 0.5, 0.9, 0.99, 1, 1.01, 1.2, 2, 5]) cases.push([c, c * load]);
  it.each(cases)("c = %d, a = %d", (c, a) => {
    const want = mmcK(c, 0, a).blocked;
    if (want < 1e-250) expect(erlangB(c, a)).toBeLessThan(1e-240);
    else expect(relative(erlangB(c, a), want)).toBeLessThan(1e-9);
  });

  it("is 0 without load, 1 without servers, and refuses fractional servers", () => {
    expect(erlangB(10, 0)).toBe(0);
    expect(erlangB(0, 3)).toBe(1);
    expect(() => erlangB(2.5, 1)).toThrow(RangeError);
  });

  it("stays finite and in (0, 1) for a trillion workers near and far above capacity", () => {
    for (const ratio of [0.999999, 1, 1.000001, 1.5, 1e3]) {
      const b = erlangB(1e12, 1e12 * ratio);
      expect(b).toBeGreaterThan(0);
      expect(b).toBeLessThan(1);
    }
    // Far above capacity the pool carries c: B -> 1 - c/a.
    expect(relative(erlangB(1e6, 1e9), 1 - 1e6 / 1e9)).toBeLessThan(1e-6);
  });
});

describe("M/M/c/K (a pool with waiting places) against the stationary distribution", () => {
  const cases: [number, number, number][] = [];
  for (const c of [1, 4, 60, 300]) for (const m of [1, 10, 200]) for (const load of [0.3, 0.95, 1, 1 + 1e-9, 1.05, 3]) cases.push([c, m, c * load]);
  it.each(cases)("c = %d, m = %d, a = %d", (c, m, a) => {
    const want = mmcK(c, m, a);
    const got = stepPool(c, m, a, 1000); // a requests/s x 1 s hold = a erlangs
    for (const key of ["blocked", "busy", "waiting"] as const) {
      if (want[key] < 1e-250) expect(got[key]).toBeLessThan(1e-240);
      else expect(relative(got[key], want[key]), key).toBeLessThan(1e-8);
    }
    // Little's law on the waiting room: wait = L_q / admitted rate.
    expect(got.waitMs).toBeCloseTo((got.waiting / (a * (1 - got.blocked))) * 1000, 6);
  });
});

describe("budgets: every input the file format admits stays finite", () => {
  it.each([
    [1e12, 0, 1e9, 8.64e7],
    [1e12, 1e12, 1e9, 8.64e7],
    [1e12, 1e12, 1e-3, 1],
    [1, 1e12, 1e9, 8.64e7],
    [1e12, 1e12, 1e12 / 86.4, 86_400],
    [3, 1e6, 3, 1000],
  ])("c = %d, m = %d, %d/s held %d ms", (c, m, rps, hold) => {
    const p = stepPool(c, m, rps, hold);
    for (const v of [p.blocked, p.busy, p.waiting, p.waitMs]) expect(Number.isFinite(v)).toBe(true);
    expect(p.busy).toBeLessThanOrEqual(c);
  });

  it("refuses a pool without workers or beyond the budget, and an HPA pool metric on a server without a pool", () => {
    const base = (component: string, agent = "") => `
name: bad
seed: 1
duration: 1m
components:
  - ${component}
${agent}`;
    expect(() => scenarioFromYaml(base("{ id: api, kind: service, pool: { size: 0 } }"))).toThrow(/pool\.size/);
    expect(() => scenarioFromYaml(base("{ id: api, kind: service, pool: { size: 10, queue: 2000000 } }"))).toThrow(/pool\.queue/);
    expect(() => scenarioFromYaml(base("{ id: api, kind: service, cpuPerRequest: 5ms }", "agents:\n  - { id: hpa, kind: hpa, target: api, poolUtilizationTarget: 0.7 }"))).toThrow(/poolUtilizationTarget/);
  });
});

describe("Little's law on a run's signals", () => {
  const yaml = (pool: string) => `
name: little
seed: 1
duration: 2m
step: 5s
components:
  - { id: api, kind: service, replicas: 4, capacityPerReplica: 1000/s, baseLatency: 20ms, pool: ${pool}, dependsOn: [db] }
  - { id: db, kind: database, capacityPerReplica: 100000/s }
workload:
  - { id: users, target: api, pattern: { kind: constant, rate: 900/s } }
faults:
  - { id: slow-db, start: 0s, target: db, effect: latency, add: 400ms }
`;
  for (const [name, pool] of [["reject when full", "{ size: 90 }"], ["with waiting places", "{ size: 90, queue: 40 }"]]) {
    it(`${name}: in-flight = admitted rate x end-to-end p50 (workers busy plus requests waiting)`, () => {
      const run = runScenario(scenarioFromYaml(yaml(pool)));
      const t = run.telemetry;
      const last = t.series("api", "loadRps").length - 1;
      const at = (s: string) => t.series("api", s)[last];
      const admitted = at("loadRps") * (1 - at("errorRate"));
      expect(at("errorRate")).toBeGreaterThan(0.01);
      expect(at("concurrency")).toBeLessThanOrEqual(90 * 4);
      const inFlight = at("concurrency") + at("queueLength");
      expect(relative(inFlight, (admitted * at("latencyMsP50")) / 1000)).toBeLessThan(1e-4);
      expect(relative(at("poolUtilization"), at("concurrency") / 360)).toBeLessThan(1e-6);
    });
  }
});

describe("pool properties", () => {
  it("busy <= workers, 0 <= blocked <= 1 (served + rejected = offered), monotone in the hold time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 60_000, noNaN: true }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        (workers, places, rps, holdMs, slower) => {
          const p = { ...stepPool(workers, places, rps, holdMs) };
          expect(p.busy).toBeLessThanOrEqual(workers * (1 + 1e-12));
          expect(p.blocked).toBeGreaterThanOrEqual(0);
          expect(p.blocked).toBeLessThanOrEqual(1);
          const admitted = rps * (1 - p.blocked);
          expect(Math.abs(admitted + rps * p.blocked - rps)).toBeLessThanOrEqual(rps * 1e-12);
          expect(Number.isFinite(p.waitMs) && Number.isFinite(p.waiting)).toBe(true);
          const q = stepPool(workers, places, rps, holdMs * slower);
          expect(q.blocked).toBeGreaterThanOrEqual(p.blocked - 1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("in a run: concurrency never exceeds size x replicas, and the caller's errors grow with the dependency's latency", () => {
    const run = (size: number, replicas: number, addMs: number, queue: number) => {
      const r = runScenario(
        scenarioFromYaml(`
name: prop
seed: 1
duration: 30s
step: 5s
components:
  - { id: api, kind: service, replicas: ${replicas}, capacityPerReplica: 500/s, pool: { size: ${size}, queue: ${queue} }, dependsOn: [db] }
  - { id: db, kind: database, capacityPerReplica: 100000/s }
workload:
  - { id: users, target: api, pattern: { kind: constant, rate: 600/s } }
faults:
  - { id: slow-db, start: 0s, target: db, effect: latency, add: ${addMs}ms }
`),
      );
      return { concurrency: Math.max(...r.telemetry.series("api", "concurrency")), errors: r.telemetry.series("api", "errorRate").at(-1)! };
    };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 100 }), (size, replicas, a, b, queue) => {
        const fast = run(size, replicas, Math.min(a, b), queue);
        const slow = run(size, replicas, Math.max(a, b), queue);
        expect(fast.concurrency).toBeLessThanOrEqual(size * replicas * (1 + 1e-6));
        expect(slow.concurrency).toBeLessThanOrEqual(size * replicas * (1 + 1e-6));
        expect(slow.errors).toBeGreaterThanOrEqual(fast.errors - 1e-6);
      }),
      { numRuns: 25 },
    );
  });
});

describe("without a pool nothing changes", () => {
  const yaml = (pool: string) => `
name: same
seed: 1
duration: 10m
step: 5s
components:
  - { id: api, kind: service, replicas: 3, cpuPerRequest: 5ms, cpuRequest: 1000${pool}, dependsOn: [db] }
  - { id: db, kind: database }
workload:
  - { id: users, target: api, pattern: { kind: steps, steps: [{ at: 0s, rate: 300/s }, { at: 5m, rate: 500/s }] } }
faults:
  - { id: slow-db, start: 2m, duration: 2m, target: db, effect: latency, add: 300ms }
agents:
  - { id: hpa, kind: hpa, target: api }
`;
  it("samples no pool signals, and a pool that never fills changes no signal and no event", () => {
    const plain = runScenario(scenarioFromYaml(yaml("")));
    const pooled = runScenario(scenarioFromYaml(yaml(", pool: { size: 100000 }")));
    expect(plain.telemetry.signalNames).not.toContain("concurrency");
    expect(pooled.telemetry.signalNames).toEqual([...plain.telemetry.signalNames, "concurrency", "poolUtilization", "queueLength"]);
    for (const id of ["api", "db"]) for (const s of plain.telemetry.signalNames) expect([...pooled.telemetry.series(id, s)], `${id}.${s}`).toEqual([...plain.telemetry.series(id, s)]);
    const strip = (log: typeof plain.log) => log.slice(1, -1).map(({ hash: _h, prev: _p, ...r }) => r);
    expect(strip(pooled.log)).toEqual(strip(plain.log));
  });
});

describe("docs/examples/slow-dependency-pool.yaml: the slow database is the root cause", () => {
  const text = readFileSync(repoPath("docs/examples/slow-dependency-pool.yaml"), "utf8");
  it.each(["blind", "coordinated"])("%s: the cascade and the causal graph name the latency fault", (variant) => {
    const run = runScenario(loadVariant(text, "slow-dependency-pool.yaml", variant).scenario);
    const cascade = detect(run).find((f) => f.kind === "cascade")!;
    expect(cascade.rootCauses.map((seq) => [run.log[seq].type, run.log[seq].actor])).toEqual([["fault.started", "slow-db"]]);
    const apiDown = run.log.find((r) => r.type === "health.changed" && r.target === "api" && r.data.healthy === false)!;
    expect(buildCausalGraph(run.log).rootCauses(apiDown.seq).map((r) => [r.kind, r.actor])[0]).toEqual(["fault", "slow-db"]);
  });

  it("blind: the HPA's scale-in cites the slow database (CPU fell because the pool was full)", () => {
    const run = runScenario(loadVariant(text, "slow-dependency-pool.yaml", "blind").scenario);
    const scaleIn = run.log.find((r) => r.type === "replicas.scaled" && r.actor === "hpa")!;
    const fault = run.log.find((r) => r.type === "fault.started")!;
    expect(scaleIn.causes).toContain(fault.seq);
  });
});
