// `where:` CEL predicates on event expectations and inline `after:` matchers: on hand-built logs
// (each record field, a missing data key is no match, a type error is located, an unknown data key
// warns and marks a pass vacuous) and through real runs (the predicate selects exactly the records
// a plain filter computes; the final hash does not depend on it).
import { describe, expect, it } from "vitest";
import { evaluateExpectations } from "../../sim/assert/evaluate.js";
import type { Expectation } from "../../sim/assert/expectation.js";
import { recordMatchesWhere, whereDataKeys } from "../../sim/assert/where.js";
import type { RunView } from "../../sim/detect/finding.js";
import { runScenario } from "../../sim/engine/engine.js";
import type { EventRecord } from "../../sim/log/record.js";
import { loadVariant } from "../../sim/scenario/load.js";

const rec = (seq: number, t: number, type: string, data: EventRecord["data"], actor = "cost", target = "web"): EventRecord => ({ seq, t, type, actor, target, data, causes: [], prev: "", hash: "" });

describe("recordMatchesWhere on hand-built records", () => {
  const scaled = rec(4, 90_000, "replicas.scaled", { knob: "replicas", from: 8, to: 5 });

  it("reads t in seconds, type, actor, target, seq and data", () => {
    expect(recordMatchesWhere("event.data.to < event.data.from - 2.0", scaled)).toBe(true);
    expect(recordMatchesWhere("event.data.to < event.data.from - 3.0", scaled)).toBe(false);
    expect(recordMatchesWhere("event.t == 90.0 && event.seq == 4.0", scaled)).toBe(true);
    expect(recordMatchesWhere("event.actor == 'cost' && event.target == 'web' && event.type.startsWith('replicas.')", scaled)).toBe(true);
    expect(recordMatchesWhere("event.data.knob == 'replicas'", scaled)).toBe(true);
  });

  it("a record without the data key read is no match (and has() tests for it)", () => {
    expect(recordMatchesWhere("event.data.requested > 1.0", scaled)).toBe(false);
    expect(recordMatchesWhere("!has(event.data.requested)", scaled)).toBe(true);
  });

  it("finds the data keys a predicate names, with their offsets", () => {
    expect(whereDataKeys("event.data.to < event.data['from'] && event.data[\"reason\"] != ''")).toEqual([
      { key: "to", offset: 11 },
      { key: "from", offset: 28 },
      { key: "reason", offset: 50 },
    ]);
  });

  it("filters an event expectation and an inline `after` trigger", () => {
    const log = [rec(0, 0, "run.started", {}, "engine", undefined), rec(1, 60_000, "replicas.scaled", { knob: "replicas", from: 8, to: 7 }), scaled, rec(5, 120_000, "replicas.scaled", { knob: "replicas", from: 5, to: 6 }, "perf")];
    const view = { scenario: { durationMs: 600_000 }, log } as unknown as RunView;
    const base = { path: [], line: 0, col: 0, event: "replicas.scaled" };
    const expectations: Expectation[] = [
      { ...base, kind: "event", name: "big scale-ins", where: "event.data.to < event.data.from - 2.0", comparison: { op: "==", value: 1 } },
      { ...base, kind: "event", name: "scale-outs within 1m after a big scale-in", where: "event.data.to > event.data.from", comparison: { op: ">=", value: 1 }, after: { trigger: { kind: "event", words: "big", matcher: { event: "replicas.scaled", where: "event.data.to < event.data.from - 2.0" } }, fromMs: 0, toMs: 60_000 } },
    ] as Expectation[];
    const results = evaluateExpectations(expectations, view, []);
    expect(results.map((r) => r.passed)).toEqual([true, true]);
    expect(results[0].witnesses).toEqual([4]);
  });
});

const SCENARIO = `name: where
seed: 3
duration: 1h
step: 10s
components:
  - { id: web, kind: service, replicas: 3, replicasMax: 8, capacityPerReplica: 100/s, baseLatency: 20ms }
workload:
  - { id: users, target: web, pattern: { kind: steps, steps: [{ at: 0s, rate: 150/s }, { at: 20m, rate: 600/s }, { at: 40m, rate: 100/s }] } }
agents:
  - { id: perf, kind: performance, target: web, latencyP95Max: 60ms, step: 1, cooldown: 1m }
  - { id: cost, kind: cost, target: web }
`;

describe("where through real runs", () => {
  const load = (expect: string) => loadVariant(`${SCENARIO}expect:\n${expect}`, "where.yaml");

  it("selects exactly the records a plain filter does, and leaves the final hash alone", () => {
    const plain = load(`  - { event: replicas.scaled }\n`);
    const variant = load(`  - { event: replicas.scaled, where: "event.data.to > event.data.from" }
  - { event: replicas.scaled, where: "event.data.to < event.data.from && event.t >= 2400.0" }
  - { event: replicas.scaled, where: "event.data.to > event.data.from", within: ..20m, count: "== 0" }
  - { event: command.rejected, after: { event: replicas.scaled, where: "event.data.to > 100.0" }, within: 1m, count: ">= 5" }
`);
    const run = runScenario(variant.scenario);
    expect(runScenario(plain.scenario).finalHash === run.finalHash).toBe(false); // the scenario text differs (record #0 binds it) ...
    const events = (r: typeof run) => r.log.slice(1).map(({ hash, prev, ...rest }) => rest);
    expect(events(runScenario(plain.scenario))).toEqual(events(run)); // ... but every later record is the same.
    const results = evaluateExpectations(variant.expectations, run, []);
    const scaled = run.log.filter((r) => r.type === "replicas.scaled");
    const up = scaled.filter((r) => (r.data.to as number) > (r.data.from as number));
    const downLate = scaled.filter((r) => (r.data.to as number) < (r.data.from as number) && r.t >= 2_400_000);
    expect(up.length).toBeGreaterThan(0);
    expect(downLate.length).toBeGreaterThan(0);
    expect(results[0].witnesses).toEqual(up.map((r) => r.seq));
    expect(results[1].witnesses).toEqual(downLate.map((r) => r.seq));
    expect(results[2].passed).toBe(true);
    // No trigger (no record scaled above 100): a vacuous pass.
    expect(results[3].passed).toBe(true);
    expect(results[3].vacuous).toBeDefined();
  });

  it("a type error is located in the string; an unknown data key warns and marks the pass vacuous", () => {
    expect(() => load(`  - { event: replicas.scaled, where: "event.data.to + 1.0" }\n`)).toThrow(/where\.yaml:\d+:\d+: expect\[0\]\.where: expected a condition \(an expression of type bool\)/);
    expect(() => load(`  - { event: replicas.scaled, after: { event: fault.started, where: "event.tt > 1.0" } }\n`)).toThrow(/expect\[0\]\.after\.where: expected a key of event \(t, type, actor, target, seq, data\), found "tt"/);
    const variant = load(`  - { event: replicas.scaled, where: "event.data.form > 1.0", count: "== 0" }\n`);
    expect((variant.warnings ?? []).map((w) => `${w.line}:${w.col} ${w.found}`)).toEqual([`13:50 "form", which replicas.scaled records never carry, so this never matches`]);
    const results = evaluateExpectations(variant.expectations, runScenario(variant.scenario), []);
    expect(results[0]).toMatchObject({ passed: true, vacuous: "replicas.scaled records never carry the data key form" });
  });
});
