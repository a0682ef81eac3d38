// What the simulation worker sends the UI: plain, structured-clone-friendly data about one run.
// The UI only reads this (DESIGN.md: ui/ reads results; it never reaches into engine internals).
import type { ExpectationResult } from "../../sim/assert/expectation.js";
import type { Finding } from "../../sim/detect/finding.js";
import type { EventRecord } from "../../sim/log/record.js";
import type { Problem } from "../../sim/scenario/problems.js";
import type { Intervention } from "../../sim/engine/interventions.js";

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
}

export interface RunPayload {
  scenario: string;
  description: string;
  variant?: string;
  variants: string[];
  seed: string | number;
  durationMs: number;
  finalHash: string;
  components: ComponentInfo[];
  agents: string[];
  log: EventRecord[];
  telemetry: TelemetryPayload;
  agentStates: { t: number; agent: string; state: string }[];
  findings: Finding[];
  expectations: ExpectationResult[];
  passed: boolean;
}

/** Worker -> UI messages. */
export type WorkerReply =
  | { type: "result"; requestId: number; run: RunPayload }
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
  /** Opening a saved run file: the re-run must end at this hash, or the file is refused. */
  expectFinalHash?: string;
}

/** The samples of one signal of one component (a view over the payload; copies). */
export function series(t: TelemetryPayload, component: string, signal: string): Float32Array {
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
