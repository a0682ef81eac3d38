// Whether a run met its expectations, in words that say what that means: a statement about the
// scenario, kept apart from how the system fared (system-health.ts) but worded with it.
//
// The rule for the words, when every expectation held and the run completed:
// - "outage reproduced as expected (n/n)" / "degradation reproduced as expected (n/n)": the
//   system had an outage (or degradation) AND the expectations describe a failure — at least one
//   that held, not vacuously, asks for a finding to occur or for a cascade depth. Expectations
//   that only check values are not read as describing a failure.
// - "prevented as expected (n/n)": the system stayed healthy AND at least one expectation that
//   held, not vacuously, says a finding must NOT occur: the run checks that a failure was
//   prevented, and it was.
// - "expectations met (n/n)": anything else (a pass that claims no more than that).
// Otherwise: "expectations not met (met/total)" (FAIL), "run stopped early: <why>" (FAIL, even
// when every expectation held), "not judged: no expectations" (NOT JUDGED). The label is always
// sim/assert/verdict.ts's verdictLabel, the one rule. Pure.
import { verdictLabel } from "../assert/verdict.js";
import type { ExpectationResult } from "../assert/expectation.js";
import type { ExpectationVerdict, SystemState } from "./types.js";

/** What the verdict reads of each expectation's result. */
export type StoryExpectation = Pick<ExpectationResult, "passed" | "kind" | "expected"> & { vacuous?: string };

export interface ExpectationVerdictInput {
  expectations: readonly StoryExpectation[];
  /** Why the run stopped before its duration, if it did (sim/assert/verdict.ts's incompleteFromLog). */
  incomplete?: string;
  /** How the system fared: words say "reproduced" or "prevented" only with it. */
  system?: { state: SystemState };
}

/** True when `e` asks for a failure to happen (a finding that must occur, a cascade depth). Pure. */
export function describesFailure(e: StoryExpectation): boolean {
  return (e.kind === "finding" && !e.expected.startsWith("no ")) || e.kind === "cascadeDepth";
}

/** True when `e` says a finding must not occur. Pure. */
export function describesPrevention(e: StoryExpectation): boolean {
  return e.kind === "finding" && e.expected.startsWith("no ");
}

/** The verdict in words (see the module header for the rule). Pure. */
export function expectationVerdict(input: ExpectationVerdictInput): ExpectationVerdict {
  const { expectations, incomplete, system } = input;
  const label = verdictLabel({ expectations, incomplete });
  const total = expectations.length;
  const met = expectations.filter((e) => e.passed).length;
  const vacuous = expectations.filter((e) => e.passed && e.vacuous !== undefined).length;
  const count = `(${met}/${total})`;
  let text: string;
  if (incomplete !== undefined) text = `run stopped early: ${incomplete}`;
  else if (total === 0) text = "not judged: no expectations";
  else if (met < total) text = `expectations not met ${count}`;
  else {
    const held = expectations.filter((e) => e.vacuous === undefined);
    if (system?.state === "outage" && held.some(describesFailure)) text = `outage reproduced as expected ${count}`;
    else if (system?.state === "degraded" && held.some(describesFailure)) text = `degradation reproduced as expected ${count}`;
    else if (system?.state === "healthy" && held.some(describesPrevention)) text = `prevented as expected ${count}`;
    else text = `expectations met ${count}`;
  }
  return { label, met, total, vacuous, text };
}
