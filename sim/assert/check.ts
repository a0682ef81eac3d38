// One variant's verdict: run the detectors over a finished run and evaluate the variant's
// expectations against the run and its findings. Pure (the run is already done).
import { runScenario, type RunOptions, type RunResult } from "../engine/engine.js";
import { detect } from "../detect/index.js";
import type { Finding, RunView } from "../detect/finding.js";
import type { ScenarioVariant } from "../scenario/load.js";
import { evaluateExpectations } from "./evaluate.js";
import type { ExpectationResult } from "./expectation.js";
import { incompleteFromLog, verdictLabel } from "./verdict.js";

export interface Verdict {
  findings: Finding[];
  expectations: ExpectationResult[];
  /** Every expectation held and the run reached its duration. */
  passed: boolean;
  /** Why the verdict is a failure even though no expectation failed (a run cut short), if so. */
  incomplete?: string;
}

/**
 * Detects findings in `run` and checks `variant`'s expectations against them. A view without a
 * stop reason (a saved run) is judged by its log's `run.ended` record.
 */
export function checkRun(variant: ScenarioVariant, run: RunView & Partial<Pick<RunResult, "stopReason" | "boundMessage">>): Verdict {
  const findings = detect(run, run.scenario.detectors);
  const expectations = evaluateExpectations(variant.expectations, run, findings);
  // Expectations about a run that stopped early would judge a different run: never a pass.
  const incomplete =
    run.stopReason === undefined ? incompleteFromLog(run.log) : run.stopReason === "completed" ? undefined : (run.boundMessage ?? `the run stopped early (${run.stopReason})`);
  return { findings, expectations, passed: verdictLabel({ expectations, incomplete }) !== "FAIL", incomplete };
}

/** Runs `variant` and checks it: the one code path `crossfire run`, `crossfire test` and the project's own scenario tests share. */
export function runAndCheck(variant: ScenarioVariant, options: RunOptions = {}): { run: RunResult; verdict: Verdict } {
  const run = runScenario(variant.scenario, options);
  return { run, verdict: checkRun(variant, run) };
}
