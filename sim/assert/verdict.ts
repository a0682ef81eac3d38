// The one verdict rule every consumer shows (CLI, JUnit, HTML report, app): a run that stopped
// early is never a pass. Pure and dependency-free, so the app's main thread can import it.
import type { EventRecord } from "../log/record.js";
import { jsonText } from "../log/json-text.js";

/** How a run is labelled wherever a verdict is shown (CLI, JUnit, HTML report, app). */
export type VerdictLabel = "PASS" | "FAIL" | "NOT JUDGED";

/**
 * Why `log`'s run stopped before its duration, read from its last record (`run.ended`, which is
 * in the hash chain), or undefined if it completed or does not say. Pure. This is how a saved run
 * file, which has no stop reason besides its records, is known to be bounded.
 */
export function incompleteFromLog(log: readonly EventRecord[]): string | undefined {
  const last = log[log.length - 1];
  if (last === undefined || last.type !== "run.ended") return undefined;
  const data = (last.data ?? {}) as { reason?: unknown; bound?: unknown };
  if (data.reason === undefined || data.reason === "completed") return undefined;
  return typeof data.bound === "string" ? data.bound : `the run stopped early (${jsonText(data.reason)})`;
}

/**
 * The one verdict rule: FAIL if the run stopped early or an expectation failed, PASS if it has
 * expectations and all held, NOT JUDGED if it has none. Pure.
 */
export function verdictLabel(verdict: { expectations: readonly { passed: boolean }[]; incomplete?: string }): VerdictLabel {
  if (verdict.incomplete !== undefined || verdict.expectations.some((e) => !e.passed)) return "FAIL";
  return verdict.expectations.length > 0 ? "PASS" : "NOT JUDGED";
}
