// What detectors report: findings are data (never exceptions), each naming what went wrong,
// between whom, when, the minimal set of log records that show it, and why in plain sentences.
import type { Scenario } from "../scenario/types.js";
import type { EventRecord } from "../log/record.js";
import type { Telemetry } from "../engine/telemetry.js";

/** The kinds of findings Crossfire names (DESIGN.md, Findings). */
export const FINDING_KINDS = ["thrashing", "oscillation", "flapping", "cascade", "lostUpdate", "retryStorm", "intentAttribution"] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export type Severity = "info" | "warning" | "critical";

/** One thing that went wrong in a run. Times are simulated milliseconds. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** Simulated time of the first and last witness. */
  from: number;
  to: number;
  /** Everything involved, for display: actors, `component.knob`s and component ids. */
  subjects: string[];
  /** Actors (agents, faults) whose actions make up the finding, sorted. */
  actors: string[];
  /** Components involved, sorted (for a cascade: from the root outward). */
  components: string[];
  /** The knob or document at stake as `component.knob` (thrashing, lost update), if any. */
  knob?: string;
  /** The minimal set of log seqs that show the finding, ascending. */
  witnesses: number[];
  /** Seqs of the events that started it (faults or agent commands), best first; may be empty. */
  rootCauses: number[];
  /** Kind-specific measurements, e.g. `reversals`, `depth`, `wastedChanges`. */
  metrics: Record<string, number>;
  /** Plain sentences naming actors, values, thresholds and times. */
  explanation: string[];
}

/** What detectors read: the same whether the run is live or loaded from a run file. */
export interface RunView {
  scenario: Scenario;
  log: readonly EventRecord[];
  telemetry: Telemetry;
  /**
   * When each agent's machine entered each state (the engine's state trace; not in the hash chain
   * and not stored in run files: opening a run file re-derives it by re-running when needed).
   */
  agentStates?: readonly { t: number; agent: string; state: string }[];
}
