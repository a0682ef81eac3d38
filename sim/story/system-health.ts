// How the simulated system fared, independent of any expectation: healthy, degraded or outage,
// read from the availability (1 - errorRate) its user-facing components served and from the
// log's health.changed records. Pure; works for a live run, the app's payload and a re-run file.
import { formatTime } from "../core/units.js";
import type { EventRecord } from "../log/record.js";
import type { SystemHealth, SystemState } from "./types.js";

/**
 * The thresholds, in one place. Availability is judged over a sliding one-minute window (the
 * whole run when shorter) at user-facing components, so a single bad sample is not an outage
 * but a minute of failing requests is:
 * - outage: the worst window served under 90% of requests — more than one request in ten
 *   failing for a whole minute is what a status page calls a disruption;
 * - degraded: not an outage, but the worst window served under 99.9% of requests (three nines:
 *   users saw errors), or any component was unhealthy at some point (its health rule —
 *   error rate or latency — was breached even if users saw no error);
 * - healthy: otherwise.
 */
export const OUTAGE_AVAILABILITY = 0.9;
export const DEGRADED_AVAILABILITY = 0.999;
export const AVAILABILITY_WINDOW_MS = 60_000;

/** What system health reads of telemetry: the engine's Telemetry and the app's TelemetryPayload both fit. */
export interface StoryTelemetry {
  readonly componentIds: readonly string[];
  readonly signalNames: readonly string[];
  readonly count: number;
  readonly times: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

/** A component and the ids it calls (sends load to), as ui/model/payload.ts's ComponentInfo. */
export interface StoryComponent {
  readonly id: string;
  readonly calls: readonly string[];
}

export interface SystemHealthInput {
  log: readonly EventRecord[];
  telemetry?: StoryTelemetry | null;
  components: readonly StoryComponent[];
}

/** One stretch of time a component (or, merged, any of a set) was unhealthy. */
export interface UnhealthySpan {
  component: string;
  from: number;
  /** When it turned healthy again, or the run's end when it never did (`open`). */
  to: number;
  /** Seq of the health.changed record that started it, and of the one that ended it. */
  fromSeq: number;
  toSeq?: number;
  open: boolean;
}

/** Everything system health and the incident phases read, computed once. */
export interface HealthTimeline {
  /** The user-facing components: called by nothing else and receiving load. */
  entries: string[];
  /** Unhealthy spans of every component, in start order. */
  spans: UnhealthySpan[];
  /** The run's last simulated time seen (log or telemetry). */
  endMs: number;
  /** Worst windowed availability per entry component (1 when it never failed). */
  worst: { availability: number; component?: string; atMs?: number };
  /** The first sample at which an entry component served under DEGRADED_AVAILABILITY, if one did. */
  firstDropMs?: number;
}

/** Components nothing else calls and that received load: where users (or their clients) meet the system. Pure. */
export function entryComponents(components: readonly StoryComponent[], telemetry?: StoryTelemetry | null): string[] {
  const called = new Set(components.flatMap((c) => c.calls));
  const uncalled = components.map((c) => c.id).filter((id) => !called.has(id));
  if (telemetry === undefined || telemetry === null) return uncalled;
  const loaded = uncalled.filter((id) => column(telemetry, id, "loadRps").some((v) => v > 0));
  return loaded.length > 0 ? loaded : uncalled;
}

/** The health timeline of a run (see HealthTimeline). Linear in the log and telemetry. Pure. */
export function healthTimeline(input: SystemHealthInput): HealthTimeline {
  const { log, telemetry } = input;
  const entries = entryComponents(input.components, telemetry);
  const t = telemetry ?? undefined;
  const lastSample = t !== undefined && t.count > 0 ? Number(t.times[t.count - 1]) : 0;
  const endMs = Math.max(log.length > 0 ? log[log.length - 1].t : 0, Number.isFinite(lastSample) ? lastSample : 0);
  const spans = unhealthySpans(log, endMs);
  let worst: HealthTimeline["worst"] = { availability: 1 };
  let firstDropMs: number | undefined;
  if (t !== undefined) {
    for (const id of entries) {
      const w = worstWindow(t, id);
      if (w.availability < worst.availability) worst = { availability: w.availability, component: id, atMs: w.atMs };
      if (w.firstDropMs !== undefined && (firstDropMs === undefined || w.firstDropMs < firstDropMs)) firstDropMs = w.firstDropMs;
    }
  }
  return { entries, spans, endMs, worst, firstDropMs };
}

/** How the system fared (SystemHealth): state, worst availability and where, unhealthy time, one line. Pure. */
export function systemHealth(input: SystemHealthInput): SystemHealth {
  return healthFromTimeline(healthTimeline(input));
}

/** SystemHealth from a timeline already computed. Pure. */
export function healthFromTimeline(h: HealthTimeline): SystemHealth {
  const unhealthyMs = unionMs(h.spans);
  const a = h.worst.availability;
  const state: SystemState = a < OUTAGE_AVAILABILITY ? "outage" : a < DEGRADED_AVAILABILITY || h.spans.length > 0 ? "degraded" : "healthy";
  const where = h.worst.component === undefined ? "" : ` (${h.worst.component})`;
  const served = h.worst.component === undefined ? "" : `${h.worst.component} served ${formatPercent(a)} of requests at worst (1-minute window to ${formatTime(h.worst.atMs ?? 0)})`;
  const sick = [...new Set(h.spans.map((s) => s.component))];
  const sickWords = sick.length === 0 ? "" : `${sick.length === 1 ? sick[0] : `${sick.length} components`} unhealthy for ${formatSpanShort(unhealthyMs)}`;
  let text: string;
  if (state === "healthy") text = h.worst.component === undefined ? "healthy: user-facing components served every request" : `healthy: worst availability ${formatPercent(a)}${where}`;
  else text = `${state}: ${[served, sickWords].filter((s) => s !== "").join("; ")}`;
  return { state, worstAvailability: a, ...(h.worst.component !== undefined ? { worstComponent: h.worst.component } : {}), unhealthyMs, text };
}

/** "2.6%", "0%", "99.95%": one decimal, two near 100% so three nines do not read as 100%. Pure. */
export function formatPercent(ratio: number): string {
  const p = Math.max(0, Math.min(1, Number.isFinite(ratio) ? ratio : 1)) * 100;
  const digits = p >= 99 && p < 100 ? 2 : 1;
  return `${String(Number(p.toFixed(digits)))}%`;
}

/** A duration for one line, rounded to whole seconds (whole minutes past an hour): `15m2s`, `1h10m`. Pure. */
export function formatSpanShort(ms: number): string {
  const s = Math.round(Math.max(0, ms) / 1000);
  if (s === 0) return `${Math.round(Math.max(0, ms))}ms`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${m > 0 ? `${m}m` : ""}`;
  return `${m > 0 ? `${m}m` : ""}${sec > 0 ? `${sec}s` : ""}`;
}

/** Unhealthy spans of every component from health.changed records, in start order; still open at the end they run to `endMs`. Pure. */
export function unhealthySpans(log: readonly EventRecord[], endMs: number): UnhealthySpan[] {
  const open = new Map<string, UnhealthySpan>();
  const spans: UnhealthySpan[] = [];
  for (const r of log) {
    if (r.type !== "health.changed" || typeof r.data.healthy !== "boolean") continue;
    const id = r.target ?? r.actor;
    const current = open.get(id);
    if (r.data.healthy === false && current === undefined) {
      const span: UnhealthySpan = { component: id, from: r.t, to: endMs, fromSeq: r.seq, open: true };
      open.set(id, span);
      spans.push(span);
    } else if (r.data.healthy === true && current !== undefined) {
      current.to = r.t;
      current.toSeq = r.seq;
      current.open = false;
      open.delete(id);
    }
  }
  return spans;
}

/** Total time covered by `spans` (union of intervals). Pure. */
export function unionMs(spans: readonly { from: number; to: number }[]): number {
  const sorted = [...spans].sort((a, b) => a.from - b.from);
  let total = 0;
  let curFrom = -Infinity;
  let curTo = -Infinity;
  for (const s of sorted) {
    if (s.from > curTo) {
      if (curTo > curFrom) total += curTo - curFrom;
      curFrom = s.from;
      curTo = s.to;
    } else curTo = Math.max(curTo, s.to);
  }
  if (curTo > curFrom) total += curTo - curFrom;
  return Number.isFinite(total) ? total : 0;
}

/** The samples of one signal of one component, or [] when telemetry lacks it. Pure. */
function column(t: StoryTelemetry, component: string, signal: string): number[] {
  const c = t.componentIds.indexOf(component);
  const s = t.signalNames.indexOf(signal);
  if (c < 0 || s < 0) return [];
  const width = t.componentIds.length * t.signalNames.length;
  const out: number[] = [];
  for (let r = 0; r < t.count; r++) out.push(Number(t.values[r * width + c * t.signalNames.length + s]));
  return out;
}

/**
 * The lowest mean availability over any AVAILABILITY_WINDOW_MS window of `component`'s samples
 * (the whole run when it is shorter), the window's end, and the first sample below
 * DEGRADED_AVAILABILITY. Samples without a number count as available. Two pointers: linear. Pure.
 */
function worstWindow(t: StoryTelemetry, component: string): { availability: number; atMs?: number; firstDropMs?: number } {
  const errors = column(t, component, "errorRate");
  if (errors.length === 0) return { availability: 1 };
  const avail = errors.map((e) => (Number.isFinite(e) ? 1 - Math.max(0, Math.min(1, e)) : 1));
  const times = Array.from({ length: avail.length }, (_, i) => Number(t.times[i]));
  const span = times[times.length - 1] - times[0];
  const windowMs = Math.min(AVAILABILITY_WINDOW_MS, span);
  let worst = 1;
  let atMs: number | undefined;
  let firstDropMs: number | undefined;
  let sum = 0;
  let i = 0;
  for (let j = 0; j < avail.length; j++) {
    if (firstDropMs === undefined && avail[j] < DEGRADED_AVAILABILITY) firstDropMs = times[j];
    sum += avail[j];
    while (times[j] - times[i] > windowMs) sum -= avail[i++];
    // Judge only full windows (the last sample always closes one when the run is shorter).
    if (times[j] - times[0] < windowMs && j < avail.length - 1) continue;
    const mean = sum / (j - i + 1);
    if (mean < worst - 1e-9) {
      worst = mean;
      atMs = times[j];
    }
  }
  return { availability: Math.max(0, Math.min(1, Number.isFinite(worst) ? worst : 1)), atMs, firstDropMs };
}
