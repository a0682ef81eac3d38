// `crossfire expand` and docs/examples/twenty-sites.yaml (issue 16 item 1, "Must show"): twenty
// templated sites with their agents in under 80 lines, whose expanded form validates and runs
// exactly as the templated file does (every record after #0, which binds the scenario text).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { loadSuite, loadVariant } from "../../sim/scenario/load.js";
import { crossfire } from "../helpers/cli.js";
import { repoPath } from "../helpers/scenarios.js";

const FILE = "docs/examples/twenty-sites.yaml";
const text = readFileSync(repoPath(FILE), "utf8");

/** A run's records after #0 without their chain fields: what the scenario made happen. */
function eventsAfterRecordZero(scenarioText: string, file: string, variant: string): string[] {
  const run = runScenario(loadVariant(scenarioText, file, variant).scenario);
  return run.log.slice(1).map(({ hash: _h, prev: _p, ...record }) => JSON.stringify(record));
}

describe("docs/examples/twenty-sites.yaml", () => {
  it("is under 80 lines", () => {
    expect(text.trimEnd().split("\n").length).toBeLessThan(80);
  });

  it("expands to 20 sites, each with its own agent and workload", () => {
    const r = crossfire(["expand", FILE]);
    expect(r.code).toBe(0);
    const expanded = parse(r.stdout) as { components: { id: string }[]; agents: { id: string; states: unknown }[]; workload: unknown[]; definitions?: unknown };
    const webs = expanded.components.filter((c) => c.id.startsWith("web-"));
    expect(webs.map((c) => c.id)).toEqual(Array.from({ length: 20 }, (_, i) => `web-${String(i + 1).padStart(2, "0")}`));
    expect(expanded.agents.map((a) => a.id)).toEqual(Array.from({ length: 20 }, (_, i) => `scaler-${String(i + 1).padStart(2, "0")}`));
    expect(JSON.stringify(expanded.agents[6].states)).toContain('"web-07"');
    expect(expanded.workload).toHaveLength(20);
    expect(expanded.definitions).toBeUndefined();
    expect(r.stdout.length).toBeGreaterThan(text.length * 5);
  });

  it("runs exactly as its expanded form, variant by variant (every record after #0)", () => {
    const dir = mkdtempSync(join(tmpdir(), "crossfire-expand-"));
    const expandedFile = join(dir, "twenty-sites.expanded.yaml");
    writeFileSync(expandedFile, crossfire(["expand", FILE]).stdout);
    expect(crossfire(["validate", expandedFile]).code).toBe(0);
    const expandedText = readFileSync(expandedFile, "utf8");
    for (const variant of ["blind", "coordinated"]) {
      const templated = eventsAfterRecordZero(text, FILE, variant);
      expect(templated.length).toBeGreaterThan(20);
      expect(eventsAfterRecordZero(expandedText, expandedFile, variant)).toEqual(templated);
      // `--variant` prints the one merged scenario the engine runs for that variant.
      const single = crossfire(["expand", FILE, "--variant", variant]).stdout;
      expect(parse(single).variants).toBeUndefined();
      expect(eventsAfterRecordZero(single, "single.yaml", "default")).toEqual(templated);
    }
  });

  it("tells its story: blind scales all twenty at once, coordinated staggers them", () => {
    const suite = loadSuite(text, FILE);
    const scaled = (variant: string) => runScenario(suite.variants.find((v) => v.name === variant)!.scenario).log.filter((r) => r.type === "replicas.scaled" && r.t < 331_000).length;
    expect(scaled("blind")).toBe(20);
    expect(scaled("coordinated")).toBe(4);
    expect(crossfire(["test", FILE]).code).toBe(0);
  });
});

describe("crossfire expand", () => {
  it("has help text with examples", () => {
    const r = crossfire(["expand", "--help"]);
    expect(r.stdout.replace(/\s+/g, " ")).toContain("templates (forEach, ${...}, definitions, merge keys) expanded, as YAML");
    expect(r.stdout).toContain("crossfire expand docs/examples/twenty-sites.yaml --variant coordinated");
  });

  it("prints a file without templates unchanged in meaning", () => {
    const r = crossfire(["expand", "docs/examples/first-scenario.yaml"]);
    expect(r.code).toBe(0);
    const original = loadSuite(readFileSync(repoPath("docs/examples/first-scenario.yaml"), "utf8"), "a.yaml");
    const again = loadSuite(r.stdout, "b.yaml");
    expect(again.variants.map((v) => ({ ...v.scenario, sourceSha256: "" }))).toEqual(original.variants.map((v) => ({ ...v.scenario, sourceSha256: "" })));
  });

  it("exits 2 with the located problem on a bad file or an unknown variant", () => {
    const bad = crossfire(["expand", "test/errors/template-unknown-variable.yaml"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(readFileSync(repoPath("test/errors/template-unknown-variable.expected.txt"), "utf8"));
    const unknown = crossfire(["expand", FILE, "--variant", "blnd"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/did you mean `blind`\?/);
  });

  it("expands a variant that replaces definitions only on its own", () => {
    const dir = mkdtempSync(join(tmpdir(), "crossfire-expand-"));
    const file = join(dir, "wide.yaml");
    writeFileSync(file, `${text}  wide:\n    definitions: { unused: 1 }\n`);
    const whole = crossfire(["expand", file]);
    expect(whole.code).toBe(2);
    expect(whole.stderr).toMatch(/variants\.wide\.definitions: expected a variant to expand on its own, .*\n  hint: expand it with `--variant wide`/);
    expect(crossfire(["expand", file, "--variant", "wide"]).code).toBe(0);
  });
});
