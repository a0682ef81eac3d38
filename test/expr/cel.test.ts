// Our CEL wrapper: located type errors with hints, unknown names, the cost and length limits,
// reads (exactly the names written, each read once and recorded as a cause in a real run),
// determinism, runtime errors that never crash a run nor put NaN into the world, and offsets
// inside YAML scalars of every style. Real @bufbuild/cel, real XState, real engine.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDocument, isScalar } from "yaml";
import { compile, evaluate, EXPR_COST_MAX, EXPR_TEXT_MAX, type ExprProgram } from "../../sim/expr/cel.js";
import { exprEnv, recordType, T, withVariables } from "../../sim/expr/types.js";
import { scalarSourceOffset } from "../../sim/expr/yaml-offset.js";
import { runScenario } from "../../sim/engine/engine.js";
import { loadScenario } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";

const catalogue = [
  { kind: "component" as const, id: "web", names: ["latencyMsP95", "replicas", "concurrency", "errorRate", "weight.web-a"] },
  { kind: "component" as const, id: "edge-eu", names: ["errorRate", "latencyMsP95"] },
  // A fake group catalogue, named as the groups branch names aggregates.
  { kind: "group" as const, id: "cells", names: ["sum.replicas", "avg.cpuUtilization", "count", "countHealthy", "fraction.unhealthy"] },
];
const env = exprEnv(catalogue, { now: T.double, params: recordType("params", { target: 0.6, mode: "fast" }) });

function program(text: string, result: "bool" | "number" | "any" = "any"): ExprProgram {
  const r = compile(text, env, ["x"], result);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.program;
}

function problems(text: string, result: "bool" | "number" | "any" = "any") {
  const r = compile(text, env, ["x"], result);
  if (r.ok) throw new Error(`${text} compiled`);
  return r.problems;
}

const values: Record<string, number> = { "web/latencyMsP95": 120, "web/replicas": 4, "web/concurrency": 91, "web/errorRate": 0.01, "web/weight.web-a": 50, "edge-eu/errorRate": 0.2, "cells/sum.replicas": 64, "cells/count": 3, "cells/fraction.unhealthy": 0.34 };
const reader = (id: string, name: string) => values[`${id}/${name}`] ?? 0;

describe("compile: types", () => {
  it("locates a type error at the offending operand with a hint", () => {
    const [p] = problems("web.latencyMsP95 > 'high'");
    expect(p.offset).toBe(19);
    expect(p.found).toBe("double > string");
    expect(p.hint).toMatch(/250\.0/);
  });
  it("refuses int * double and says to write 2.0 (CEL has no mixed arithmetic; signals are doubles)", () => {
    const [p] = problems("web.replicas + 2 * web.concurrency");
    expect(p.offset).toBe(15);
    expect(p.hint).toMatch(/write 2\.0/);
    expect(program("2.0 * web.replicas").reads.map((r) => r.name)).toEqual(["replicas"]);
  });
  it("allows comparing a double with an int literal (CEL's cross-type numeric comparisons)", () => {
    expect(evaluate(program("web.replicas > 3 && web.replicas == 4", "bool"), reader).ok).toBe(true);
  });
  it("requires a bool for a guard and a number for a value", () => {
    expect(problems("web.replicas", "bool")[0].expected).toMatch(/bool/);
    expect(problems("web.replicas > 1.0", "number")[0].expected).toMatch(/number/);
    expect(problems("max(2, web.replicas)")[0].hint).toMatch(/write 2\.0/);
  });
});

describe("compile: names", () => {
  it("names the closest signal of the component", () => {
    const [p] = problems("web.latencyMsP59 > 1.0");
    expect(p.offset).toBe(4);
    expect(p.hint).toBe("did you mean `latencyMsP95`?");
  });
  it("names the closest id under c, and says how to read an id with a dash", () => {
    expect(problems("c['edge-ue'].errorRate > 0.1")[0].hint).toBe("did you mean `edge-eu`?");
    expect(problems("edge-eu.errorRate > 0.1")[0].hint).toMatch(/c\['edge-eu'\]/);
  });
  it("refuses a computed key into c, at the key", () => {
    const [p] = problems("c['edge' + '-eu'].errorRate > 0.1");
    expect(p.offset).toBe(2);
    expect(p.expected).toMatch(/constant string key/);
  });
  it("refuses using a component as a value", () => {
    expect(problems("size(web) > 1")[0].expected).toMatch(/read one of its names/);
  });
  it("reads group aggregates the same way as component names", () => {
    const p = program("cells.sum.replicas >= 60.0 && cells.fraction.unhealthy < 0.5 && c['cells'].count == 3.0", "bool");
    expect(p.reads.map((r) => `${r.id}.${r.name}`)).toEqual(["cells.sum.replicas", "cells.fraction.unhealthy", "cells.count"]);
    expect(evaluate(p, reader)).toMatchObject({ ok: true, value: true });
    expect(problems("cells.sum.replcas > 1.0")[0].hint).toBe("did you mean `replicas`?");
  });
  it("reads a dotted knob name by select or index", () => {
    expect(evaluate(program("web.weight['web-a'] + web['weight.web-a']"), reader)).toMatchObject({ ok: true, value: 100 });
  });
  it("checks params keys", () => {
    expect(problems("params.taget > 1.0")[0].hint).toBe("did you mean `target`?");
    expect(evaluate(program("web.replicas * 0.5 / params.target"), reader, { params: { target: 0.5, mode: "fast" } })).toMatchObject({ ok: true, value: 4 });
  });
  it("composes environments: a later variable (an event) is checked like the others", () => {
    const withEvent = withVariables(env, { event: recordType("event", { from: 1, to: 2 }) });
    const r = compile("event.to > event.from && web.replicas > 1.0", withEvent, []);
    expect(r.ok).toBe(true);
    expect(compile("event.too > 1.0", withEvent, []).ok).toBe(false);
  });
});

describe("compile: syntax and limits", () => {
  it("locates a syntax error and hints at ==", () => {
    const [p] = problems("web.replicas = 4.0");
    expect(p.offset).toBe(13);
    expect(p.hint).toMatch(/==/);
  });
  it("refuses an expression over the cost limit, naming the cost and the limit", () => {
    const list = `[${Array.from({ length: 30 }, (_, i) => i).join(",")}]`;
    const [p] = problems(`${list}.all(a, ${list}.all(b, ${list}.all(c2, a + b + c2 >= 0)))`);
    expect(p.expected).toContain(String(EXPR_COST_MAX));
    expect(p.found).toMatch(/estimated cost \d+/);
    // One level fewer fits.
    expect(compile(`${list}.all(a, ${list}.all(b, a + b >= 0))`, env, []).ok).toBe(true);
  });
  it("refuses a text over the length limit", () => {
    expect(problems("1.0 + ".repeat(EXPR_TEXT_MAX / 6 + 1) + "1.0")[0].expected).toContain(String(EXPR_TEXT_MAX));
  });
  it("refuses functions that are not in the environment (no clock, no extensions)", () => {
    expect(problems("timestamp('2020-01-01T00:00:00Z') > timestamp(0)")[0].expected).toMatch(/function of the environment/);
  });
});

describe("evaluate", () => {
  it("reads exactly the names written, each once, in text order", () => {
    const seen: string[] = [];
    const p = program("web.concurrency > 0.8 * web.replicas && web.concurrency > 1.0 || c['edge-eu'].errorRate > 0.5", "bool");
    const out = evaluate(p, (id, name) => (seen.push(`${id}.${name}`), reader(id, name)));
    expect(seen).toEqual(["web.concurrency", "web.replicas", "edge-eu.errorRate"]);
    expect(out.reads.map((r) => r.text)).toEqual(["web.concurrency", "web.replicas", "c['edge-eu'].errorRate"]);
  });
  it("returns runtime errors as outcomes, never throws", () => {
    expect(evaluate(program("int(web.replicas) / 0 > 1"), reader)).toMatchObject({ ok: false });
    expect(evaluate(program("{'a': 1.0}['b'] > 0.0"), reader)).toMatchObject({ ok: false, error: expect.stringMatching(/not found: b/) });
    expect(evaluate(program("web.replicas", "number"), () => { throw new Error("reader broke"); })).toMatchObject({ ok: false, error: "reader broke" });
  });
  it("matches with RE2 semantics: a pattern that backtracks exponentially elsewhere is linear", () => {
    const p = program("'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.matches('^(a+)+$')");
    expect(evaluate(p, reader)).toMatchObject({ ok: true, value: false });
  });
  it("is deterministic: the same inputs give the same outcome (property)", () => {
    const p = program("max(web.replicas, web.concurrency / 0.8) + (c['edge-eu'].errorRate > 0.1 ? 1.0 : 0.0) - min(web.latencyMsP95, 100.0)");
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b, c, d) => {
        const v: Record<string, number> = { replicas: a, concurrency: b, errorRate: c, latencyMsP95: d };
        const read = (_: string, name: string) => v[name];
        expect(evaluate(p, read)).toEqual(evaluate(p, read));
      }),
    );
  });
});

describe("offsets inside YAML scalars", () => {
  const at = (yaml: string, index: number) => {
    const doc = parseDocument(yaml);
    const node = doc.getIn(["x"], true);
    if (!isScalar(node)) throw new Error("not a scalar");
    return scalarSourceOffset(yaml, node, index);
  };
  const text = "web.a > 'b'";
  it("plain, single-quoted, double-quoted and block scalars", () => {
    for (const yaml of [`x: ${text}\n`, `x: "${text}"\n`, `x: '${text.replace(/'/g, "''")}'\n`, `x: |\n  ${text}\n`, `x: >-\n  web.a >\n  'b'\n`]) {
      const offset = at(yaml, 8);
      expect(yaml[offset], yaml).toBe("'");
      expect(yaml[at(yaml, 4)], yaml).toBe("a");
    }
  });
  it("falls back to the scalar's start after an escape that changes characters", () => {
    const yaml = 'x: "web.a\\n > 1.0"\n';
    expect(at(yaml, 12)).toBe(3);
  });
});

describe("in a run", () => {
  const scenario = (guard: string, value: string) => `
name: cel-run
seed: 1
duration: 3m
step: 5s
components:
  - { id: web, kind: service, replicas: 4, replicasMax: 20 }
  - { id: edge-eu, kind: loadBalancer, targets: [web] }
workload:
  - { id: users, target: edge-eu, pattern: { kind: constant, rate: 300/s } }
agents:
  - id: scaler
    kind: statechart
    evaluationPeriod: 30s
    params: { target: 0.5 }
    initial: idle
    states:
      idle:
        on:
          wake:
            - guard: { cel: "${guard}" }
              target: done
              actions: { set: { target: web, knob: replicas, value: { cel: "${value}" } } }
      done: {}
`;
  it("records each read as a cause and explains the guard with the values read", () => {
    const result = runScenario(loadScenario(scenario("web.utilization > params.target && c['edge-eu'].errorRate < 0.5", "web.replicas + 2.0")));
    const scaled = result.log.find((r) => r.type === "replicas.scaled")!;
    expect(scaled.data.to).toBe(6);
    expect(String(scaled.data.reason)).toMatch(/^idle: web\.utilization = [\d.]+ > params\.target && c\['edge-eu'\]\.errorRate = 0 < 0\.5$/);
    expect(scaled.causes.length).toBeGreaterThan(0);
  });
  it("rejects a command whose CEL value fails (division by zero), with why, and no NaN reaches the world", () => {
    const result = runScenario(loadScenario(scenario("web.replicas > 1.0", "web.replicas / (web.errorRate * 0.0)")));
    const rejected = result.log.find((r) => r.type === "command.rejected")!;
    expect(rejected.data.value).not.toBeTypeOf("number");
    expect(String(rejected.data.intent)).toMatch(/not a finite number/);
    expect(result.log.some((r) => r.type === "replicas.scaled")).toBe(false);
    expect(JSON.stringify(result.log)).not.toMatch(/:NaN|null,"knob"/);
  });
  it("makes a guard whose evaluation fails false", () => {
    const result = runScenario(loadScenario(scenario("{'a': 1.0}['b'] > 0.0 || web.replicas > 100.0", "web.replicas + 2.0")));
    expect(result.log.some((r) => r.type === "replicas.scaled")).toBe(false);
  });
  it("refuses a run whose CEL expressions would cost too much in all, at the agent's period", () => {
    const list = `[${Array.from({ length: 25 }, (_, i) => i).join(",")}]`;
    const costly = `${list}.all(a, ${list}.all(b, a + b >= 0))`;
    const text = scenario(costly, "1.0").replace("duration: 3m", "duration: 8h").replace("evaluationPeriod: 30s", "evaluationPeriod: 1s");
    try {
      loadScenario(text, "f.yaml");
      expect.unreachable();
    } catch (e) {
      const p = (e as ScenarioError).problems[0];
      expect(p.path).toEqual(["agents", 0, "evaluationPeriod"]);
      expect(p.expected).toContain("100,000,000");
    }
    // A minute apart, the same expression fits.
    expect(() => loadScenario(text.replace("evaluationPeriod: 1s", "evaluationPeriod: 1m"))).not.toThrow();
  });
  it("reports a type error at the file's line and column", () => {
    try {
      loadScenario(scenario("web.replicas > 'x'", "1.0"), "f.yaml");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      const p = (e as ScenarioError).problems[0];
      expect([p.line, p.col]).toEqual([21, 45]);
    }
  });
});
