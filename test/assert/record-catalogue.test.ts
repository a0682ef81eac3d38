// The record catalogue `validate` checks event expectations against: every record type and data
// key the library's scenarios log is in it (so a correct expectation never warns), the engine's
// literal record types are in it, and a misspelt type or key warns with a located hint and makes
// a `== 0` pass vacuous.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { recordCatalogue } from "../../sim/assert/record-catalogue.js";
import { evaluateExpectations } from "../../sim/assert/evaluate.js";
import { runScenario } from "../../sim/engine/engine.js";
import { loadSuite, loadVariant } from "../../sim/scenario/load.js";
import { repoPath } from "../helpers/scenarios.js";

const LIBRARY = [...readdirSync(repoPath("scenarios")).map((f) => `scenarios/${f}`), ...readdirSync(repoPath("docs/examples")).map((f) => `docs/examples/${f}`)].filter((f) => f.endsWith(".yaml")).sort();

describe("record catalogue", () => {
  it.each(LIBRARY)("covers every record type and data key %s logs, in every variant", (file) => {
    const suite = loadSuite(readFileSync(repoPath(file), "utf8"), file);
    expect(suite.warnings).toEqual([]);
    for (const variant of suite.variants) {
      const catalogue = recordCatalogue(variant.scenario);
      const missing = new Set<string>();
      for (const r of runScenario(variant.scenario).log) {
        const keys = catalogue.get(r.type);
        if (!keys) missing.add(r.type);
        else for (const k of Object.keys(r.data)) if (!keys.has(k)) missing.add(`${r.type} ${k}`);
      }
      expect([...missing], `${file} [${variant.name}]`).toEqual([]);
    }
  }, 60_000);

  it("holds every record type the engine names literally", () => {
    const dir = repoPath("sim/engine");
    const sources = readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => readFileSync(`${dir}/${f}`, "utf8"));
    const literal = new Set<string>();
    for (const text of sources) {
      for (const m of text.matchAll(/type: "([a-z][A-Za-z]*\.[a-z][A-Za-z]*)"/g)) literal.add(m[1]);
      for (const m of text.matchAll(/this\.draft\([^,]+, "([a-z][A-Za-z]*\.[a-z][A-Za-z]*)"/g)) literal.add(m[1]);
      for (const m of text.matchAll(/return "([a-z][A-Za-z]*\.[a-z][A-Za-z]*)";/g)) literal.add(m[1]);
    }
    // A documentStore scenario, and one whose agents log and send load (those records are only in catalogues of scenarios that use the actions).
    const scenarios = ["scenarios/azure-front-door-lkg.yaml", "docs/examples/cache-warmer.yaml"].map((f) => loadVariant(readFileSync(repoPath(f), "utf8")).scenario);
    const everything = new Set([...scenarios.flatMap((s) => [...recordCatalogue(s).keys()]), ...knobTypesOfEveryKind()]);
    expect(literal.size).toBeGreaterThan(15);
    expect([...literal].filter((t) => !everything.has(t))).toEqual([]);
  });
});

/** Knob record types come from the knob -> type rule; list them for every rule branch. */
function knobTypesOfEveryKind(): string[] {
  return ["replicas.scaled", "weight.changed", "inService.changed", "record.updated", "resources.resized", "shards.migrated", "config.deployed", "rollout.changed", "flag.changed", "knob.changed"];
}

const SCENARIO = `name: vacuous
seed: 1
duration: 30m
step: 10s
components:
  - { id: web, kind: service, replicas: 3, capacityPerReplica: 100/s }
workload:
  - { id: users, target: web, pattern: { kind: constant, rate: 100/s } }
agents:
  - { id: perf, kind: performance, target: web, latencyP95Max: 60ms }
expect:
`;

describe("expectations that can never match", () => {
  it("a misspelt record type warns at its line with the closest type, and its == 0 pass is vacuous", () => {
    const suite = loadSuite(`${SCENARIO}  - { event: replicas.scalde, count: "== 0" }\n  - { event: replicas.scaled, data: { knbo: replicas }, count: "== 0" }\n  - { event: replicas.scaled, count: "== 0" }\n`, "v.yaml");
    expect(suite.warnings.map((w) => `${w.line}:${w.col} ${w.found} | ${w.hint}`)).toEqual([
      '12:14 "replicas.scalde", which no record of this scenario has, so this never matches | did you mean `replicas.scaled`?',
      '13:45 "knbo", which replicas.scaled records never carry, so this never matches | did you mean `knob`?',
    ]);
    const variant = suite.variants[0];
    const results = evaluateExpectations(variant.expectations, runScenario(variant.scenario), []);
    expect(results.map((r) => [r.passed, r.vacuous])).toEqual([
      [true, "no record of this scenario has type replicas.scalde"],
      [true, "replicas.scaled records never carry the data key knbo"],
      [true, undefined],
    ]);
  });

  it("record types follow the scenario: document records only with a documentStore, knob records per knob", () => {
    const suite = loadSuite(`${SCENARIO}  - { event: document.put, count: "== 0" }\n  - { event: weight.changed, count: "== 0" }\n`, "v.yaml");
    expect(suite.warnings.map((w) => w.found)).toEqual([expect.stringMatching(/^"document.put"/), expect.stringMatching(/^"weight.changed"/)]);
  });

  it("a relative-timing expectation whose trigger never occurs passes vacuously", () => {
    const variant = loadVariant(`${SCENARIO}  - { event: replicas.scaled, after: { event: fault.started }, within: 5m }\n`, "v.yaml");
    const [r] = evaluateExpectations(variant.expectations, runScenario(variant.scenario), []);
    expect([r.passed, r.vacuous]).toEqual([true, "the trigger (fault.started records) never occurred"]);
  });
});
