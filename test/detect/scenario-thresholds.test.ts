// Per-scenario detector thresholds: a `detectors:` section (and a variant's override of it)
// resolves to detector options in milliseconds, and changes what a run's verdict finds.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkRun } from "../../sim/assert/check.js";
import { detect } from "../../sim/detect/index.js";
import { runScenario } from "../../sim/engine/engine.js";
import { loadSuite } from "../../sim/scenario/load.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";

const full = readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8");
/** The scenario without its `expect` and `variants` blocks (they come last in the file). */
const base = full.slice(0, full.indexOf("\nexpect:") + 1);

describe("detectors: in a scenario file", () => {
  it("resolves durations to milliseconds and keeps only the fields given", () => {
    const scenario = scenarioFromYaml(`${base}detectors:\n  thrashWindow: 2h\n  flapWindow: 10m\n  retryStormPersist: 30s\n  intentWindow: 1m\n  retryAmplificationMin: 2\n  cascadeDepthMin: 3\n`);
    expect(scenario.detectors).toEqual({ thrashWindowMs: 7_200_000, flapWindowMs: 600_000, retryStormPersistMs: 30_000, intentWindowMs: 60_000, retryAmplificationMin: 2, cascadeDepthMin: 3 });
    expect(scenarioFromYaml(base).detectors).toBeUndefined();
  });

  it("thrashReversalsMin: 1000 silences thrashing on cost-vs-performance, in detect and in the verdict", () => {
    const blind = runScenario(scenarioFromYaml(base));
    expect(detect(blind, blind.scenario.detectors).filter((f) => f.kind === "thrashing")).toHaveLength(1);
    const lenient = runScenario(scenarioFromYaml(`${base}detectors:\n  thrashReversalsMin: 1000\n`));
    expect(lenient.scenario.detectors).toEqual({ thrashReversalsMin: 1000 });
    expect(detect(lenient, lenient.scenario.detectors).filter((f) => f.kind === "thrashing")).toEqual([]);

    const mustNotThrash = "expect:\n  - { finding: thrashing, must: not occur }\n";
    const [plain] = loadSuite(`${base}${mustNotThrash}`, "test.yaml").variants;
    expect(checkRun(plain, blind).passed).toBe(false);
    const [quiet] = loadSuite(`${base}detectors:\n  thrashReversalsMin: 1000\n${mustNotThrash}`, "test.yaml").variants;
    expect(checkRun(quiet, lenient).passed).toBe(true);
  });

  it("lets a variant override thresholds, merged into the top-level section", () => {
    const text = `${base}detectors:\n  thrashWindow: 2h\nvariants:\n  plain: {}\n  lenient:\n    detectors: { thrashReversalsMin: 1000 }\n`;
    const suite = loadSuite(text, "test.yaml");
    expect(suite.variants.map((v) => [v.name, v.scenario.detectors])).toEqual([
      ["plain", { thrashWindowMs: 7_200_000 }],
      ["lenient", { thrashWindowMs: 7_200_000, thrashReversalsMin: 1000 }],
    ]);
  });

  it("rejects unknown fields, bad durations and counts below 1 with the path", () => {
    expect(() => scenarioFromYaml(`${base}detectors:\n  thrashReversals: 5\n`)).toThrow(/detectors/);
    expect(() => scenarioFromYaml(`${base}detectors:\n  thrashWindow: soon\n`)).toThrow(/detectors\.thrashWindow/);
    expect(() => scenarioFromYaml(`${base}detectors:\n  healthFlipsMin: 0\n`)).toThrow(/detectors\.healthFlipsMin/);
    expect(() => scenarioFromYaml(`${base}variants:\n  v:\n    detectors: { intentWindow: 5 }\n`)).toThrow(/intentWindow/);
  });
});
