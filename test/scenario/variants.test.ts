import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { mergeVariant } from "../../sim/scenario/variants.js";
import { loadScenario, loadSuite, loadVariant } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";

const BASE = `name: pair
seed: 1
duration: 10m
components:
  - { id: web, kind: service, replicas: 4 }
  - { id: db, kind: database }
agents:
  - { id: perf, kind: performance, target: web }
  - { id: cost, kind: cost, target: web }
expect:
  - { component: db, never: unhealthy }
`;

function problemsOf(text: string, variant?: string) {
  try {
    loadVariant(text, "v.yaml", variant);
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  throw new Error("loaded");
}

describe("variants", () => {
  it("merge mappings deeply, id lists by id, and append a variant's expectations", () => {
    const text = `${BASE}variants:
  blind: {}
  coordinated:
    description: lease on the knob
    coordination: { lease: { knobs: [web.replicas] } }
    agents: [{ id: cost, cooldown: 10m }, { id: perf, remove: true }, { id: extra, kind: cost, target: db }]
    expect:
      - { rejected: ">= 0" }
`;
    const suite = loadSuite(text, "v.yaml");
    expect(suite.variants.map((v) => v.name)).toEqual(["blind", "coordinated"]);
    const [blind, coordinated] = suite.variants;
    expect(blind.scenario.agents.map((a) => a.id)).toEqual(["perf", "cost"]);
    expect(blind.scenario.coordination.lease).toBeUndefined();
    expect(blind.expectations.map((e) => e.kind)).toEqual(["state"]);
    expect(coordinated.scenario.agents.map((a) => a.id)).toEqual(["cost", "extra"]);
    expect(coordinated.scenario.agents[0]).toMatchObject({ id: "cost", cooldownMs: 600_000 });
    expect(coordinated.scenario.coordination.lease?.knobs).toEqual(["web.replicas"]);
    expect(coordinated.scenario.description).toBe("lease on the knob");
    expect(coordinated.scenario.variant).toBe("coordinated");
    expect(coordinated.expectations.map((e) => [e.kind, e.line])).toEqual([
      ["state", 11],
      ["rejected", 19],
    ]);
  });

  it("a file without variants is one variant called default", () => {
    const suite = loadSuite(BASE, "v.yaml");
    expect(suite.declaresVariants).toBe(false);
    expect(suite.variants.map((v) => v.name)).toEqual(["default"]);
    expect(suite.variants[0].scenario.variant).toBeUndefined();
  });

  it("maps a problem in a merged variant back to the variant's line", () => {
    const text = `${BASE}variants:
  fast:
    components:
      - { id: web, replicaz: 3 }
`;
    const [p] = problemsOf(text);
    expect(p).toMatchObject({ line: 15, found: "unknown key `replicaz`", hint: "did you mean `replicas`?" });
    expect(p.path).toEqual(["variants", "fast", "components", 0, "replicaz"]);
  });

  it("names a misspelt id of an item to change", () => {
    const text = `${BASE}variants:
  fast:
    agents: [{ id: perff, cooldown: 1m }]
`;
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 14, found: '"perff"', hint: "did you mean `perf`?" });
  });

  it("reports an unknown variant at `variants:` with a hint", () => {
    const text = `${BASE}variants:\n  blind: {}\n  coordinated: {}\n`;
    const [p] = problemsOf(text, "coordinatd");
    expect(p).toMatchObject({ line: 12, found: '"coordinatd"', hint: "did you mean `coordinated`?" });
    expect(p.expected).toContain("blind, coordinated");
    expect(loadScenario(text, "v.yaml").variant).toBe("blind");
  });

  it("records where merged values came from", () => {
    const raw = parse(`${BASE}variants:\n  v:\n    coordination: { cooldown: { knobs: [web.replicas], cooldown: 1m } }\n    components: [{ id: db, replicas: 3 }]\n`);
    const merged = mergeVariant(raw, "v");
    expect(merged.sourceOf(["coordination", "cooldown", "cooldown"])).toEqual(["variants", "v", "coordination", "cooldown", "cooldown"]);
    expect(merged.sourceOf(["components", 1, "replicas"])).toEqual(["variants", "v", "components", 0, "replicas"]);
    expect(merged.sourceOf(["components", 1, "kind"])).toEqual(["components", 1, "kind"]);
    expect(merged.sourceOf(["agents", 0, "target"])).toEqual(["agents", 0, "target"]);
    expect(merged.value.variants).toBeUndefined();
  });
});
