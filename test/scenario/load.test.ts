// The minimal scenario loader: valid files resolve with defaults; bad files produce every
// problem at once with file:line:col, what was expected, what was found and a hint.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import { loadScenarioFile } from "../helpers/scenarios.js";

function problemsOf(text: string): ScenarioError {
  try {
    loadScenario(text, "bad.yaml");
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error("expected a ScenarioError");
}

const valid = `name: ok
seed: 1
duration: 10m
components:
  - id: web
    kind: service
    dependsOn: [db]
  - id: db
    kind: database
workload:
  - { id: users, target: web, pattern: { kind: constant, rate: 100/s } }
`;

describe("loadScenario", () => {
  it("loads the shipped scenario with units converted", () => {
    const s = loadScenarioFile("cost-vs-performance");
    expect(s.durationMs).toBe(4 * 3_600_000);
    expect(s.stepMs).toBe(5000);
    expect(s.agents.map((a) => a.kind)).toEqual(["performance", "cost"]);
    expect(Object.isFrozen(s)).toBe(true);
  });

  it("applies documented defaults", () => {
    const s = loadScenario(valid, "ok.yaml");
    expect(s.stepMs).toBe(1000);
    expect(s.components[0]).toMatchObject({ kind: "service", replicas: 2, capacityPerReplicaRps: 100, baseLatencyMs: 20 });
    expect(s.components[1]).toMatchObject({ kind: "database", replicas: 1, capacityPerReplicaRps: 2000 });
  });

  it("reports an unknown key at its line and column with a did-you-mean hint", () => {
    const e = problemsOf(valid.replace("    kind: database", "    kind: database\n    replica: 3"));
    expect(e.problems).toHaveLength(1);
    expect(e.message).toContain("bad.yaml:10:5: components[1].replica: expected a known key, found unknown key `replica`");
    expect(e.message).toContain("did you mean `replicas`?");
  });

  it("reports a bad duration with the expected form", () => {
    const e = problemsOf(valid.replace("duration: 10m", "duration: 10 minutes"));
    expect(e.problems[0]).toMatchObject({ path: ["duration"], line: 3, col: 11 });
    expect(e.message).toMatch(/duration made of <number><unit> parts/);
  });

  it("reports an unknown reference with the known ids", () => {
    const e = problemsOf(valid.replace("dependsOn: [db]", "dependsOn: [dbb]"));
    expect(e.message).toMatch(/bad\.yaml:7:\d+: components\[0\]\.dependsOn\[0\]: expected the id of a component \(web, db\), found "dbb"/);
    expect(e.message).toContain("did you mean `db`?");
  });

  it("reports a dependency cycle by naming it", () => {
    const e = problemsOf(valid.replace("    kind: database", "    kind: database\n    dependsOn: [web]"));
    expect(e.message).toMatch(/the cycle web -> db -> web/);
  });

  it("collects several problems together, sorted by line", () => {
    const e = problemsOf(valid.replace("seed: 1", "seed: [1]").replace("rate: 100/s", "rate: fast"));
    expect(e.problems.length).toBe(2);
    expect(e.problems[0].line).toBeLessThan(e.problems[1].line);
  });

  it("refuses empty files, YAML syntax errors, __proto__ keys and alias bombs", () => {
    expect(problemsOf("").message).toMatch(/found an empty file/);
    expect(problemsOf("# only a comment\n").message).toMatch(/found an empty file/);
    expect(problemsOf("name: [unclosed\n").message).toMatch(/bad\.yaml:\d+:\d+: .*expected valid YAML/);
    expect(problemsOf(valid + "__proto__: { polluted: true }\n").message).toMatch(/found "__proto__"/);
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n");
    expect(problemsOf(bomb).message).toMatch(/alias/);
  });

  it("refuses a file above the size limit", () => {
    expect(problemsOf(`# ${"x".repeat(1024 * 1024 + 1)}\n${valid}`).message).toMatch(/at most 1048576 bytes/);
  });
});
