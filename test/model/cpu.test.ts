// The optional CPU model of servers: capacity from the CPU request, the cpuUtilization signal,
// the cpuRequestMillicores knob and its bounds, eviction on resize, and the scenario fields.
import { describe, expect, it } from "vitest";
import { knobEventType } from "../../sim/engine/commands.js";
import { World } from "../../sim/model/world.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import type { Scenario } from "../../sim/scenario/types.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const yaml = (web: string, agents = "") => `
name: cpu-test
seed: 1
duration: 10m
step: 5s
components:
  - { id: web, kind: service, replicas: 4, replicasMin: 1, replicasMax: 10${web} }
  - { id: plain, kind: service, replicas: 2 }
${agents}`;

function stepAt(world: World, tMs: number, webRps: number): void {
  world.step(Float64Array.from(world.componentIds.map((id) => (id === "web" ? webRps : 0))), tMs);
}

describe("CPU model", () => {
  const scenario: Scenario = scenarioFromYaml(yaml(", cpuPerRequest: 20ms, cpuRequest: 500, podRestart: 30s"));

  it("derives capacity per replica from the request: 500m / 20ms = 25 requests/s", () => {
    const world = new World(scenario);
    expect(world.knobNames("web")).toEqual(["replicas", "cpuRequestMillicores"]);
    stepAt(world, 0, 50);
    expect(world.signal("web", "utilization")).toBeCloseTo(50 / 100, 12);
    expect(world.signal("web", "cpuUtilization")).toBeCloseTo((12.5 * 20) / 500, 12);
    world.applyKnob("web", "cpuRequestMillicores", 1000, 1);
    stepAt(world, 200_000, 50);
    stepAt(world, 320_000, 50);
    expect(world.signal("web", "utilization")).toBeCloseTo(50 / 200, 12);
  });

  it("lets a pod use at most its request: cpuUtilization stays under 1 when load exceeds capacity", () => {
    const world = new World(scenario);
    stepAt(world, 0, 500);
    expect(world.signal("web", "cpuUtilization")).toBeCloseTo(0.99, 12);
    expect(world.signal("web", "errorRate")).toBeGreaterThan(0.5);
  });

  it("evicts on resize: one pod is out of service for replicas x podRestart from the next step", () => {
    const world = new World(scenario);
    stepAt(world, 0, 50);
    world.applyKnob("web", "cpuRequestMillicores", 600, 1);
    stepAt(world, 5_000, 50);
    expect(world.signal("web", "available")).toBe(0.75);
    // 3 pods of 600m: 3 x 30 requests/s; they carry the fourth pod's load.
    expect(world.signal("web", "utilization")).toBeCloseTo(50 / 90, 12);
    expect(world.signal("web", "cpuUtilization")).toBeCloseTo(((50 / 3) * 20) / 600, 12);
    stepAt(world, 5_000 + 4 * 30_000 - 5_000, 50);
    expect(world.signal("web", "available")).toBe(0.75);
    stepAt(world, 5_000 + 4 * 30_000, 50);
    expect(world.signal("web", "available")).toBe(1);
    expect(world.signal("web", "utilization")).toBeCloseTo(50 / 120, 12);
  });

  it("checks the knob: whole millicores in [50, 8000]; servers without a CPU model have no such knob", () => {
    const world = new World(scenario);
    expect(world.checkKnob("web", "cpuRequestMillicores", 8000)).toBeNull();
    expect(world.checkKnob("web", "cpuRequestMillicores", 49)).toBe("web.cpuRequestMillicores must be in [50, 8000], got 49");
    expect(world.checkKnob("web", "cpuRequestMillicores", 100.5)).toBe("web.cpuRequestMillicores must be a whole number of millicores, got 100.5");
    expect(world.checkKnob("plain", "cpuRequestMillicores", 500)).toBe('plain has no knob "cpuRequestMillicores" (knobs: replicas)');
    stepAt(world, 0, 50);
    expect(world.signal("plain", "cpuUtilization")).toBe(0);
    expect(world.signal("plain", "available")).toBe(1);
  });

  it("logs request changes as resources.resized", () => {
    expect(knobEventType("cpuRequestMillicores")).toBe("resources.resized");
  });

  it("defaults the request to 500m and the restart to 30s", () => {
    const web = scenarioFromYaml(yaml(", cpuPerRequest: 10ms")).components[0];
    expect(web).toMatchObject({ cpu: { perRequestMs: 10, requestMillicores: 500, podRestartMs: 30_000 }, capacityPerReplicaRps: 50 });
    expect("cpu" in scenarioFromYaml(yaml("")).components[1]).toBe(false);
  });
});

describe("CPU model in scenario files", () => {
  const problems = (text: string) => {
    try {
      scenarioFromYaml(text);
    } catch (e) {
      if (e instanceof ScenarioError) return e.problems.map((p) => `${p.path.join(".")}: ${p.expected}`);
      throw e;
    }
    return [];
  };

  it("rejects CPU fields without cpuPerRequest, capacityPerReplica next to it, and requests out of bounds", () => {
    expect(problems(yaml(", cpuRequest: 500"))).toEqual(["components.0.cpuRequest: cpuPerRequest next to it (the CPU model is on only when cpuPerRequest is set)"]);
    expect(problems(yaml(", cpuPerRequest: 20ms, capacityPerReplica: 100/s"))).toEqual(["components.0.capacityPerReplica: no capacityPerReplica on a server with cpuPerRequest"]);
    expect(problems(yaml(", cpuPerRequest: 20ms, cpuRequest: 9000"))).toEqual(["components.0.cpuRequest: a CPU request in millicores the knob accepts"]);
  });

  it("requires a CPU model on the target of hpa and vpa agents", () => {
    const agents = "agents:\n  - { id: hpa, kind: hpa, target: plain }\n  - { id: vpa, kind: vpa, target: plain }\n";
    expect(problems(yaml(", cpuPerRequest: 20ms", agents))).toEqual([
      "agents.0.target: a service or database with a CPU model",
      "agents.1.target: a service or database with a CPU model",
    ]);
  });

  it("applies Kubernetes' defaults to hpa and vpa", () => {
    const s = scenarioFromYaml(yaml(", cpuPerRequest: 20ms", "agents:\n  - { id: hpa, kind: hpa, target: web }\n  - { id: vpa, kind: vpa, target: web }\n"));
    expect(s.agents[0]).toEqual({ id: "hpa", kind: "hpa", target: "web", cpuUtilizationTarget: 0.7, tolerance: 0.1, replicasMin: 1, replicasMax: 10, scaleDownStabilizationMs: 300_000, evaluationPeriodMs: 15_000 });
    expect(s.agents[1]).toEqual({ id: "vpa", kind: "vpa", target: "web", safetyMargin: 0.15, minAllowedMillicores: 50, maxAllowedMillicores: 8000, updateThreshold: 0.1, evaluationPeriodMs: 60_000 });
  });
});
