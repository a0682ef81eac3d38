// Resource budgets a scenario must fit to be accepted: what `validate` refuses so that `run`
// never starts what it cannot finish (a typed array too long, a step count that runs for hours).
// The engine's own bounds (maxEvents) still stop a run that fits these and takes long.
import { SIGNAL_NAMES } from "../model/signals.js";

/** Most world steps (duration / step): a week at 1 s is 604,800; a year at 5 s is 6.3 million. */
export const STEPS_MAX = 20_000_000;
/** Most bytes of sampled telemetry (samples x components x signals x 4 bytes). */
export const TELEMETRY_BYTES_MAX = 1024 * 1024 * 1024;

/** A budget a scenario breaks: the field to blame, what was expected, what was found and a hint. */
export interface BudgetProblem {
  field: "step" | "sampleEvery";
  expected: string;
  found: string;
  hint: string;
}

/** The budgets `durationMs`, `stepMs`, `sampleEveryMs` and `components` break, if any. Pure. */
export function budgetProblems(durationMs: number, stepMs: number, sampleEveryMs: number, components: number): BudgetProblem[] {
  if (!(durationMs > 0) || !(stepMs > 0) || !(sampleEveryMs > 0)) return [];
  const out: BudgetProblem[] = [];
  if (stepMs > durationMs) {
    out.push({ field: "step", expected: `a step no longer than the duration (${durationMs} ms)`, found: `${stepMs} ms`, hint: "a run would be one sample long and pass vacuously; shorten the step" });
  }
  const steps = Math.floor(durationMs / stepMs) + 1;
  if (steps > STEPS_MAX) {
    out.push({ field: "step", expected: `at most ${STEPS_MAX.toLocaleString("en-US")} world steps (duration / step)`, found: `${steps.toLocaleString("en-US")} steps`, hint: "use a longer step or a shorter duration" });
  }
  const samples = Math.floor(durationMs / sampleEveryMs) + 1;
  const bytes = samples * components * SIGNAL_NAMES.length * 4;
  if (bytes > TELEMETRY_BYTES_MAX) {
    const mib = (n: number) => `${Math.round(n / (1024 * 1024)).toLocaleString("en-US")} MB`;
    out.push({ field: "sampleEvery", expected: `telemetry of at most ${mib(TELEMETRY_BYTES_MAX)} (samples x components x ${SIGNAL_NAMES.length} signals x 4 bytes)`, found: `${mib(bytes)} (${samples.toLocaleString("en-US")} samples of ${components} components)`, hint: "sample less often, e.g. `sampleEvery: 1m` (a multiple of step)" });
  }
  return out;
}
