// The `event` expectation: counts log records of one type, filtered by actor, target, data fields
// and a time window, so a scenario can assert the order and timing of what agents did (e.g. "the
// LKG was promoted before the first crash").
import { describe, expect, it } from "vitest";
import { evaluateExpectations } from "../../sim/assert/evaluate.js";
import { runScenario } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";

const SCENARIO = `name: events
seed: 3
duration: 1h
step: 10s
components:
  - { id: web, kind: service, replicas: 3, replicasMax: 6, capacityPerReplica: 100/s, baseLatency: 20ms }
workload:
  - { id: users, target: web, pattern: { kind: steps, steps: [{ at: 0s, rate: 150/s }, { at: 30m, rate: 380/s }] } }
agents:
  - { id: perf, kind: performance, target: web, latencyP95Max: 60ms, step: 1, cooldown: 1m }
`;

function evaluate(expect: string) {
  const variant = loadVariant(`${SCENARIO}expect:\n${expect}`, "events.yaml");
  const run = runScenario(variant.scenario);
  return { results: evaluateExpectations(variant.expectations, run, []), run };
}

describe("event expectations", () => {
  it("count records by type, actor, target, data and window; the default count is >= 1", () => {
    const { results, run } = evaluate(`  - { event: replicas.scaled, actor: perf, target: web }
  - { event: replicas.scaled, within: ..30m, count: "== 0" }
  - { event: replicas.scaled, data: { knob: replicas, from: 3, to: 4 }, within: 30m.. }
  - { event: replicas.scaled, data: { to: 99 } }
  - { event: health.changed, actor: web, data: { healthy: false }, count: "== 0" }
  - { event: document.put }
`);
    expect(results.map((r) => r.passed)).toEqual([true, true, true, false, true, false]);
    const scaled = run.log.filter((r) => r.type === "replicas.scaled");
    expect(scaled.length).toBeGreaterThan(0);
    expect(results[0].witnesses).toEqual(scaled.map((r) => r.seq));
    expect(results[0].observed).toMatch(new RegExp(`^${scaled.length} matching: #${scaled[0].seq} at 00:3\\d:\\d\\d`));
    expect(results[0].name).toBe("replicas.scaled records by perf on web >= 1");
    expect(results[2].name).toBe('replicas.scaled records with knob "replicas", from 3, to 4 within 30m.. >= 1');
    expect(results[2].expected).toMatch(/^replicas\.scaled records with knob "replicas", from 3, to 4 within 00:30:00\.\.01:00:00(\.001)? >= 1$/);
    expect(results[3].observed).toBe("no matching replicas.scaled record");
    expect(results[4].name).toBe('health.changed records by web with healthy false == 0');
    expect(results[5].expected).toBe("document.put records >= 1");
  });

  it("reports an unknown actor or target at its line, with a hint", () => {
    expect(() => evaluate(`  - { event: replicas.scaled, actor: pref }\n  - { event: health.changed, target: wbe }\n`)).toThrowError(
      /events\.yaml:12:38: expect\[0\]\.actor: expected an agent, fault, workload or component id \(perf, users, web, engine\), found "pref"\n  hint: did you mean `perf`\?\n.*events\.yaml:13:38: expect\[1\]\.target: expected a component id \(web\), found "wbe"\n  hint: did you mean `web`\?/s,
    );
  });

  it("rejects a type that is not noun.pastVerb", () => {
    expect(() => evaluate(`  - { event: "replicas scaled" }\n`)).toThrowError(/expect\[0\]\.event/);
  });
});
