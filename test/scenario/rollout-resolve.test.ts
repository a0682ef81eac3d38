// Resolving staged-rollout agents and the stagedRollout policy: defaults, and stage lists that do
// not ascend to 100 reported with their path.
import { describe, expect, it } from "vitest";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const BASE = `name: rollout-resolve
seed: 1
duration: 10m
components:
  - { id: afd, kind: documentStore, documents: [ { name: config, rows: 1 } ] }
  - { id: edge, kind: configConsumer, store: afd, document: config, version: 1 }
agents:
  - { id: deployer, kind: stagedDeployer, store: afd, document: config, target: edge }
  - { id: rollback, kind: rollback, target: edge, store: afd, document: config }
`;

describe("staged rollout in scenario files", () => {
  it("applies the documented defaults", () => {
    const s = scenarioFromYaml(`${BASE}coordination:\n  stagedRollout: { knobs: [edge.rollout], bake: 10m }\n`);
    expect(s.agents[0]).toMatchObject({ kind: "stagedDeployer", lkg: "lkg", stages: [1, 10, 100], bakeMs: 120_000, soakMs: 0, errorRateMax: 0.01, availableMin: 1, evaluationPeriodMs: 30_000 });
    expect(s.agents[1]).toMatchObject({ kind: "rollback", lkg: "lkg", errorRateMax: 0.2, evaluationsToAct: 3, cooldownMs: 600_000, evaluationPeriodMs: 30_000 });
    expect(s.coordination.stagedRollout).toEqual({ knobs: ["edge.rollout"], stages: [1, 10, 100], bakeMs: 600_000, lkg: [] });
  });

  it("rejects stage lists that do not ascend to 100", () => {
    expect(() => scenarioFromYaml(BASE.replace("target: edge }", "target: edge, stages: [10, 1] }"))).toThrow(/agents\[0\]\.stages[\s\S]*ascending rollout percents ending at 100/);
    expect(() => scenarioFromYaml(`${BASE}coordination:\n  stagedRollout: { knobs: [edge.rollout], stages: [1, 50], bake: 10m }\n`)).toThrow(/stagedRollout\.stages[\s\S]*ascending percents ending at 100/);
  });
});
