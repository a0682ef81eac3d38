// What the simulation worker sends the UI: plain, structured-clone-friendly data about one run.
// The UI only reads this (DESIGN.md: ui/ reads results; it never reaches into engine internals).
import type { ExpectationResult } from "../../sim/assert/expectation.js";
import type { Finding } from "../../sim/detect/finding.js";
import type { EventRecord } from "../../sim/log/record.js";
import type { Problem } from "../../sim/scenario/problems.js";
import type { Intervention } from "../../sim/engine/interventions.js";
import type { IncidentSummary } from "../../sim/story/types.js";

export interface ComponentInfo {
  id: string;
  kind: string;
  /** Ids this component calls (dependencies, load balancer / DNS targets, clients' target). */
  calls: string[];
}

export interface TelemetryPayload {
  componentIds: string[];
  signalNames: string[];
  count: number;
  times: Float64Array;
  /** Row-major: sample r, component c, signal s at r * width + c * signalNames.length + s. */
  values: Float32Array;
  /**
   * Group aggregates (group ids x aggregate names such as `sum.replicas`, NaN where a group does
   * not sample a name), in the same layout; arrives with the complete run, absent without groups.
   */
  groups?: TelemetryPayload;
}

export interface RunPayload extends Omit<RunHead, "telemetry"> {
  /**
   * One run's identity across its partial updates: while the worker simulates, the UI receives
   * successive RunPayload objects with the same runId whose `log` and `agentStates` are the same
   * arrays grown by push and whose `telemetry.count` grows (views may extend instead of rebuild).
   */
  runId: number;
  /** False while the worker is still simulating: the payload holds the run up to `reachedMs`, and `findings` and `expectations` are empty. */
  complete: boolean;
  /** Simulated time the payload covers (the duration once complete). */
  reachedMs: number;
  finalHash: string;
  log: EventRecord[];
  telemetry: TelemetryPayload;
  agentStates: { t: number; agent: string; state: string }[];
  findings: Finding[];
  expectations: ExpectationResult[];
  passed: boolean;
  /** The run's story (sim/story): verdict in words, system health, incident phases; set once the run is complete. */
  story?: IncidentSummary;
}

/** What is known of a run before it starts: the first message the worker sends for a request. */
export interface RunHead {
  scenario: string;
  description: string;
  variant?: string;
  variants: string[];
  seed: string | number;
  durationMs: number;
  components: ComponentInfo[];
  agents: string[];
  telemetry: { componentIds: string[]; signalNames: string[]; capacity: number };
  /** For a saved file's run: the scenario it embeds and how it was run, for the app to adopt. */
  opened?: { scenarioFile: string; scenarioText: string; seed: string | number };
}

/** What a run produced since the previous chunk: new records, state changes and telemetry rows. */
export interface RunChunk {
  reachedMs: number;
  log: EventRecord[];
  agentStates: { t: number; agent: string; state: string }[];
  /** New telemetry rows: their times, and their values row-major as in TelemetryPayload. */
  times: Float64Array;
  values: Float32Array;
}

/**
 * Worker -> UI messages. A run streams: `started` (the head), any number of `progress` chunks
 * while it simulates, then `result` (the last chunk and the verdict) or `error`.
 */
export type WorkerReply =
  | { type: "started"; requestId: number; head: RunHead }
  | { type: "progress"; requestId: number; chunk: RunChunk }
  | { type: "result"; requestId: number; chunk: RunChunk; finalHash: string; findings: Finding[]; expectations: ExpectationResult[]; passed: boolean; groups?: TelemetryPayload; story?: IncidentSummary }
  | { type: "error"; requestId: number; message: string; problems?: Problem[] };

/** UI -> worker: run scenario text (one variant, optional seed override). */
export interface RunRequest {
  type: "run";
  requestId: number;
  text: string;
  file: string;
  variant?: string;
  seed?: string | number;
  /** Counterfactual changes (sim/engine/interventions.ts): a what-if run. */
  interventions?: Intervention[];
  /** Edited text may no longer declare `variant`: then run its first variant instead of failing. */
  variantOptional?: boolean;
  /** The re-run must end at this hash, or it is refused (as a saved run that does not reproduce). */
  expectFinalHash?: string;
  /**
   * `text` is a saved run file or HTML report named `file` (ui/model/saved-file.ts): the worker
   * reads it (verifying a run file's hash chain off the UI thread), re-runs its scenario, variant
   * and seed, and requires its final hash. `variant` and `seed` are then ignored.
   */
  saved?: boolean;
}

/** The samples of one signal of one component (a view over the payload; copies). */
export function series(t: TelemetryPayload, component: string, signal: string): Float32Array {
  if (t.groups !== undefined && !t.componentIds.includes(component) && t.groups.componentIds.includes(component)) return series(t.groups, component, signal);
  // A component's derived signal (sim/expr/derived.ts) is sampled beside the group aggregates.
  if (t.groups !== undefined && !t.signalNames.includes(signal) && t.groups.componentIds.includes(component) && t.groups.signalNames.includes(signal)) return series(t.groups, component, signal);
  const c = t.componentIds.indexOf(component);
  const s = t.signalNames.indexOf(signal);
  const out = new Float32Array(t.count);
  if (c < 0 || s < 0) return out;
  const width = t.componentIds.length * t.signalNames.length;
  const column = c * t.signalNames.length + s;
  for (let r = 0; r < t.count; r++) out[r] = t.values[r * width + column];
  return out;
}

/** Index of the last sample at or before `tMs` (binary search), or 0. */
export function sampleAt(t: TelemetryPayload, tMs: number): number {
  let lo = 0;
  let hi = t.count - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t.times[mid] <= tMs) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Index of the first log record after `tMs` (records are in time order). */
export function recordsUntil(log: readonly EventRecord[], tMs: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (log[mid].t <= tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
