// Thresholds on knobs that are not signals (`lb.weight.web-a: min >= 10`, every sample without an
// aggregator): the knob's values are folded from the log's records after the run, so they follow
// each write at the samples after it; a name that is neither a signal nor a knob is still refused.
import { describe, expect, it } from "vitest";
import { evaluateExpectations } from "../../sim/assert/evaluate.js";
import { knobSeries } from "../../sim/assert/knob-series.js";
import { runScenario } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";

const SCENARIO = `name: knob-thresholds
seed: 1
duration: 10m
step: 5s
components:
  - { id: lb, kind: loadBalancer, targets: [web-a, web-b], weights: { web-a: 50, web-b: 50 } }
  - { id: web-a, kind: service, replicas: 4, capacityPerReplica: 100/s }
  - { id: web-b, kind: service, replicas: 4, capacityPerReplica: 100/s }
workload:
  - { id: users, target: lb, pattern: { kind: constant, rate: 200/s } }
agents:
  - id: router
    kind: statechart
    evaluationPeriod: 2m
    initial: draining
    states:
      draining:
        on:
          wake:
            guard: { cel: "lb.weight['web-a'] > 10.0" }
            actions:
              - set: { target: lb, knob: weight.web-a, value: { knob: lb.weight.web-a, plus: -20 }, reason: drain }
`;

describe("thresholds on knobs", () => {
  const load = (expect: string) => loadVariant(`${SCENARIO}expect:\n${expect}`, "k.yaml");

  it("fold the knob's writes into a series and compare it, with and without an aggregator", () => {
    const variant = load(`  - threshold: "lb.weight.web-a: min >= 10"
  - threshold: "lb.weight.web-a: min >= 20"
  - threshold: "lb.weight.web-a >= 10"
  - threshold: "lb.weight.web-a last == 10"
  - threshold: "lb.weight.web-b >= 50 over 1m.."
  - threshold: "lb.weight.web-a >= 40 over ..4m"
`);
    const run = runScenario(variant.scenario);
    const writes = run.log.filter((r) => r.data.knob === "weight.web-a" && r.type !== "command.rejected").map((r) => [r.t, r.data.to]);
    expect(writes).toEqual([[120_000, 30], [240_000, 10]]);
    const series = knobSeries(run, "lb", "weight.web-a")!;
    const at = (ms: number) => series[run.telemetry.times.indexOf(ms)];
    expect([at(0), at(115_000), at(120_000), at(235_000), at(240_000), at(600_000)]).toEqual([50, 50, 30, 30, 10, 10]);
    const results = evaluateExpectations(variant.expectations, run, []);
    expect(results.map((r) => r.passed)).toEqual([true, false, true, true, true, false]);
    expect(results[1].observed).toBe("lb.weight.web-a min = 10 (121 samples)");
    expect(results[5].observed).toMatch(/^lb\.weight\.web-a = 30 at 00:02:00, first of 24 of 48 samples that do not hold$/);
  });

  it("a name that is neither a signal nor a knob of the component is still an error", () => {
    expect(() => load(`  - threshold: "web-a.rollout >= 1"\n`)).toThrow(/expected a metric: .*found "rollout"/);
  });
});
