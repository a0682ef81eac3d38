// The verdict the app's header and findings panel show for a run: the shared rule of
// sim/assert/verdict.ts, applied to the run's log, so a run cut short is never PASS. Pure.
import type { EventRecord } from "../../sim/log/record.js";
import { incompleteFromLog, verdictLabel } from "../../sim/assert/verdict.js";

/**
 * "PASS" or "FAIL" for a complete run, undefined while it is simulating. FAIL if the worker's
 * verdict failed, an expectation failed, or the log's `run.ended` record says the run stopped early.
 */
export function appVerdict(run: { complete: boolean; passed: boolean; log: readonly EventRecord[]; expectations: readonly { passed: boolean }[] }): "PASS" | "FAIL" | undefined {
  if (!run.complete) return undefined;
  return run.passed && verdictLabel({ expectations: run.expectations, incomplete: incompleteFromLog(run.log) }) !== "FAIL" ? "PASS" : "FAIL";
}
