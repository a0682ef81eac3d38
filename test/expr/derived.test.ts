// Derived signals (components and groups) and component health rules, sim/expr/derived.ts: the
// sampled series against an independent computation from the run's member telemetry, the causes
// of a guard reading a derived signal, cycles and clashes refused at load, a health rule's
// transition against a hand-computed case, and determinism.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { loadScenario, loadVariant } from "../../sim/scenario/load.js";
import { evaluateExpectations } from "../../sim/assert/evaluate.js";
import { ScenarioError } from "../../sim/scenario/problems.js";

function problemsOf(text: string): string {
  try {
    loadScenario(text, "d.yaml");
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error("expected the scenario to be refused");
}

/** Two services in a group `fleet`; `web` and `fleet` declare the derived signals given; an agent trims web-b while `guard` holds. */
function fleet(webDerived: string, fleetDerived: string, guard = "false", extra = ""): string {
  return `name: derived
seed: 7
duration: 10m
step: 5s
components:
  - { id: edge, kind: loadBalancer, targets: [web, web-b] }
  - id: web
    kind: service
    replicas: 4
    capacityPerReplica: 100/s
    pool: { size: 8 }
    derived: ${webDerived}
${extra}  - { id: web-b, kind: service, replicas: 10, replicasMin: 1, capacityPerReplica: 100/s }
groups:
  - { id: fleet, members: [web, web-b], derived: ${fleetDerived} }
workload:
  - { id: users, target: edge, pattern: { kind: constant, rate: 300/s } }
agents:
  - id: trimmer
    kind: statechart
    evaluationPeriod: 1m
    initial: watching
    states:
      watching:
        on:
          wake:
            guard: { cel: ${JSON.stringify(guard)} }
            actions:
              - set: { target: web-b, knob: replicas, value: { knob: web-b.replicas, plus: -1, min: 1 } }
`;
}

describe("derived signals", () => {
  it("samples each derived series as its expression over the members' telemetry (random coefficients)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), (a10, b10) => {
        const a = a10 / 10;
        const b = b10 / 10;
        const run = runScenario(loadScenario(fleet(`{ mix: "${a.toFixed(1)} * web.utilization + ${b.toFixed(1)} * web.replicas" }`, `{ spread: "fleet.max.loadRps - ${b.toFixed(1)} * fleet.sum.replicas" }`), "d.yaml"));
        const t = run.telemetry;
        const util = t.series("web", "utilization");
        const reps = t.series("web", "replicas");
        const loadA = t.series("web", "loadRps");
        const loadB = t.series("web-b", "loadRps");
        const repsB = t.series("web-b", "replicas");
        const mix = t.series("web", "mix");
        const spread = t.series("fleet", "spread");
        expect(mix.length).toBe(t.count);
        for (let i = 0; i < t.count; i++) {
          // Telemetry stores 32-bit floats; the derived value is computed from the doubles.
          expect(mix[i]).toBeCloseTo(a * util[i] + b * reps[i], 4);
          const want = Math.max(loadA[i], loadB[i]) - b * (reps[i] + repsB[i]);
          expect(Math.abs(spread[i] - want)).toBeLessThan(1e-3 * Math.max(1, Math.abs(want)));
        }
      }),
      { numRuns: 6 },
    );
  });

  it("a guard reading a group's derived signal cites its member reads and shows its value", () => {
    const run = runScenario(loadScenario(fleet(`{ spare: "web.replicas" }`, `{ total: "fleet.sum.replicas" }`, "fleet.total > 10.0"), "d.yaml"));
    const writes = run.log.filter((r) => r.type === "replicas.scaled" && r.actor === "trimmer");
    // 4 + 10 = 14 replicas; one fewer per decision until the total is 10.
    expect(writes.map((w) => w.data.to)).toEqual([9, 8, 7, 6]);
    // fleet.total reads fleet.sum.replicas, which reads web-b.replicas: the previous write.
    for (let i = 1; i < writes.length; i++) expect(writes[i].causes).toContain(writes[i - 1].seq);
    expect(JSON.stringify(writes[0].data)).toContain("fleet.total = 14 > 10.0");
  });

  it("a derived signal may read another (nested reads are causes); a failed evaluation reads NaN and the guard does not hold", () => {
    const run = runScenario(loadScenario(fleet(`{ spare: "web.replicas", ratio: "c['web-b'].replicas / web.spare" }`, `{ total: "fleet.sum.replicas" }`, "web.ratio > 2.0"), "d.yaml"));
    const writes = run.log.filter((r) => r.type === "replicas.scaled" && r.actor === "trimmer");
    // 10/4 = 2.5 > 2 then 9/4 = 2.25 > 2, then 8/4 = 2 stops.
    expect(writes.map((w) => w.data.to)).toEqual([9, 8]);
    expect(writes[1].causes).toContain(writes[0].seq);
  });

  it("refuses a cycle across a component and a group, naming it", () => {
    const msg = problemsOf(fleet(`{ a: "fleet.b + 1.0" }`, `{ b: "web.a * 2.0" }`));
    expect(msg).toContain("found the cycle web.a -> fleet.b -> web.a");
    expect(msg).toMatch(/d\.yaml:\d+:\d+: components\[1\]\.derived\.a/);
  });

  it("refuses a name that is a built-in signal or a knob, and one that is an aggregate of a group", () => {
    expect(problemsOf(fleet(`{ utilization: "web.replicas" }`, `{ total: "fleet.sum.replicas" }`))).toContain('found "utilization", a built-in signal of web');
    expect(problemsOf(fleet(`{ replicas: "web.replicas" }`, `{ total: "fleet.sum.replicas" }`))).toMatch(/found "replicas", a (built-in signal|knob) of web/);
    expect(problemsOf(fleet(`{ x: "web.replicas" }`, `{ count: "fleet.sum.replicas" }`))).toContain('found "count", an aggregate of fleet');
  });

  it("is deterministic, and leaves telemetry without derived signals as it was", () => {
    const text = fleet(`{ mix: "web.utilization * 2.0" }`, `{ total: "fleet.sum.replicas" }`, "fleet.total > 12.0");
    const a = runScenario(loadScenario(text, "d.yaml"));
    expect(runScenario(loadScenario(text, "d.yaml")).finalHash).toBe(a.finalHash);
    expect(a.telemetry.groups?.componentIds).toEqual(["fleet", "web"]);
  });
});

describe("thresholds on derived series", () => {
  const withExpect = (threshold: string) => fleet(`{ mix: "web.replicas * 2.0" }`, `{ total: "fleet.sum.replicas" }`, "fleet.total > 12.0") + `expect:\n  - threshold: ${JSON.stringify(threshold)}\n`;

  it("reads a component's and a group's derived series, with an aggregator or at every sample", () => {
    for (const [threshold, passed] of [["web.mix: max <= 8", true], ["web.mix >= 8", true], ["fleet.total: min < 13", true], ["fleet.total >= 13", false]] as const) {
      const v = loadVariant(withExpect(threshold), "d.yaml");
      const run = runScenario(v.scenario);
      const [result] = evaluateExpectations(v.expectations, { scenario: run.scenario, log: run.log, telemetry: run.telemetry, agentStates: run.agentStates }, []);
      expect([threshold, result.passed]).toEqual([threshold, passed]);
    }
  });

  it("refuses a misspelled derived name at the threshold, listing the metrics", () => {
    expect(problemsOf(withExpect("web.mixx >= 8"))).toMatch(/expect\[0\]\.threshold: expected a metric: .*found "mixx"/);
  });
});

describe("health rules", () => {
  // cache starts with 4 replicas; the trimmer removes one per minute while cache.replicas > 1.
  // web's rule reads cache (not one of web's callees), so its causes come only from the rule.
  const rule = (rule: string | undefined) => `name: rule
seed: 1
duration: 6m
step: 5s
components:
  - id: web
    kind: service
    replicas: 4
    replicasMin: 1
    capacityPerReplica: 1000/s
${rule ? `    healthRule: { unhealthyWhen: ${JSON.stringify(rule)} }\n` : ""}  - { id: cache, kind: service, replicas: 4, replicasMin: 1, capacityPerReplica: 1000/s }
workload:
  - { id: users, target: web, pattern: { kind: constant, rate: 10/s } }
agents:
  - id: trimmer
    kind: statechart
    evaluationPeriod: 1m
    initial: watching
    states:
      watching:
        on:
          wake:
            guard: { cel: "cache.replicas > 1.0" }
            actions:
              - set: { target: cache, knob: replicas, value: { knob: cache.replicas, plus: -1, min: 1 } }
`;

  it("turns the component unhealthy 3 bad steps after the rule starts to hold, citing the write it read", () => {
    const run = runScenario(loadScenario(rule("cache.replicas < 3.0"), "r.yaml"));
    const writes = run.log.filter((r) => r.type === "replicas.scaled");
    const toTwo = writes.find((w) => w.data.to === 2)!;
    const changes = run.log.filter((r) => r.type === "health.changed" && r.target === "web");
    expect(changes).toHaveLength(1);
    expect(changes[0].data.healthy).toBe(false);
    // The write lands at its wake time; the rule holds from the next step; the default hysteresis
    // is 3 consecutive bad steps: unhealthy at the third step after the write.
    expect(changes[0].t).toBe(toTwo.t + 3 * 5000);
    expect(changes[0].causes).toContain(toTwo.seq);
  });

  it("without the rule, or with a rule that never holds, the kind's health alone decides (no transition)", () => {
    for (const text of [rule(undefined), rule("cache.replicas < 0.0")]) {
      const run = runScenario(loadScenario(text, "r.yaml"));
      expect(run.log.filter((r) => r.type === "health.changed")).toHaveLength(0);
    }
  });
});

describe("the CEL run budget", () => {
  it("counts health rules once per step and derived signals once per sample, located at the costliest", () => {
    const grid = "[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]";
    const text = (duration: string) => `name: budget
seed: 1
duration: ${duration}
step: 1s
components:
  - id: web
    kind: service
    replicas: 4
    healthRule: { unhealthyWhen: "${grid}.all(x, ${grid}.all(y, x * y < web.replicas * web.utilization + 100.0))" }
workload:
  - { id: users, target: web, pattern: { kind: constant, rate: 10/s } }
`;
    expect(problemsOf(text("2d"))).toMatch(/d\.yaml:9:\d+: components\[0\]\.healthRule\.unhealthyWhen: expected CEL expressions costing at most 100,000,000 units .* over 172,800 steps/);
    // An hour of the same rule fits.
    expect(loadScenario(text("1h"), "budget.yaml").components[0].healthRule).toBeDefined();
  });
});
