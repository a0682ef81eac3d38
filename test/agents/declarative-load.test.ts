// Loading statechart agents from YAML: a valid chart resolves into plain data with shorthands
// expanded; every mistake is reported at its file:line:col with what was expected, what was
// found and a hint, all problems together; nothing executable is accepted.
import { describe, expect, it } from "vitest";
import { knobsOf } from "../../sim/agents/declarative/resolve.js";
import { World } from "../../sim/model/world.js";
import { loadScenario } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import type { StatechartAgentSpec } from "../../sim/scenario/types.js";

const header = `name: charts
seed: 1
duration: 10m
components:
  - { id: web-a, kind: service, replicas: 4 }
  - { id: lb, kind: loadBalancer, targets: [web-a] }
agents:
`;

function problemsOf(agent: string): ScenarioError {
  try {
    loadScenario(header + agent, "bad.yaml");
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error("expected a ScenarioError");
}

describe("a valid statechart agent", () => {
  const scenario = loadScenario(
    header +
      `  - id: guardian
    kind: statechart
    evaluationPeriod: 30s
    context: { lastVersion: 0, threshold: 80, mode: calm }
    initial: idle
    states:
      idle:
        on:
          wake:
            - guard: { signal: { component: web-a, name: latencyMsP95, op: ">", param: threshold } }
              target: acting
              actions:
                - set: { target: lb, knob: weight.web-a, value: { knob: lb.weight.web-a, times: 0.5, round: down, min: 10 }, expectedVersionFrom: lastVersion }
            - guard: { not: { context: { key: mode, op: "==", value: calm } } }
              actions: { remember: { key: mode, value: calm } }
      acting:
        after:
          2m: idle
`,
    "ok.yaml",
  );
  const agent = scenario.agents[0] as StatechartAgentSpec;

  it("resolves into the chart the builder runs, shorthands expanded and durations in ms", () => {
    expect(agent).toMatchObject({ id: "guardian", kind: "statechart", evaluationPeriodMs: 30_000, initial: "idle", context: { lastVersion: 0, threshold: 80, mode: "calm" } });
    expect(agent.states.acting).toEqual({ wake: [], after: [{ delayMs: 120_000, transitions: [{ target: "idle", actions: [] }] }] });
    const [first, second] = agent.states.idle.wake;
    expect(first.guard).toEqual({ type: "signal", component: "web-a", name: "latencyMsP95", op: ">", rhs: { param: "threshold" } });
    // Knob names may contain dots and components dashes: the reference splits at the first dot.
    expect(first.actions[0]).toEqual({
      type: "set",
      target: "lb",
      knob: "weight.web-a",
      value: { source: { kind: "knob", component: "lb", knob: "weight.web-a" }, times: 0.5, round: "down", min: 10 },
      expectedVersionFrom: "lastVersion",
    });
    expect(second).toEqual({ guard: { type: "not", guard: { type: "context", key: "mode", op: "==", rhs: { value: "calm" } } }, actions: [{ type: "remember", key: "mode", value: { source: { kind: "literal", value: "calm" } } }] });
    expect(Object.isFrozen(agent.states.idle.wake[0].actions[0])).toBe(true);
  });

  it("defaults evaluationPeriod to 0: never woken", () => {
    const s = loadScenario(header + "  - { id: timer, kind: statechart, initial: a, states: { a: { after: { 1m: b } }, b: {} } }\n", "ok.yaml");
    expect(s.agents[0]).toMatchObject({ evaluationPeriodMs: 0, states: { a: { after: [{ delayMs: 60_000, transitions: [{ target: "b", actions: [] }] }] } } });
  });
});

describe("statechart agent errors", () => {
  it("names an unknown guard type and suggests the closest", () => {
    const e = problemsOf(`  - id: g
    kind: statechart
    initial: idle
    states:
      idle:
        on:
          wake:
            guard: { signl: { component: web-a, name: utilization, op: ">", value: 0.8 } }
`);
    expect(e.problems).toHaveLength(1);
    expect(e.message).toContain("bad.yaml:15:22: agents[0].states.idle.on.wake.guard.signl: expected a guard type (signal, knob, knobVersion, context, leaseHeld, intentPublished, random, cel, all, any, not), found unknown key `signl`");
    expect(e.message).toContain("did you mean `signal`?");
  });

  it("names an unknown action type and suggests the closest", () => {
    const e = problemsOf(`  - id: g
    kind: statechart
    initial: idle
    states:
      idle:
        on:
          wake:
            actions:
              - remembr: { key: x, value: 1 }
`);
    expect(e.message).toContain("bad.yaml:16:17: agents[0].states.idle.on.wake.actions[0].remembr: expected an action type (set, remember, publishIntent, log, sendLoad), found unknown key `remembr`");
    expect(e.message).toContain("did you mean `remember`?");
  });

  it("lists the states when a target or initial names one that does not exist", () => {
    const e = problemsOf(`  - id: g
    kind: statechart
    initial: idel
    states:
      idle:
        on: { wake: actng }
      acting:
        after: { 1m: { target: idle } }
`);
    expect(e.problems.map((p) => `${p.line}:${p.col}`)).toEqual(["10:14", "13:21"]);
    expect(e.message).toContain('agents[0].initial: expected the name of a state (idle, acting), found "idel"');
    expect(e.message).toContain('agents[0].states.idle.on.wake: expected the name of a state (idle, acting), found "actng"');
    expect(e.message).toContain("did you mean `acting`?");
  });

  it("requires param, expectedVersionFrom and context sources to be declared in context", () => {
    const e = problemsOf(`  - id: g
    kind: statechart
    context: { threshold: 80, seen: 0 }
    initial: idle
    states:
      idle:
        on:
          wake:
            - guard: { signal: { component: web-a, name: latencyMsP95, op: ">", param: treshold } }
              actions:
                - set: { target: web-a, knob: replicas, value: { context: count, plus: 1 }, expectedVersionFrom: sen }
`);
    expect(e.problems).toHaveLength(3);
    expect(e.message).toContain('bad.yaml:16:88: agents[0].states.idle.on.wake[0].guard.signal.param: expected a key declared in context (threshold, seen), found "treshold"');
    expect(e.message).toContain("did you mean `threshold`?");
    expect(e.message).toContain('agents[0].states.idle.on.wake[0].actions[0].set.value.context: expected a key declared in context (threshold, seen), found "count"');
    expect(e.message).toMatch(/bad\.yaml:18:\d+: agents\[0\]\.states\.idle\.on\.wake\[0\]\.actions\[0\]\.set\.expectedVersionFrom: .*found "sen"/);
  });

  it("checks context types: ordering strings, remembering a number into a string key", () => {
    const e = problemsOf(`  - id: g
    kind: statechart
    context: { mode: calm }
    initial: idle
    states:
      idle:
        on:
          wake:
            guard: { context: { key: mode, op: ">", value: busy } }
            actions: { remember: { key: mode, value: 3 } }
`);
    expect(e.message).toContain('agents[0].states.idle.on.wake.guard.context.op: expected == or != to compare strings and booleans, found ">"');
    expect(e.message).toContain("agents[0].states.idle.on.wake.actions.remember.value: expected a string (context key mode holds a string), found a number");
  });

  it("reports bad, zero and duplicate delays in after", () => {
    const e = problemsOf(`  - id: g
    kind: statechart
    initial: idle
    states:
      idle:
        after:
          2 minutes: idle
          0s: idle
          1m: idle
          60s: idle
`);
    expect(e.problems.map((p) => p.line)).toEqual([14, 15, 17]);
    expect(e.message).toContain('agents[0].states.idle.after.2 minutes: expected a delay: a duration made of <number><unit> parts');
    expect(e.message).toContain('agents[0].states.idle.after.0s: expected a delay longer than 0ms, found "0s"');
    expect(e.message).toContain('agents[0].states.idle.after.60s: expected each delay once per state, found "60s", the same delay as "1m"');
  });

  it("reports unknown components, knobs and signals wherever they are referenced", () => {
    const e = problemsOf(`  - id: g
    kind: statechart
    initial: idle
    states:
      idle:
        on:
          wake:
            guard: { knob: { component: web-b, knob: replicas, op: ">", value: 1 } }
            actions:
              - set: { target: lb, knob: weight.web-b, value: { signal: web-a.latencyMs95 } }
              - publishIntent: { target: web-a, knob: replica, value: { knob: web-b.replicas }, ttl: 1m }
`);
    // The schema finds the signal name; references are checked once the shape is valid.
    expect(e.problems).toHaveLength(1);
    expect(e.message).toContain('bad.yaml:17:73: agents[0].states.idle.on.wake.actions[0].set.value.signal: expected a signal (');
    expect(e.message).toContain("did you mean `latencyMsP95`?");
    const again = problemsOf(`  - id: g
    kind: statechart
    initial: idle
    states:
      idle:
        on:
          wake:
            guard: { knob: { component: web-b, knob: replicas, op: ">", value: 1 } }
            actions:
              - set: { target: lb, knob: weight.web-b, value: 50 }
              - publishIntent: { target: web-a, knob: replica, value: { knob: web-b.replicas }, ttl: 1m }
`);
    expect(again.message).toContain('bad.yaml:15:41: agents[0].states.idle.on.wake.guard.knob.component: expected the id of a component (web-a, lb), found "web-b"');
    expect(again.message).toContain('agents[0].states.idle.on.wake.actions[0].set.knob: expected a knob of lb (weight.web-a), found "weight.web-b"');
    expect(again.message).toContain('agents[0].states.idle.on.wake.actions[1].publishIntent.knob: expected a knob of web-a (replicas), found "replica"');
    expect(again.message).toContain('agents[0].states.idle.on.wake.actions[1].publishIntent.value.knob: expected the id of a component (web-a, lb), found "web-b"');
    expect(again.problems).toHaveLength(4);
  });

  it("rejects unknown keys inside guards, actions and values with the keys they accept", () => {
    const e = problemsOf(`  - id: g
    kind: statechart
    initial: idle
    states:
      idle:
        on:
          wake:
            guard: { random: { p: 0.5, seed: 3 } }
            actions: { set: { target: web-a, knob: replicas, value: { knob: web-a.replicas, pluss: 1 } } }
`);
    expect(e.message).toContain("bad.yaml:15:40: agents[0].states.idle.on.wake.guard.random.seed: expected a key of a random guard (p), found unknown key `seed`");
    expect(e.message).toContain("agents[0].states.idle.on.wake.actions.set.value.pluss: expected a key of a value expression (signal, knob, knobVersion, document, context, cel, plus, times, round, min, max), found unknown key `pluss`");
    expect(e.message).toContain("did you mean `plus`?");
  });

  it("explains an unquoted comparison operator", () => {
    const e = problemsOf(`  - id: g
    kind: statechart
    initial: idle
    states:
      idle:
        on:
          wake:
            guard:
              signal:
                component: web-a
                name: utilization
                op: >
                value: 0.8
`);
    expect(e.message).toMatch(/agents\[0\]\.states\.idle\.on\.wake\.guard\.signal\.op: expected one of ">", ">=", "<", "<=", "==", "!="/);
    expect(e.message).toContain('quote the operator, e.g. op: ">"');
  });

  it("accepts no code: a guard or action written as an expression string is refused", () => {
    const e = problemsOf(`  - id: g
    kind: statechart
    initial: idle
    states:
      idle:
        on:
          wake:
            guard: "() => globalThis.process.exit(1)"
            actions: [ "io.command({ target: 'web-a' })" ]
`);
    expect(e.problems).toHaveLength(2);
    expect(e.message).toContain('agents[0].states.idle.on.wake.guard: expected a guard: a mapping with one key, one of signal, knob');
    expect(e.message).toContain("agents[0].states.idle.on.wake.actions[0]: expected an action: a mapping with one key, one of set, remember, publishIntent");
  });

  it("rejects unknown keys of the agent itself and of a state, with hints", () => {
    const e = problemsOf(`  - id: g
    kind: statechart
    initial: idle
    evaluationPeriode: 30s
    states:
      idle:
        on: { wakeup: idle }
        entry: []
`);
    expect(e.message).toContain("bad.yaml:11:5: agents[0].evaluationPeriode: expected a known key, found unknown key `evaluationPeriode`");
    expect(e.message).toContain("did you mean `evaluationPeriod`?");
    expect(e.message).toContain("agents[0].states.idle.on.wakeup: expected a key of `on` (wake), found unknown key `wakeup`");
    expect(e.message).toContain("agents[0].states.idle.entry: expected a key of a state (on, after), found unknown key `entry`");
  });
});

describe("knob names checked at load time", () => {
  it("are the knobs the world model creates, for every component kind", () => {
    const scenario = loadScenario(
      `name: kinds
seed: 1
duration: 10m
components:
  - { id: web, kind: service }
  - { id: api, kind: service, cpuPerRequest: 20ms }
  - { id: db, kind: database }
  - { id: lb, kind: loadBalancer, targets: [web, api] }
  - { id: plans, kind: documentStore, documents: [ { name: plan, rows: 3 } ] }
  - { id: dns, kind: dnsRecord, store: plans, document: plan, targets: [lb] }
  - { id: shards, kind: shards, count: 3 }
  - { id: proxies, kind: configConsumer, store: plans, document: plan }
`,
      "kinds.yaml",
    );
    const world = new World(scenario);
    for (const c of scenario.components) expect(knobsOf(c), c.kind).toEqual(world.knobNames(c.id));
  });
});
