// Crash, restart and cold start of servers (sim/model/kinds/server/restarts.ts): the
// CrashLoopBackOff delays, crash loops, the herd a restart sends to the cold-start store (with and
// without jitter), failed starts, scale-ups, provenance, the file checks, and that servers without
// the new fields behave exactly as before. Oracles are hand-computed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import type { ActiveFault } from "../../sim/model/impairment.js";
import { backoffDelayMs, DEFAULT_RESTART, freshRestartState, jitterSlots, restartCounts, RUNNING, stepRestarts, WAITING, type RestartState } from "../../sim/model/kinds/server/restarts.js";
import type { ColdStartSpec } from "../../sim/model/kinds/server/restarts-spec.js";
import { World } from "../../sim/model/world.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import type { ComponentFaultSpec } from "../../sim/scenario/types.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const S = 1000;

/** A crash fault as the resolver makes it. */
function crashFault(id: string, share = 1, afterMs?: number): ActiveFault {
  const spec = { id, target: "api", startMs: 0, effect: "crash", share, ...(afterMs !== undefined ? { afterMs } : {}) } as ComponentFaultSpec;
  return { spec, seq: 1 };
}

/** Steps `s` once at `tMs`. */
function step(s: RestartState, tMs: number, o: { replicas?: number; faults?: ActiveFault[]; e?: number; coldStart?: ColdStartSpec; stepMs?: number } = {}): number {
  return stepRestarts(s, { replicas: o.replicas ?? 4, policy: DEFAULT_RESTART, coldStart: o.coldStart, faults: o.faults ?? [], dependencyErrorRate: o.e ?? 0, stepMs: o.stepMs ?? S, tMs });
}

describe("CrashLoopBackOff delays", () => {
  it("are 10, 20, 40, 80, 160 s, then capped at 300 s (the kubelet's defaults)", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => backoffDelayMs(k, DEFAULT_RESTART) / S);
    expect(delays).toEqual([10, 20, 40, 80, 160, 300, 300, 300]);
    expect(backoffDelayMs(10_000, DEFAULT_RESTART)).toBe(300_000);
  });

  it("restart a crash-looping replica at 10 s, then 20, 40, ... after each crash (crash 5 s after each start)", () => {
    const s = freshRestartState(1);
    const fault = [crashFault("loop", 1, 5 * S)];
    const restartsAt: number[] = [];
    for (let t = 0; t <= 1200 * S; t += S) {
      const before = s.restarts;
      step(s, t, { replicas: 1, faults: fault });
      if (s.restarts > before) restartsAt.push(t / S);
    }
    // Crash at 0 (delay 10), restart 10, crash 15 (20) -> 35, crash 40 (40) -> 80, crash 85 (80)
    // -> 165, crash 170 (160) -> 330, crash 335 (300) -> 635, crash 640 (300) -> 940.
    expect(restartsAt).toEqual([10, 35, 80, 165, 330, 635, 940]);
  });

  it("reset after a replica serves resetAfter (10 min) without crashing", () => {
    const s = freshRestartState(1);
    for (let t = 0; t <= 200 * S; t += S) step(s, t, { replicas: 1, faults: t < 60 * S ? [crashFault("loop", 1, 5 * S)] : [] });
    // Crashes at 0, 15 and 40 (before the fault ended at 60): the third restart is at 80 with 3 crashes.
    expect(s.cohorts[0].crashes).toBe(3);
    for (let t = 201 * S; t < 680 * S; t += S) step(s, t, { replicas: 1 });
    expect(s.cohorts[0].crashes).toBe(3);
    step(s, 680 * S, { replicas: 1 });
    expect(s.cohorts[0].crashes).toBe(0);
    // A new crash waits the first delay again.
    step(s, 700 * S, { replicas: 1, faults: [crashFault("again")] });
    expect(s.cohorts[0].untilMs).toBe(710 * S);
  });
});

describe("crash faults", () => {
  it("crash their share of the serving replicas, rounded, at least one; a crashed replica serves nothing until it restarts", () => {
    const s = freshRestartState(10);
    expect(step(s, 0, { replicas: 10, faults: [crashFault("half", 0.35)] })).toBe(4);
    expect(restartCounts(s)).toEqual({ crashed: 4, coldStarting: 0 });
    expect(step(s, 9 * S, { replicas: 10, faults: [crashFault("half", 0.35)] })).toBe(4);
    expect(step(s, 10 * S, { replicas: 10, faults: [crashFault("half", 0.35)] })).toBe(0);
    expect(s.restarts).toBe(4);
    const one = freshRestartState(3);
    expect(step(one, 0, { replicas: 3, faults: [crashFault("tiny", 0.01)] })).toBe(1);
  });

  it("without `after` crash once; a crash loop ends with its fault", () => {
    const s = freshRestartState(2);
    for (let t = 0; t <= 100 * S; t += S) step(s, t, { replicas: 2, faults: [crashFault("once")] });
    expect(s.restarts).toBe(2);
    const loop = freshRestartState(2);
    for (let t = 0; t <= 100 * S; t += S) step(loop, t, { replicas: 2, faults: t < 20 * S ? [crashFault("loop", 1, 5 * S)] : [] });
    // Crash at 0, restart 10, crash 15, restart 35: the fault ended at 20, so they stay up.
    expect(loop.restarts).toBe(4);
    expect(restartCounts(loop)).toEqual({ crashed: 0, coldStarting: 0 });
  });
});

describe("cold start", () => {
  const cold: ColdStartSpec = { from: "store", requests: 500, jitter: "none", windowMs: 0 };

  it("without jitter, every restarting replica loads in one step: replicas x requests / step", () => {
    const s = freshRestartState(40);
    step(s, 0, { replicas: 40, faults: [crashFault("crash")], coldStart: cold });
    expect(s.coldStartRps).toBe(0);
    step(s, 10 * S, { replicas: 40, coldStart: cold });
    expect(s.coldStartRps).toBe(40 * 500);
    expect(restartCounts(s)).toEqual({ crashed: 0, coldStarting: 40 });
    // Served from the step after a good load.
    expect(step(s, 11 * S, { replicas: 40, coldStart: cold })).toBe(0);
    expect(s.coldStartRps).toBe(0);
    // With a 5 s step the same herd is 40 x 500 / 5 s.
    const slow = freshRestartState(40);
    step(slow, 0, { replicas: 40, faults: [crashFault("crash")], coldStart: cold, stepMs: 5 * S });
    step(slow, 10 * S, { replicas: 40, coldStart: cold, stepMs: 5 * S });
    expect(slow.coldStartRps).toBe(4000);
  });

  it("with full jitter, spreads one restart's loads at the midpoints of the window: 40 over 120 s = one every 3 s from 1 s", () => {
    expect(jitterSlots(40, 120 * S, S).map((x) => [x.delayMs / S, x.count])).toEqual(Array.from({ length: 40 }, (_, j) => [3 * j + 1, 1]));
    expect(jitterSlots(1, 60 * S, S)).toEqual([{ delayMs: 30 * S, count: 1 }]);
    expect(jitterSlots(250, 10 * S, S).map((x) => x.count)).toEqual([25, 25, 25, 25, 25, 25, 25, 25, 25, 25]);
    // At most 1000 slots, whatever the step.
    expect(jitterSlots(1e6, 3600 * S, 1).length).toBe(1000);
    const s = freshRestartState(40);
    const jittered = { ...cold, jitter: "full" as const, windowMs: 120 * S };
    step(s, 0, { replicas: 40, faults: [crashFault("crash")], coldStart: jittered });
    const sent: number[] = [];
    for (let t = 10 * S; t <= 140 * S; t += S) {
      step(s, t, { replicas: 40, coldStart: jittered });
      if (s.coldStartRps > 0) sent.push((t - 10 * S) / S, s.coldStartRps);
    }
    expect(sent).toEqual(Array.from({ length: 40 }, (_, j) => [3 * j + 1, 500]).flat());
    expect(restartCounts(s)).toEqual({ crashed: 0, coldStarting: 0 });
  });

  it("fails a start when any of its requests fails (1 - (1 - e)^requests) and restarts it with backoff", () => {
    const s = freshRestartState(10);
    step(s, 0, { replicas: 10, faults: [crashFault("crash")], coldStart: cold });
    step(s, 10 * S, { replicas: 10, coldStart: cold });
    step(s, 11 * S, { replicas: 10, coldStart: cold, e: 1 });
    expect(restartCounts(s)).toEqual({ crashed: 10, coldStarting: 0 });
    expect(s.cohorts[0].untilMs).toBe(31 * S);
    expect(s.reacting).toBe(true);
    // e = 0.001 per request: 1 - 0.999^500 = 39.4% of the loads fail; whole replicas, the fraction carried.
    step(s, 31 * S, { replicas: 10, coldStart: cold });
    step(s, 32 * S, { replicas: 10, coldStart: cold, e: 0.001 });
    expect(restartCounts(s).crashed).toBe(Math.floor(10 * (1 - Math.pow(0.999, 500))));
    expect(s.failCarry).toBeCloseTo(10 * (1 - Math.pow(0.999, 500)) - 3, 9);
  });

  it("cold-starts replicas a scale-up adds; a scale-down removes the replicas not serving first", () => {
    const s = freshRestartState(4);
    step(s, 0, { replicas: 6, coldStart: cold });
    expect(s.coldStartRps).toBe(2 * 500);
    expect(s.restarts).toBe(0);
    expect(step(s, S, { replicas: 6, coldStart: cold })).toBe(0);
    step(s, 2 * S, { replicas: 6, faults: [crashFault("some", 0.5)], coldStart: cold });
    expect(restartCounts(s).crashed).toBe(3);
    expect(step(s, 3 * S, { replicas: 4, coldStart: cold })).toBe(1);
    expect(s.cohorts.filter((c) => c.phase === RUNNING).reduce((n, c) => n + c.count, 0)).toBe(3);
  });
});

describe("properties", () => {
  const event = fc.record({
    replicas: fc.integer({ min: 0, max: 30 }),
    crash: fc.option(fc.record({ share: fc.double({ min: 0.01, max: 1, noNaN: true }), afterS: fc.option(fc.integer({ min: 1, max: 40 })) })),
    e: fc.constantFrom(0, 0, 0.0001, 0.01, 1),
    steps: fc.integer({ min: 1, max: 60 }),
  });
  const coldStart = fc.option(fc.record({ requests: fc.integer({ min: 1, max: 1000 }), windowS: fc.option(fc.integer({ min: 1, max: 100 })) }));

  it("serving + crashed + cold-starting = replicas at every step", () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 12 }), coldStart, (events, cs) => {
        const cold: ColdStartSpec | undefined = cs ? { from: "store", requests: cs.requests, jitter: cs.windowS ? "full" : "none", windowMs: (cs.windowS ?? 0) * S } : undefined;
        const s = freshRestartState(10);
        let t = 0;
        events.forEach((ev, i) => {
          const faults = ev.crash ? [crashFault(`f${i}`, ev.crash.share, ev.crash.afterS ? ev.crash.afterS * S : undefined)] : [];
          for (let k = 0; k < ev.steps; k++, t += S) {
            const notServing = step(s, t, { replicas: ev.replicas, faults, e: ev.e, coldStart: cold });
            const { crashed, coldStarting } = restartCounts(s);
            const serving = s.cohorts.filter((c) => c.phase === RUNNING).reduce((n, c) => n + c.count, 0);
            expect(serving + crashed + coldStarting).toBe(ev.replicas);
            expect(notServing).toBe(crashed + coldStarting);
            expect(s.cohorts.every((c) => c.count > 0 && Number.isInteger(c.count))).toBe(true);
          }
        });
      }),
      { numRuns: 100 },
    );
  });

  it("when the store never fails, cold-start requests sent = (restarts + replicas added) x requests, less those still waiting for their slot", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ up: fc.integer({ min: 0, max: 5 }), crash: fc.option(fc.double({ min: 0.01, max: 1, noNaN: true })), steps: fc.integer({ min: 1, max: 200 }) }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.option(fc.integer({ min: 1, max: 90 })),
        (events, requests, windowS) => {
          const cold: ColdStartSpec = { from: "store", requests, jitter: windowS ? "full" : "none", windowMs: (windowS ?? 0) * S };
          const s = freshRestartState(5);
          let replicas = 5;
          let added = 0;
          let sent = 0;
          let t = 0;
          events.forEach((ev, i) => {
            replicas += ev.up;
            added += ev.up;
            const faults = ev.crash !== null ? [crashFault(`f${i}`, ev.crash)] : [];
            for (let k = 0; k < ev.steps; k++, t += S) {
              step(s, t, { replicas, faults, coldStart: cold });
              sent += (s.coldStartRps * S) / 1000;
            }
          });
          const waiting = s.cohorts.filter((c) => c.phase === WAITING).reduce((n, c) => n + c.count, 0);
          expect(sent).toBeCloseTo((s.restarts + added - waiting) * requests, 6);
        },
      ),
      { numRuns: 100 },
    );
  });
});

const herdYaml = (api: string, faults = "", store = "") => `
name: herd
seed: 1
duration: 5m
step: 1s
components:
  - { id: api, kind: service, replicas: 40, replicasMax: 60, capacityPerReplica: 100/s, dependsOn: [{ id: store, callsPerRequest: 0.5 }]${api} }
  - { id: store, kind: database, replicas: 2, replicasMax: 2, capacityPerReplica: 2000/s${store} }
workload:
  - { id: users, target: api, pattern: { kind: constant, rate: 2000/s } }
${faults}`;

describe("in the world", () => {
  const crashAt1m = "faults:\n  - { id: crash, target: api, start: 1m, duration: 30s, effect: crash }";

  it("offers the herd to the store through the normal load path: its load, queue and errors react", () => {
    const run = runScenario(scenarioFromYaml(herdYaml(", coldStart: { from: store, requests: 500 }", crashAt1m)));
    const t = run.telemetry;
    const at = (s: number) => Math.round(s);
    const store = t.series("store", "loadRps");
    const api = t.series("api", "coldStartRps");
    // Crash at 60 s, restart at 70 s: 40 x 500 requests in the 70 s step, nothing else reaches the store.
    expect(api[at(70)]).toBe(20000);
    expect(store[at(70)]).toBe(20000);
    expect(store[at(59)]).toBeCloseTo(1000, 6);
    expect(t.series("store", "errorRate")[at(70)]).toBeGreaterThan(0.79);
    // Every load failed: the next restart is 20 s after the failure (71 + 20).
    expect(api[at(91)]).toBe(20000);
    expect(t.series("api", "crashedReplicas")[at(80)]).toBe(40);
    expect(t.series("api", "restarts")[at(91)]).toBe(80);
    expect(t.series("api", "available")[at(299)]).toBe(0);
  });

  it("carries the crash fault and the scale-up command in the store's load provenance", () => {
    const scenario = scenarioFromYaml(herdYaml(", coldStart: { from: store, requests: 500 }"));
    const world = new World(scenario);
    const offered = (t: number) => world.step(Float64Array.from([2000, 0]), t);
    offered(0);
    world.startFault(scenarioFromYaml(herdYaml(", coldStart: { from: store, requests: 500 }", crashAt1m)).faults![0] as ComponentFaultSpec, 7);
    offered(S);
    expect(world.signalProvenance("store", "loadRps")).toContain(7);
    world.applyKnob("api", "replicas", 50, 9);
    offered(20 * S);
    // The 40 replicas crashed at 1 s restart at 11 s; by 20 s they restart together with the 10 added.
    expect(world.signal("api", "coldStartRps")).toBe((40 + 10) * 500);
    expect(world.signalProvenance("store", "loadRps")).toEqual(expect.arrayContaining([7, 9]));
  });

  it("while failed loads make replicas restart, the store's load provenance carries what made the store fail", () => {
    const text = herdYaml(", coldStart: { from: store, requests: 10 }", `${crashAt1m}\n  - { id: store-down, target: store, start: 65s, duration: 10s, effect: errors }`);
    const world = new World(scenarioFromYaml(text));
    const [crash, down] = scenarioFromYaml(text).faults! as ComponentFaultSpec[];
    const offered = (t: number) => world.step(Float64Array.from([2000, 0]), t);
    for (let t = 0; t < 60 * S; t += S) offered(t);
    world.startFault(crash, 7);
    offered(60 * S);
    world.startFault(down, 8);
    for (let t = 65 * S; t <= 70 * S; t += S) offered(t);
    // Loads sent at 70 s fail at 71 s (the store failed everything): the restarts react to the store.
    expect(world.signalProvenance("store", "loadRps")).not.toContain(8);
    offered(71 * S);
    expect(world.signal("api", "crashedReplicas")).toBe(40);
    expect(world.signalProvenance("store", "loadRps")).toEqual(expect.arrayContaining([7, 8]));
  });

  it("samples the new signals only for servers that declare restart or coldStart", () => {
    const plain = new World(scenarioFromYaml(herdYaml("")));
    expect(plain.signalNames).not.toContain("restarts");
    const declared = new World(scenarioFromYaml(herdYaml(", restart: { backoffBase: 5s }")));
    expect(declared.signalNames.slice(-4)).toEqual(["crashedReplicas", "coldStartingReplicas", "restarts", "coldStartRps"]);
  });

  it("changes nothing without a crash, a cold start or a scale-up: a restart policy alone leaves every event and signal as it was", () => {
    const plain = runScenario(scenarioFromYaml(herdYaml("", "faults:\n  - { id: slow, target: store, start: 1m, duration: 1m, effect: latency, add: 400ms }")));
    const declared = runScenario(scenarioFromYaml(herdYaml(", restart: { backoffBase: 5s }", "faults:\n  - { id: slow, target: store, start: 1m, duration: 1m, effect: latency, add: 400ms }")));
    const strip = (r: typeof plain) => r.log.slice(1).map(({ hash: _h, prev: _p, ...rest }) => JSON.stringify({ ...rest, data: rest.type === "run.ended" ? {} : rest.data }));
    expect(strip(declared)).toEqual(strip(plain));
    for (const id of ["api", "store"]) for (const name of plain.telemetry.signalNames) expect(Array.from(declared.telemetry.series(id, name))).toEqual(Array.from(plain.telemetry.series(id, name)));
  });
});

describe("file format", () => {
  const problems = (text: string): string => {
    try {
      scenarioFromYaml(text);
      return "";
    } catch (e) {
      if (e instanceof ScenarioError) return e.message;
      throw e;
    }
  };

  it("accepts the fields with defaults, and refuses a cold start from a component the server does not call", () => {
    const s = scenarioFromYaml(herdYaml(", restart: {}, coldStart: { from: store, requests: 10, jitter: full, window: 30s }"));
    const api = s.components[0] as unknown as { restart: unknown; coldStart: unknown };
    expect(api.restart).toEqual({ backoffBaseMs: 10_000, backoffMaxMs: 300_000, resetAfterMs: 600_000 });
    expect(api.coldStart).toEqual({ from: "store", requests: 10, jitter: "full", windowMs: 30_000 });
    expect(problems(herdYaml(", coldStart: { from: users, requests: 10 }"))).toMatch(/coldStart\.from[\s\S]*a dependency of the server/);
    expect(problems(herdYaml(", coldStart: { from: store, requests: 10, jitter: full }"))).toMatch(/coldStart\.window/);
    expect(problems(herdYaml(", restart: { backoffBase: 1m, backoffMax: 10s }"))).toMatch(/backoffMax[\s\S]*at least backoffBase/);
    expect(problems(herdYaml(", restart: { resetAfter: 2d }"))).toMatch(/resetAfter[\s\S]*at most 24h/);
  });

  it("refuses a herd above a billion requests per second, and a crash fault on a kind without replicas to restart", () => {
    expect(problems(herdYaml(", coldStart: { from: store, requests: 1000000000 }").replace("replicasMax: 60", "replicasMax: 1000000"))).toMatch(/coldStart\.requests[\s\S]*at most 1,000,000,000\/s/);
    const lb = herdYaml("", "faults:\n  - { id: crash, target: lb, start: 1m, effect: crash }").replace("components:\n", "components:\n  - { id: lb, kind: loadBalancer, targets: [api] }\n");
    expect(problems(lb)).toMatch(/faults\[0\]\.target[\s\S]*replicas that restart/);
    expect(problems(herdYaml("", "faults:\n  - { id: crash, target: api, start: 1m, effect: crash, after: 0s }"))).toMatch(/after/);
  });
});
