// The verdict the app's header and findings panel show for a run: the shared rule of
// sim/assert/verdict.ts, applied to the run's log, so a run cut short is never PASS. Pure.
import type { EventRecord } from "../../sim/log/record.js";
import { incompleteFromLog, verdictLabel } from "../../sim/assert/verdict.js";
import type { ExpectationResult } from "../../sim/assert/expectation.js";
import { expectationVerdict } from "../../sim/story/verdict-words.js";
import type { ExpectationVerdict, SystemHealth } from "../../sim/story/types.js";

/**
 * "PASS" or "FAIL" for a complete run, undefined while it is simulating. FAIL if the worker's
 * verdict failed, an expectation failed, or the log's `run.ended` record says the run stopped early.
 */
export function appVerdict(run: { complete: boolean; passed: boolean; log: readonly EventRecord[]; expectations: readonly { passed: boolean }[] }): "PASS" | "FAIL" | undefined {
  if (!run.complete) return undefined;
  return run.passed && verdictLabel({ expectations: run.expectations, incomplete: incompleteFromLog(run.log) }) !== "FAIL" ? "PASS" : "FAIL";
}

/**
 * The two facts the app shows apart, for a complete run (undefined while it simulates): the
 * verdict in words ("outage reproduced as expected (16/16)", sim/story/verdict-words.ts) and the
 * system's health ("outage: front served 0% of requests at worst ..."). The worker's story
 * carries both; a payload without one (an older worker) still gets the words, without the
 * system's state, from its expectations and log.
 */
export function appVerdictWords(run: { complete: boolean; log: readonly EventRecord[]; expectations: readonly ExpectationResult[]; story?: { verdict: ExpectationVerdict; system: SystemHealth } }): { verdict: ExpectationVerdict; system?: SystemHealth } | undefined {
  if (!run.complete) return undefined;
  if (run.story !== undefined) return { verdict: run.story.verdict, system: run.story.system };
  return { verdict: expectationVerdict({ expectations: run.expectations, incomplete: incompleteFromLog(run.log) }) };
}
