// Agent-state expectations (`{ agent, state, entered }`, `{ agent, never }`, `for`, `within`) and
// relative timing (`after` + `within` span), against hand-built state traces and logs and through
// real runs of real XState machines.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { evaluateExpectations } from "../../sim/assert/evaluate.js";
import { runScenario } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import type { RunView } from "../../sim/detect/finding.js";
import type { EventRecord } from "../../sim/log/record.js";
import { agentStays } from "../../sim/assert/timing.js";
import { activeStatePaths } from "../../sim/agents/state-names.js";

const SCENARIO = `name: states
seed: 3
duration: 1h
step: 10s
components:
  - { id: web, kind: service, replicas: 3, replicasMax: 6, capacityPerReplica: 100/s, baseLatency: 20ms }
workload:
  - { id: users, target: web, pattern: { kind: steps, steps: [{ at: 0s, rate: 150/s }, { at: 30m, rate: 380/s }] } }
faults:
  - { id: slow, start: 40m, duration: 5m, target: web, effect: latency, add: 200ms }
agents:
  - { id: perf, kind: performance, target: web, latencyP95Max: 60ms, step: 1, cooldown: 1m }
  - id: pager
    kind: statechart
    evaluationPeriod: 30s
    initial: quiet
    states:
      quiet:
        on:
          wake: { guard: { signal: { component: web, name: latencyMsP95, op: ">", value: 150 } }, target: ringing }
      ringing:
        after: { 1m: { target: acked } }
        on:
          wake: { guard: { signal: { component: web, name: latencyMsP95, op: "<", value: 100 } }, target: quiet }
      acked:
        on:
          wake: { guard: { signal: { component: web, name: latencyMsP95, op: "<", value: 100 } }, target: quiet }
`;

function load(expectText: string) {
  return loadVariant(`${SCENARIO}expect:\n${expectText}`, "states.yaml");
}

/** A view with a hand-built state trace and log over the scenario (telemetry is not read). */
function view(agentStates: RunView["agentStates"], log: Partial<EventRecord>[] = []): RunView {
  const scenario = load("  - { agent: perf, state: watching }").scenario;
  return { scenario, log: log.map((r, i) => ({ seq: i + 1, actor: "x", data: {}, causes: [], prev: "", hash: "", ...r }) as EventRecord), telemetry: undefined as never, agentStates };
}

describe("agent state expectations against a hand-built trace", () => {
  const trace = [
    { t: 0, agent: "pager", state: "quiet" },
    { t: 600_000, agent: "pager", state: "ringing" },
    { t: 660_000, agent: "pager", state: "acked" },
    { t: 900_000, agent: "pager", state: "quiet" },
    { t: 1_800_000, agent: "pager", state: "ringing" },
    { t: 1_810_000, agent: "pager", state: "quiet" },
  ];

  it("counts entries, stays of at least `for`, entries within a window, and `never`", () => {
    const v = load(`  - { agent: pager, state: ringing, entered: "== 2" }
  - { agent: pager, state: acked, entered: "== 1" }
  - { agent: pager, state: ringing, entered: "== 1", within: 20m.. }
  - { agent: pager, state: acked, for: 4m, entered: "== 1" }
  - { agent: pager, state: acked, for: 5m, entered: "== 0" }
  - { agent: pager, never: acked, within: 20m.. }
  - { agent: pager, never: acked }
  - { agent: pager, never: ringing, for: 2m }
`);
    const results = evaluateExpectations(v.expectations, view(trace), []);
    expect(results.map((r) => r.passed)).toEqual([true, true, true, true, true, true, false, true]);
    expect(results[0].observed).toBe("entered ringing 2 times: at 00:10:00 (for 1m), 00:30:00 (for 10s)");
    expect(results[6].observed).toBe("acked 1 time, first at 00:11:00 (for 4m)");
    expect(results[0].name).toBe("pager entered ringing == 2");
  });

  it("a nested state is one stay while any of its children is active; a dotted path names a child", () => {
    const nested = [
      { t: 0, agent: "a", state: "idle" },
      { t: 10, agent: "a", state: '{"paging":"ringing"}' },
      { t: 20, agent: "a", state: '{"paging":"acked"}' },
      { t: 30, agent: "a", state: "idle" },
    ];
    const v = view(nested);
    expect(agentStays(v, { agent: "a", state: "paging" })).toEqual([{ fromMs: 10, toMs: 30 }]);
    expect(agentStays(v, { agent: "a", state: "acked" })).toEqual([{ fromMs: 20, toMs: 30 }]);
    expect(agentStays(v, { agent: "a", state: "paging.ringing" })).toEqual([{ fromMs: 10, toMs: 20 }]);
    expect(agentStays(v, { agent: "a", state: "ringing.paging" })).toEqual([]);
    expect(activeStatePaths('{"a":{"b":"c"}}')).toEqual(["a", "a.b", "a.b.c"]);
  });

  it("a stay entered before the window still violates `never` inside it", () => {
    const v = load("  - { agent: pager, never: acked, within: 12m..14m }\n");
    expect(evaluateExpectations(v.expectations, view(trace), [])[0].passed).toBe(false);
  });

  it("a stay still open at the end lasts until the run ends", () => {
    const v = load("  - { agent: pager, state: ringing, for: 30m, entered: \"== 1\" }\n");
    const open = [...trace.slice(0, 5)];
    expect(evaluateExpectations(v.expectations, view(open), [])[0].passed).toBe(true);
  });

  it("fails clearly when the view has no state trace", () => {
    const v = load("  - { agent: pager, never: acked }\n");
    const [r] = evaluateExpectations(v.expectations, view(undefined), []);
    expect(r.passed).toBe(false);
    expect(r.observed).toMatch(/no agent state trace/);
  });
});

describe("relative timing against hand-built logs", () => {
  const log: Partial<EventRecord>[] = [
    { t: 60_000, type: "fault.started", actor: "slow", target: "web" },
    { t: 120_000, type: "replicas.scaled", actor: "perf", target: "web", data: { knob: "replicas", from: 3, to: 4 } },
    { t: 600_000, type: "fault.started", actor: "slow", target: "web" },
    { t: 1_200_000, type: "replicas.scaled", actor: "perf", target: "web", data: { knob: "replicas", from: 4, to: 5 } },
  ];
  it("every trigger must be followed within the span; one slow response fails and names its trigger", () => {
    const v = load(`  - { event: replicas.scaled, after: { event: fault.started }, within: 5m }
  - { event: replicas.scaled, after: { event: fault.started }, within: 15m }
  - { event: replicas.scaled, after: { event: fault.started }, within: 2m..15m }
  - { event: replicas.scaled, after: { event: fault.started }, within: 30s, count: "== 0" }
  - { event: replicas.scaled, after: { event: fault.ended } }
`);
    const results = evaluateExpectations(v.expectations, view([], log), []);
    expect(results.map((r) => r.passed)).toEqual([false, true, false, true, true]);
    expect(results[0].observed).toBe("trigger 2 of 2 (#3 at 00:10:00) was followed by 0 matching replicas.scaled records in 00:10:00..00:15:00");
    expect(results[0].witnesses).toEqual([3]);
    expect(results[0].vacuous).toBeUndefined();
    expect(results[4].vacuous).toBe("the trigger (fault.ended records) never occurred");
  });

  it("a record logged at the trigger's time but before it does not follow it", () => {
    const same: Partial<EventRecord>[] = [
      { t: 60_000, type: "replicas.scaled", actor: "perf", target: "web", data: {} },
      { t: 60_000, type: "fault.started", actor: "slow", target: "web" },
    ];
    const v = load("  - { event: replicas.scaled, after: { event: fault.started }, within: 1m }\n");
    expect(evaluateExpectations(v.expectations, view([], same), [])[0].passed).toBe(false);
  });

  it("a named expectation's matches are the triggers, agent-state entries included", () => {
    const v = load(`  - { name: paged, agent: pager, state: ringing }
  - { agent: pager, state: acked, after: paged, within: 2m }
  - { agent: pager, state: acked, after: paged, within: 30s }
`);
    const trace = [
      { t: 0, agent: "pager", state: "quiet" },
      { t: 600_000, agent: "pager", state: "ringing" },
      { t: 660_000, agent: "pager", state: "acked" },
    ];
    const results = evaluateExpectations(v.expectations, view(trace), []);
    expect(results.map((r) => r.passed)).toEqual([true, true, false]);
    expect(results[1].name).toBe("pager entered acked >= 1 within 2m after paged");
  });
});

describe("through real runs", () => {
  it("the performance agent and a nested statechart, as the engine records them", () => {
    const v = load(`  - { name: paged, agent: pager, state: ringing, within: 30m.. }
  - { agent: pager, never: ringing, within: ..30m }
  - { agent: pager, state: acked, after: paged, within: 70s }
  - { agent: perf, state: coolingDown, entered: ">= 1" }
  - { agent: perf, state: coolingDown, after: { event: replicas.scaled, actor: perf }, within: 0s }
  - { event: replicas.scaled, actor: perf, after: { event: workload.changed, actor: users, data: { to: 380 } }, within: 5m }
`);
    const run = runScenario(v.scenario);
    const results = evaluateExpectations(v.expectations, run, []);
    expect(results.filter((r) => !r.passed)).toEqual([]);
    expect(run.agentStates.some((s) => s.agent === "pager" && s.state === "acked")).toBe(true);
  });
});

describe("load-time checks", () => {
  const problems = (text: string) => {
    try {
      load(text);
      return [];
    } catch (e) {
      return (e as ScenarioError).problems.map((p) => `${p.line}:${p.col} expected ${p.expected}, found ${p.found}${p.hint ? ` (${p.hint})` : ""}`);
    }
  };
  it("an unknown agent or state is an error with the states and the closest name", () => {
    expect(problems("  - { agent: pagr, never: acked }\n")).toEqual([expect.stringMatching(/expected an agent id \(perf, pager\), found "pagr" \(did you mean `pager`\?\)/)]);
    expect(problems("  - { agent: pager, never: ackd }\n")).toEqual([expect.stringMatching(/expected a state of pager \(statechart: quiet, ringing, acked\), found "ackd" \(did you mean `acked`\?\)/)]);
    expect(problems("  - { agent: perf, state: cooling }\n")).toEqual([expect.stringMatching(/a state of perf \(performance: watching, coolingDown\)/)]);
  });
  it("`after` must name another event or agent-state expectation; a bare span needs `after`", () => {
    expect(problems("  - { event: replicas.scaled, after: pagd, within: 5m }\n  - { name: paged, agent: pager, state: ringing }\n")).toEqual([expect.stringMatching(/found "pagd" \(did you mean `paged`\?\)/)]);
    expect(problems("  - { name: t, threshold: \"web.latency: p(95) < 1s\" }\n  - { event: replicas.scaled, after: t }\n")).toEqual([expect.stringMatching(/found "t", which is not an event or agent-state expectation/)]);
    expect(problems("  - { event: replicas.scaled, within: 5m }\n")).toEqual([expect.stringMatching(/a bare duration is a span after a trigger and needs `after`/)]);
    expect(problems("  - { agent: pager, never: acked, after: { event: fault.started } }\n")).toEqual([expect.stringMatching(/`never` with `entered` or `after`/)]);
  });
});

describe("thresholds on the replicas knob", () => {
  it("without an aggregator, every sample must hold; with one, the aggregate", () => {
    const v = load(`  - threshold: "web.replicas >= 3"
  - threshold: "web.replicas: max <= 6"
  - threshold: "web.replicas <= 3"
  - threshold: "web.replicas == 3 over ..30m"
`);
    const run = runScenario(v.scenario);
    const results = evaluateExpectations(v.expectations, run, []);
    expect(results.map((r) => r.passed)).toEqual([true, true, false, true]);
    expect(results[0].expected).toBe("web.replicas >= 3 at every sample");
    expect(results[2].observed).toMatch(/^web\.replicas = 4 at 00:3\d:\d\d, first of \d+ of \d+ samples that do not hold$/);
  });
});

describe("stays (property)", () => {
  it("are ordered, disjoint, inside the run, and one per entry into the state", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ dt: fc.integer({ min: 0, max: 100_000 }), state: fc.constantFrom("a", "b", '{"a":"x"}', '{"c":"a"}') }), { maxLength: 40 }), (steps) => {
        let t = 0;
        const trace = steps.map((s) => ({ t: (t += s.dt), agent: "pager", state: s.state }));
        const v = view(trace);
        const stays = agentStays(v, { agent: "pager", state: "a" })!;
        const inA = trace.map((c) => c.state !== "b");
        const entered = inA.filter((x, i) => x && (i === 0 || !inA[i - 1])).length;
        expect(stays.length).toBe(entered);
        for (let i = 0; i < stays.length; i++) {
          expect(stays[i].fromMs).toBeLessThanOrEqual(stays[i].toMs);
          if (i > 0) expect(stays[i - 1].toMs).toBeLessThanOrEqual(stays[i].fromMs);
        }
        expect(stays.every((s) => s.toMs <= Math.max(v.scenario.durationMs, s.fromMs))).toBe(true);
      }),
    );
  });
});
