// Expectations evaluated on real runs of small scenarios: each kind passes when it holds, fails
// when it does not, and says what it observed.
import { describe, expect, it } from "vitest";
import { evaluateExpectations, totalCost } from "../../sim/assert/evaluate.js";
import type { Finding } from "../../sim/detect/finding.js";
import { runScenario } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";

const SCENARIO = `name: small
seed: 3
duration: 1h
step: 10s
components:
  - { id: web, kind: service, replicas: 3, capacityPerReplica: 100/s, baseLatency: 20ms, costPerReplicaHour: 0.5, dependsOn: [db] }
  - { id: db, kind: database, replicas: 1, capacityPerReplica: 400/s, baseLatency: 5ms }
workload:
  - { id: users, target: web, pattern: { kind: steps, steps: [{ at: 0s, rate: 150/s }, { at: 30m, rate: 380/s }] } }
coordination:
  authorization: { perf: [db.replicas] }
agents:
  - { id: perf, kind: performance, target: web, latencyP95Max: 60ms, replicasMax: 3 }
`;

function evaluate(expect: string, findings: Finding[] = []) {
  const variant = loadVariant(`${SCENARIO}expect:\n${expect}`, "small.yaml");
  const run = runScenario(variant.scenario);
  return { results: evaluateExpectations(variant.expectations, run, findings), run };
}

describe("expectations on a run", () => {
  it("thresholds: latency percentiles and availability, with windows", () => {
    const { results } = evaluate(`  - threshold: "web.latency: p(95) < 60ms over ..30m"
  - threshold: "web.latency: p(95) < 60ms"
  - threshold: "web.availability >= 0.999 over ..30m"
  - threshold: "web.availability >= 0.999"
  - threshold: "web.utilization max <= 0.6 over ..30m"
`);
    expect(results.map((r) => r.passed)).toEqual([true, false, true, false, true]);
    // After 30 m the load (380/s on 300/s of capacity) sheds: latency and errors both break.
    expect(results[1].observed).toMatch(/^web\.latency p\(95\) = \d+(\.\d+)?ms \(\d+ samples\)$/);
    expect(results[3].observed).toMatch(/web\.availability = 0\.[0-8]/);
    expect(results[1].expected).toBe("web.latency p(95) < 60ms");
    expect(results[0].line).toBe(15);
  });

  it("thresholds compare at the precision telemetry keeps (32-bit floats): a sample of 1.1 is <= 1.1", () => {
    const variant = loadVariant(
      `name: budget
seed: 1
duration: 2m
components:
  - { id: clients, kind: clients, target: api, retries: 3, retryBudget: 0.1 }
  - { id: api, kind: service, replicas: 2 }
workload:
  - { id: users, target: clients, pattern: { kind: constant, rate: 100/s } }
faults:
  - { id: down, target: api, start: 0s, effect: errors }
expect:
  - threshold: "clients.amplification max <= 1.1"
  - threshold: "clients.amplification max == 1.1"
  - threshold: "clients.amplification max < 1.1"
  - threshold: "clients.amplification avg > 1.09"
`,
      "budget.yaml",
    );
    const run = runScenario(variant.scenario);
    // Every attempt fails, so the budget caps retries at 10% of first attempts: 1.1 attempts per request.
    expect(run.telemetry.series("clients", "amplification").at(-1)).toBe(Math.fround(1.1));
    expect(Math.fround(1.1)).toBeGreaterThan(1.1);
    expect(evaluateExpectations(variant.expectations, run, []).map((r) => r.passed)).toEqual([true, true, false, true]);
  });

  it("cost integrates the price of the replicas over time", () => {
    const { results, run } = evaluate(`  - { cost: "<= 1.5", component: web }
  - { cost: "< 1.49", component: web }
`);
    // web runs 3 replicas at $0.50/h for 1 h: $1.50.
    expect(totalCost(run, "web")).toBeCloseTo(1.5, 6);
    expect(results.map((r) => r.passed)).toEqual([true, false]);
    expect(results[1].observed).toBe("$1.50");
  });

  it("rejected commands, filtered by actor, knob and policy", () => {
    const { results } = evaluate(`  - { rejected: "== 0" }
  - { rejected: "== 0", actor: perf, knob: web.replicas }
`);
    // perf wants more than replicasMax... it never gets to command past 3, so no rejection either.
    expect(results[0].passed).toBe(true);
    expect(results[0].observed).toBe("0 rejected");
    expect(results[1].name).toBe("rejected commands of perf on web.replicas == 0");
  });

  it("component states: never unhealthy fails with the first time and the health record", () => {
    const { results, run } = evaluate(`  - { component: db, never: unhealthy }
  - { component: web, never: unhealthy }
  - { component: web, always: healthy, within: ..30m }
`);
    expect(results.map((r) => r.passed)).toEqual([true, false, true]);
    expect(results[1].observed).toMatch(/^unhealthy in \d+ of 361 samples, first at 00:3\d:\d\d$/);
    expect(results[1].witnesses).toHaveLength(1);
    expect(run.log[results[1].witnesses[0]]).toMatchObject({ type: "health.changed", target: "web" });
  });

  it("findings must / must not occur, filtered by knob, actors and window; cascade depth", () => {
    const thrash: Finding = { kind: "thrashing", severity: "warning", from: 60_000, to: 600_000, subjects: ["perf", "cost", "web.replicas"], actors: ["cost", "perf"], components: ["web"], knob: "web.replicas", witnesses: [5, 9], rootCauses: [5], metrics: { reversals: 4 }, explanation: ["..."] };
    const cascade: Finding = { ...thrash, kind: "cascade", knob: undefined, actors: [], components: ["db", "web"], metrics: { depth: 2 }, witnesses: [12] };
    const { results } = evaluate(
      `  - { finding: thrashing, knob: web.replicas, actors: [perf] }
  - { finding: thrashing, must: not occur }
  - { finding: thrashing, within: 20m..30m }
  - { finding: flapping, must: not occur }
  - { cascadeDepth: "<= 1" }
  - { cascadeDepth: "<= 2" }
`,
      [thrash, cascade],
    );
    expect(results.map((r) => r.passed)).toEqual([true, false, false, true, false, true]);
    expect(results[0].witnesses).toEqual([5, 9]);
    expect(results[0].observed).toBe("1 thrashing finding: thrashing on web.replicas by cost, perf 00:01:00-00:10:00");
    expect(results[4].observed).toBe("depth 2: cascade on db -> web 00:01:00-00:10:00");
  });

  it("reports references to unknown things as problems at their line", () => {
    expect(() => evaluate(`  - { threshold: "wbe.latency: p(95) < 60ms" }\n  - { rejected: ">= 1", knob: web.replica }\n  - { finding: thrashing, actors: [pref] }\n`)).toThrowError(
      /small\.yaml:15:18: expect\[0\]\.threshold: expected a component id \(web, db\), found "wbe"\n  hint: did you mean `web`\?\n.*small\.yaml:16:31: expect\[1\]\.knob: expected a knob of web \(replicas\) as `web.<knob>`, found "web.replica"\n  hint: did you mean `web.replicas`\?\n.*small\.yaml:17:36: expect\[2\]\.actors\[0\]: expected an agent or fault id \(perf\), found "pref"/s,
    );
  });
});
