// Statechart agents written in YAML, run by the real engine and the real XState interpreter:
// each guard and action of the library drives a run, and the log shows what it did and why.
import { describe, expect, it } from "vitest";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const world = (load: string, agents: string, extra = "") => `
name: declarative-test
seed: 1
duration: 1h
step: 5s
components:
  - { id: web, kind: service, replicas: 4, replicasMin: 2, replicasMax: 12, capacityPerReplica: 100/s, baseLatency: 20ms }
workload:
  - { id: users, target: web, pattern: { kind: constant, rate: ${load} } }
agents:
${agents}
${extra}`;

const scaled = (run: RunResult, actor?: string) => run.log.filter((r) => r.type === "replicas.scaled" && (actor === undefined || r.actor === actor));
const statesOf = (run: RunResult, agent: string) => run.agentStates.filter((s) => s.agent === agent).map((s) => [s.t, s.state]);

describe("signal guard, set with a value expression, after on the simulated clock", () => {
  const run = runScenario(
    scenarioFromYaml(
      world(
        "900/s",
        `  - id: scaler
    kind: statechart
    evaluationPeriod: 30s
    context: { ceiling: 0.7 }
    initial: idle
    states:
      idle:
        on:
          wake:
            - guard: { signal: { component: web, name: utilization, op: ">", param: ceiling } }
              target: cooling
              actions:
                - set: { target: web, knob: replicas, value: { knob: web.replicas, plus: 2, max: 12 } }
      cooling:
        after:
          2m: idle`,
      ),
    ),
  );
  const scalings = scaled(run);

  it("scales out by 2 per action, clamped at max, with a generated reason naming the state and the observation", () => {
    expect(scalings.map((r) => [r.data.from, r.data.to])).toEqual([[4, 6], [6, 8], [8, 10], [10, 12]]);
    expect(scalings.every((r) => r.actor === "scaler")).toBe(true);
    expect(scalings[0].data.reason).toBe("idle: web.utilization = 2.3 > 0.700");
    for (const r of scalings) expect(r.data.reason).toMatch(/^idle: web\.utilization = [\d.]+ > 0\.700$/);
    expect(run.stats.rejected).toBe(0);
  });

  it("records machine states: wakes every 30 s, and the 2m `after` returns to idle in simulated time", () => {
    expect(statesOf(run, "scaler").slice(0, 5)).toEqual([
      [0, "idle"],
      [30_000, "cooling"],
      [150_000, "idle"],
      // The wake at 150 s comes after the timer that fired at the same instant, so it acts at once.
      [150_000, "cooling"],
      [270_000, "idle"],
    ]);
    expect(scalings.map((r) => r.t)).toEqual([30_000, 150_000, 270_000, 390_000]);
  });

  it("gives each command the events its observations came from", () => {
    // The second scale-out read web.replicas (written by the first) and the signals derived from it.
    expect(scalings[1].causes).toContain(scalings[0].seq);
    for (const c of scalings[1].causes) expect(c).toBeLessThan(scalings[1].seq);
  });
});

describe("context guard and remember: counting wakes", () => {
  const run = runScenario(
    scenarioFromYaml(
      world(
        "100/s",
        `  - id: counter
    kind: statechart
    evaluationPeriod: 1m
    context: { wakes: 0 }
    initial: counting
    states:
      counting:
        on:
          wake:
            - guard: { context: { key: wakes, op: ">=", value: 2 } }
              target: done
              actions: { set: { target: web, knob: replicas, value: { context: wakes, plus: 5 } } }
            - actions: { remember: { key: wakes, value: { context: wakes, plus: 1 } } }
      done: {}`,
      ),
    ),
  );

  it("acts on the third wake with a value computed from its context", () => {
    const scalings = scaled(run);
    expect(scalings).toHaveLength(1);
    expect(scalings[0]).toMatchObject({ t: 180_000, actor: "counter", data: { from: 4, to: 7, reason: "counting: wakes = 2 >= 2" } });
    expect(statesOf(run, "counter")).toEqual([
      [0, "counting"],
      [180_000, "done"],
    ]);
  });
});

describe("knob guard with all, any and not", () => {
  const run = runScenario(
    scenarioFromYaml(
      world(
        "300/s",
        `  - id: shaper
    kind: statechart
    evaluationPeriod: 30s
    initial: up
    states:
      up:
        on:
          wake:
            - guard:
                all:
                  - { knob: { component: web, knob: replicas, op: "<", value: 8 } }
                  - not: { signal: { component: web, name: utilization, op: "<", value: 0.1 } }
              actions: { set: { target: web, knob: replicas, value: 8 } }
            - guard:
                any:
                  - { signal: { component: web, name: errorRate, op: ">", value: 0.5 } }
                  - { knob: { component: web, knob: replicas, op: ">=", value: 8 } }
              target: down
      down:
        on:
          wake:
            - guard: { not: { any: [ { knob: { component: web, knob: replicas, op: "==", value: 3 } }, { knob: { component: web, knob: replicas, op: "==", value: 5 } } ] } }
              target: up
              actions: { set: { target: web, knob: replicas, value: 3 } }`,
      ),
    ),
  );
  const scalings = scaled(run);

  it("explains all by every observation, any by the one that held, not by the negated observation", () => {
    expect(scalings[0]).toMatchObject({ t: 30_000, data: { from: 4, to: 8, reason: "up: web.replicas = 4 < 8, web.utilization = 0.750 >= 0.100" } });
    // not(any(==3, ==5)) holds because both failed: both observations explain it.
    expect(scalings[1]).toMatchObject({ t: 90_000, data: { from: 8, to: 3, reason: "down: web.replicas = 8 != 3, web.replicas = 8 != 5" } });
  });

  it("moves between states as the guards decide", () => {
    expect(statesOf(run, "shaper").slice(0, 4)).toEqual([
      [0, "up"],
      [60_000, "down"],
      [90_000, "up"],
      [150_000, "down"],
    ]);
  });
});

describe("random guard", () => {
  const text = world(
    "100/s",
    `  - id: dice
    kind: statechart
    evaluationPeriod: 1m
    initial: rolling
    states:
      rolling:
        on:
          wake:
            - guard: { random: { p: 0.3 } }
              actions: { set: { target: web, knob: replicas, value: { knob: web.replicas, plus: 1, max: 12 } } }`,
  );
  const scenario = scenarioFromYaml(text);

  it("acts on about p of its wakes, explaining the draw", () => {
    const run = runScenario(scenario);
    const scalings = scaled(run);
    // 59 wakes at p = 0.3: expect roughly 18; the bounds only rule out a broken guard.
    expect(scalings.length).toBeGreaterThan(5);
    expect(scalings.length).toBeLessThan(35);
    for (const r of scalings) expect(r.data.reason).toMatch(/^rolling: random 0\.\d{3} < 0\.300$/);
  });

  it("is deterministic per seed and draws from the seed: same seed same hash, another seed other actions", () => {
    const a = runScenario(scenario);
    const b = runScenario(scenarioFromYaml(text));
    expect(b.finalHash).toBe(a.finalHash);
    const c = runScenario(scenario, { seed: 2 });
    expect(c.finalHash).not.toBe(a.finalHash);
    // The workload has no noise, so the random guard is the only thing the seed changes.
    expect(scaled(c).map((r) => r.t)).not.toEqual(scaled(a).map((r) => r.t));
  });
});

describe("an agent without evaluationPeriod runs on its own after timers only", () => {
  const run = runScenario(
    scenarioFromYaml(
      world(
        "100/s",
        `  - id: tide
    kind: statechart
    initial: low
    states:
      low:
        after:
          10m: { target: high, actions: { set: { target: web, knob: replicas, value: 6, reason: "the tide comes in" } } }
      high:
        after:
          10m:
            - { guard: { knob: { component: web, knob: replicas, op: ">", value: 100 } }, target: low }
            - { target: low, actions: [ { set: { target: web, knob: replicas, value: 4 } } ] }`,
      ),
    ),
  );

  it("alternates every 10 minutes with the given or generated reason", () => {
    const scalings = scaled(run);
    expect(scalings.map((r) => [r.t, r.data.to, r.data.reason])).toEqual([
      [600_000, 6, "the tide comes in"],
      [1_200_000, 4, "high: after 10m"],
      [1_800_000, 6, "the tide comes in"],
      [2_400_000, 4, "high: after 10m"],
      [3_000_000, 6, "the tide comes in"],
      [3_600_000, 4, "high: after 10m"],
    ]);
  });

  it("is never woken: one decision at start and one per timer", () => {
    expect(run.scenario.agents[0].evaluationPeriodMs).toBe(0);
    expect(run.stats.decisions).toBe(1 + 6);
  });
});

describe("transitions to the current state and without a target", () => {
  const agent = (wake: string) => `  - id: ticker
    kind: statechart
    evaluationPeriod: 1m
    initial: ticking
    states:
      ticking:
        on: { wake: ${wake} }
        after:
          90s: { target: ticking, actions: { set: { target: web, knob: replicas, value: { knob: web.replicas, plus: 1, max: 12 } } } }`;
  const times = (wake: string) => scaled(runScenario(scenarioFromYaml(world("100/s", agent(wake))))).map((r) => r.t);

  it("re-enters a state named as the target, restarting its after timers", () => {
    // The wake every minute re-enters `ticking`, so its 90 s timer never fires.
    expect(times("ticking")).toEqual([]);
  });

  it("stays without restarting timers when the transition has no target", () => {
    // Only the 90 s timer's own re-entry re-arms it: a change every 90 s.
    expect(times("{ actions: [] }")).toEqual([90_000, 180_000, 270_000, 360_000, 450_000, 540_000, 630_000, 720_000]);
  });
});
