// Helpers the detectors share: reading knob-change and action records out of the log, finding
// dense runs of events in a sliding window, and the wording of explanation sentences.
import { formatDuration, formatTime } from "../core/units.js";
import type { EventRecord } from "../log/record.js";
import { jsonText } from "../log/json-text.js";

/** A log record that changed a numeric knob: `data.knob` names it, `data.from` -> `data.to`. */
export interface KnobChange extends EventRecord {
  target: string;
  data: EventRecord["data"] & { knob: string; from: number; to: number };
}

/** True when `r` records an applied knob change (not a rejected, held or duplicate command). Pure. */
export function isKnobChange(r: EventRecord): r is KnobChange {
  const d = r.data;
  return r.target !== undefined && typeof d.knob === "string" && typeof d.from === "number" && typeof d.to === "number" && d.from !== d.to;
}

/** True when `r` is a document put or delete (an agent writing a plan, config or snapshot). Pure. */
export function isDocumentWrite(r: EventRecord): boolean {
  return r.type === "document.put" || r.type === "document.deleted";
}

/** `component.knob` of a knob change. Pure. */
export function knobKeyOf(r: KnobChange): string {
  return `${r.target}.${jsonText(r.data.knob)}`;
}

/**
 * The record with sequence number `seq`, or undefined. Logs from the engine hold record i at
 * index i, so this is O(1); a log that does not (a filtered run file) falls back to binary
 * search over ascending seqs. Pure.
 */
export function recordAt(log: readonly EventRecord[], seq: number): EventRecord | undefined {
  const direct = log[seq];
  if (direct !== undefined && direct.seq === seq) return direct;
  let lo = 0;
  let hi = log.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = log[mid].seq;
    if (s === seq) return log[mid];
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/**
 * Index ranges [first, last] of `times` (ascending) where at least `countMin` events fall within
 * `windowMs` of each other: every event of a range lies in some window of `windowMs` holding
 * `countMin` events, and two dense windows less than `windowMs` apart join one range (so a short
 * lull does not split an episode). Two pointers over the array: linear. Pure.
 */
export function denseRuns(times: readonly number[], windowMs: number, countMin: number): [number, number][] {
  const runs: [number, number][] = [];
  if (countMin < 1) return runs;
  let i = 0;
  for (let j = 0; j < times.length; j++) {
    while (times[j] - times[i] > windowMs) i++;
    if (j - i + 1 < countMin) continue;
    const last = runs[runs.length - 1];
    if (last !== undefined && (i <= last[1] || times[i] - times[last[1]] <= windowMs)) last[1] = j;
    else runs.push([i, j]);
  }
  return runs;
}

/** Median of `values` (the mean of the two middle ones for an even count), rounded to a whole number; 0 when empty. Pure. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return Math.round(sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
}

/**
 * Timing of a run of reversals at `times` (ascending): the period is the median gap between
 * consecutive reversals; the cycle the median gap between a reversal and the next in the same
 * direction (one full swing), which reads better when the two directions take different times. Pure.
 */
export function reversalTiming(times: readonly number[]): { periodMs: number; cycleMs: number } {
  return { periodMs: median(times.slice(1).map((t, k) => t - times[k])), cycleMs: median(times.slice(2).map((t, k) => t - times[k])) };
}

/** "a", "a and b", "a, b and c". Pure. */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** A number as the log shows it, without float noise: at most 3 decimals. Pure. */
export function formatNumber(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** Dollars with cents: `$12.30`. Pure. */
export function formatMoney(dollars: number): string {
  return `$${dollars.toFixed(2)}`;
}

/** A duration for prose, rounded to whole seconds above a second: `4m`, `1h2m3s`, `250ms`. Pure. */
export function formatSpan(ms: number): string {
  return formatDuration(ms >= 1000 ? Math.round(ms / 1000) * 1000 : Math.round(ms));
}

/** The `reason` an agent gave for a record, if it gave one. Pure. */
export function reasonOf(r: EventRecord): string | undefined {
  const reason = r.data.reason;
  return typeof reason === "string" && reason.length > 0 ? reason : undefined;
}

// Knobs whose value names a version or generation of a document rather than an amount.
const VERSION_KNOBS = new Set(["plan", "version"]);

/** True for knobs whose value names a document version (a DNS record's `plan`, a consumer's `version`). Pure. */
export function isVersionKnob(knob: string): boolean {
  return VERSION_KNOBS.has(knob);
}

/** "raised web.replicas 4->6" / "lowered ..." / "set ddb-dns.plan 16->8" (no actor, no time). Pure. */
export function changePhrase(r: KnobChange, verbForm: "past" | "gerund" = "past"): string {
  const { knob, from, to } = r.data;
  const verb = isVersionKnob(knob) ? ["set", "setting"] : to > from ? ["raised", "raising"] : ["lowered", "lowering"];
  return `${verb[verbForm === "past" ? 0 : 1]} ${knobKeyOf(r)} ${formatNumber(from)}->${formatNumber(to)}`;
}

/**
 * One action in a sentence: "#42 enactor-a set ddb-dns.plan 16->8 at 00:07:33", "#13 enactor-c
 * deleted plans.plan version 1 at ...", "#7 fault db-brownout (errors) started on db at ..."
 * (or "ended on"). Pure.
 */
export function describeAction(r: EventRecord): string {
  const at = `at ${formatTime(r.t)}`;
  if (isKnobChange(r)) return `#${r.seq} ${r.actor} ${changePhrase(r)} ${at}`;
  if (isDocumentWrite(r)) {
    const verb = r.type === "document.put" ? "put" : "deleted";
    return `#${r.seq} ${r.actor} ${verb} ${r.target}.${jsonText(r.data.document)} version ${jsonText(r.data.version)} ${at}`;
  }
  if ((r.type === "fault.started" || r.type === "fault.ended") && r.data.effect === "partition") {
    // A partition has no target: it cuts between its sides (lists of sites).
    const sides = Array.isArray(r.data.sides) ? r.data.sides.map((side) => (Array.isArray(side) ? side.join(", ") : String(side))).join(" | ") : "?";
    return `#${r.seq} partition ${r.actor} ${r.type === "fault.started" ? "started" : "healed"} between ${sides} ${at}`;
  }
  if (r.type === "fault.started") {
    // An edge fault (data.from) impairs one caller's calls to the target, not the target.
    const where = typeof r.data.from === "string" ? `the ${r.data.from} -> ${r.target ?? "?"} edge` : (r.target ?? "?");
    return `#${r.seq} fault ${r.actor} (${jsonText(r.data.effect ?? r.data.kind)}) started on ${where} ${at}`;
  }
  if (r.type === "fault.ended") return `#${r.seq} fault ${r.actor} (${jsonText(r.data.effect ?? r.data.kind)}) ended on ${r.target ?? "?"} ${at}`;
  if (r.type === "load.sent") return `#${r.seq} ${r.actor} sent ${formatNumber(Number(r.data.rps))} rps to ${r.target ?? "?"} for ${formatSpan(Number(r.data.forMs))} ${at}`;
  if (r.type === "load.ended") return `#${r.seq} ${r.actor}'s ${formatNumber(Number(r.data.rps))} rps to ${r.target ?? "?"} ended ${at}`;
  if (r.type === "workload.changed") return `#${r.seq} workload ${r.actor} on ${r.target ?? "?"} went ${formatNumber(Number(r.data.from))}->${formatNumber(Number(r.data.to))} rps ${at}`;
  return `#${r.seq} ${r.type} by ${r.actor} ${at}`;
}
