// Finished runs for the export tests: a scenario file's variant, run and checked once per test
// file, in the shape the exports take (the same fields the CLI passes).
import { readFileSync } from "node:fs";
import { runAndCheck } from "../../sim/assert/check.js";
import type { RunResult } from "../../sim/engine/engine.js";
import type { Verdict } from "../../sim/assert/check.js";
import { loadSuite } from "../../sim/scenario/load.js";
import { repoPath } from "../helpers/scenarios.js";

export interface CheckedRun {
  file: string;
  variant: string;
  run: RunResult;
  verdict: Verdict;
}

/** Runs `variant` of the scenario file at `file` (relative to the repository) and checks it. */
export function checkedRun(file: string, variant?: string): CheckedRun {
  const suite = loadSuite(readFileSync(repoPath(file), "utf8"), file);
  const v = variant === undefined ? suite.variants[0] : suite.variants.find((x) => x.name === variant);
  if (!v) throw new Error(`${file} has no variant ${variant}; it has ${suite.variants.map((x) => x.name).join(", ")}`);
  const { run, verdict } = runAndCheck(v);
  return { file, variant: v.name, run, verdict };
}

/** The input every export takes, from a checked run. */
export function exportInput(c: CheckedRun) {
  return {
    scenario: c.run.scenario.name,
    variant: c.variant,
    seed: c.run.seed,
    finalHash: c.run.finalHash,
    log: c.run.log,
    telemetry: c.run.telemetry,
    findings: c.verdict.findings,
    expectations: c.verdict.expectations,
    scenarioComponents: c.run.scenario.components,
  };
}
