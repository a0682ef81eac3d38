// The Kubernetes HPA and VPA agents, each alone on a service with a CPU model, run by the real
// engine: HPA scales up at once and down only after its stabilization window; VPA moves the
// CPU request to per-pod usage x 1.15 and applies it by evicting pods.
import { describe, expect, it } from "vitest";
import { hpaRecommendation } from "../../sim/agents/hpa.js";
import { vpaRecommendation } from "../../sim/agents/vpa.js";
import { runScenario } from "../../sim/engine/engine.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const HPA = { cpuUtilizationTarget: 0.7, tolerance: 0.1, replicasMin: 2, replicasMax: 10 };
const VPA = { safetyMargin: 0.15, minAllowedMillicores: 50, maxAllowedMillicores: 8000 };

describe("hpaRecommendation", () => {
  it("is ceil(replicas x utilization / target), unchanged within the tolerance, clamped to the bounds", () => {
    expect(hpaRecommendation(4, 0.91, HPA)).toBe(6);
    expect(hpaRecommendation(4, 0.76, HPA)).toBe(4);
    expect(hpaRecommendation(4, 0.64, HPA)).toBe(4);
    expect(hpaRecommendation(6, 0.3, HPA)).toBe(3);
    expect(hpaRecommendation(8, 0.99, HPA)).toBe(10);
    expect(hpaRecommendation(3, 0.05, HPA)).toBe(2);
  });
});

describe("vpaRecommendation", () => {
  it("is usage x (1 + margin), rounded up to a millicore and clamped to [minAllowed, maxAllowed]", () => {
    expect(vpaRecommendation(500, VPA)).toBe(575);
    expect(vpaRecommendation(10, VPA)).toBe(50);
    expect(vpaRecommendation(9000, VPA)).toBe(8000);
  });
});

describe("hpa agent alone", () => {
  // 100/s x 20 ms = 2 cores of CPU on 500m pods, then 40/s (0.8 cores) from 20 min.
  const run = runScenario(
    scenarioFromYaml(`
name: hpa-test
seed: 1
duration: 40m
step: 5s
components:
  - { id: web, kind: service, replicas: 2, replicasMin: 1, replicasMax: 20, cpuPerRequest: 20ms, cpuRequest: 500 }
workload:
  - { id: users, target: web, pattern: { kind: steps, steps: [{ at: 0s, rate: 100/s }, { at: 20m, rate: 40/s }] } }
agents:
  - { id: hpa, kind: hpa, target: web, cpuUtilizationTarget: 0.7, replicasMin: 2, replicasMax: 10 }
`),
  );
  const scalings = run.log.filter((r) => r.type === "replicas.scaled");

  it("scales up on every 15 s sync while utilization is above the tolerance band, with no stabilization", () => {
    expect(scalings.slice(0, 3).map((r) => [r.t, r.data.to])).toEqual([
      [15_000, 3],
      [30_000, 5],
      [45_000, 6],
    ]);
    expect(scalings[0].data.reason).toBe("web.cpuUtilization = 0.990 > target 0.70: 2 -> 3 replicas");
    // 6 pods at 2 cores / 3 cores = 0.667: within 10% of 0.7, so it holds.
    expect(run.telemetry.series("web", "cpuUtilization")[run.telemetry.indexAt(1_190_000)]).toBeCloseTo(2 / 3, 6);
  });

  it("scales down only once the highest recommendation of the last 300 s is lower", () => {
    const down = scalings[3];
    // The last sync that saw the old load was at 19m45s; the window forgets it 300 s later.
    expect(down.t).toBe(1_185_000 + 300_000);
    expect(down.data).toMatchObject({ from: 6, to: 3 });
    expect(down.data.reason).toBe("web.cpuUtilization = 0.267 < target 0.70: 6 -> 3 replicas (highest recommendation of the last 300s)");
    expect(scalings).toHaveLength(4);
    expect(run.stats.rejected).toBe(0);
  });

  it("names what it observed among its causes: the workload change and its own last scaling", () => {
    const down = scalings[3];
    const causeTypes = down.causes.map((c) => run.log[c].type);
    expect(causeTypes).toContain("workload.changed");
    expect(causeTypes).toContain("replicas.scaled");
  });
});

describe("vpa agent alone", () => {
  const base = (request: number) =>
    scenarioFromYaml(`
name: vpa-test
seed: 1
duration: 20m
step: 5s
components:
  - { id: web, kind: service, replicas: 4, replicasMin: 1, replicasMax: 20, cpuPerRequest: 20ms, cpuRequest: ${request}, podRestart: 30s }
workload:
  - { id: users, target: web, pattern: { kind: constant, rate: 100/s } }
agents:
  - { id: vpa, kind: vpa, target: web }
`);

  // 100/s x 20 ms over 4 pods = 500m per pod, but 400m pods are throttled at their request.
  const run = runScenario(base(400));
  const resizes = run.log.filter((r) => r.type === "resources.resized");

  it("raises a throttled request step by step until it is per-pod usage x 1.15", () => {
    expect(resizes.map((r) => r.data.to)).toEqual([456, 520, 575]);
    expect(resizes.every((r) => r.actor === "vpa" && r.data.knob === "cpuRequestMillicores")).toBe(true);
    expect(resizes[2].data.reason).toBe("web per-pod CPU usage = 500m (cpuUtilization 0.962 of 520m): request 520m -> 575m (usage + 15%), evicting pods");
    expect(run.telemetry.series("web", "cpuUtilization").at(-1)).toBeCloseTo(500 / 575, 6);
  });

  it("evicts: one pod of 4 is out for 4 x 30 s after each resize, and the others carry its load", () => {
    const available = run.telemetry.series("web", "available");
    const utilization = run.telemetry.series("web", "utilization");
    for (const r of resizes) {
      const during = run.telemetry.indexAt(r.t + 60_000);
      expect(available[during]).toBe(0.75);
      expect(available[run.telemetry.indexAt(r.t + 5_000 + 120_000)]).toBe(1);
      expect(utilization[during]).toBeGreaterThan(utilization[run.telemetry.indexAt(r.t - 5_000)]);
    }
  });

  it("waits for the pods it evicted before it resizes again", () => {
    for (let i = 1; i < resizes.length; i++) expect(resizes[i].t - resizes[i - 1].t).toBeGreaterThanOrEqual(120_000);
  });

  it("lowers an oversized request in one step and then holds", () => {
    const lowered = runScenario(base(2000)).log.filter((r) => r.type === "resources.resized");
    expect(lowered.map((r) => [r.t, r.data.from, r.data.to])).toEqual([[60_000, 2000, 575]]);
  });
});
