// The story of a run, as every surface tells it first (the app's summary panel, the HTML report's
// opening, `crossfire run`'s first lines, JUnit names, sweep and what-if): two separate facts —
// whether the run did what its expectations say (a verdict about the scenario) and how the
// simulated system fared (healthy, degraded, outage) — and an incident summary read from the log
// and the findings. Pure data, structured-clone friendly (the worker sends it to the app).
import type { VerdictLabel } from "../assert/verdict.js";

/** How the simulated system fared over the run, independent of any expectation. */
export type SystemState = "healthy" | "degraded" | "outage";

export interface SystemHealth {
  state: SystemState;
  /**
   * The lowest availability (1 - errorRate, 0..1) any user-facing component had, averaged over
   * the worst sampled window; 1 when nothing ever failed. NaN never appears: no data means 1.
   */
  worstAvailability: number;
  /** The component with that availability, when one fell below 1. */
  worstComponent?: string;
  /** Total simulated time any component was unhealthy (ms, union of intervals). */
  unhealthyMs: number;
  /** One line for people: "outage: front served 2.6% of requests at worst (00:09–00:24)". */
  text: string;
}

/** Whether the run met its expectations: a statement about the scenario, not about the system. */
export interface ExpectationVerdict {
  /** The shared rule's label (sim/assert/verdict.ts): PASS, FAIL or NOT JUDGED. */
  label: VerdictLabel;
  met: number;
  total: number;
  /** Expectations that passed but could never have failed (unknown event types or keys). */
  vacuous: number;
  /**
   * The words shown wherever a verdict is shown: "outage reproduced as expected (16/16)",
   * "prevented as expected (12/12)", "expectations met (5/5)", "expectations not met (5/16)",
   * "not judged: no expectations", "run stopped early: <why>".
   */
  text: string;
}

/** One step of the incident, in the order an SRE tells it. */
export type IncidentPhaseKind = "trigger" | "impact" | "detection" | "mitigation" | "recovery";

export interface IncidentPhase {
  kind: IncidentPhaseKind;
  /** Simulated time (ms) the phase starts. */
  t: number;
  /** How long it lasted, when it has an end (impact until recovery, for instance). */
  durationMs?: number;
  /** The record that marks it, when one does (#seq in every rendering). */
  seq?: number;
  /** One sentence, with the #seq and human times/durations already in it. */
  text: string;
}

export interface IncidentSummary {
  /** One line: what happened, for the top of every surface. */
  headline: string;
  verdict: ExpectationVerdict;
  system: SystemHealth;
  /** The phases that happened, in time order (a healthy run has none). */
  phases: IncidentPhase[];
  /** The root cause in one sentence with its #seq, when the analysis names one. */
  rootCause?: { seq: number; t: number; actor: string; sentence: string };
  /** The scenario's description split into its published facts and the simulator's choices. */
  description: {
    text: string;
    facts?: string;
    choices?: string;
    source?: string;
    /** The variant's own description, when it has one besides the file's (e.g. "As deployed: no fencing, ..."). */
    variant?: string;
  };
}
