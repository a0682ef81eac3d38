// How much a log record counts as the start of something, decided from the log alone in one pass
// over it: a fault (or the flag flip that switched a gated fault on), then a non-routine action
// (stale write, reversal, deletion), then a routine action, then a workload change. Shared by the causal graph's root causes and the detectors.
import type { EventRecord } from "../log/record.js";
import { isDocumentWrite, isKnobChange, knobKeyOf, type KnobChange } from "./explain.js";

/**
 * What a record is, as a candidate root cause (index = kind code):
 * - `fault`: a fault starting (`fault.started`);
 * - `stale write`: a knob change naming the version it was based on (`expectedVersion`, or
 *   `readVersion` as every enactor apply logs it) when the knob had been written since by a
 *   different actor: a write compare-and-set would have rejected;
 * - `reversal`: a knob change moving the knob back toward its value before another actor's
 *   change of it, at most `reversalWindowMs` after that change;
 * - `deletion`: `document.deleted`;
 * - `emptying write`: a `document.put` with 0 rows;
 * - `routine action`: any other applied knob change or document put, and an agent sending load (`load.sent`);
 * - `workload change`: `workload.changed`;
 * - `flag flip`: a flag knob change that switched a gated fault on: the fault's `fault.started`
 *   names it as its cause, and it takes the fault's rank (the code path failed because the flag
 *   turned it on). Known only when that start is seen, so it is set on the earlier record;
 * - `none`: anything else (symptoms, rejected commands, intents, fault ends, run markers, and a
 *   gated fault's start caused by a flag write: its root is that write).
 */
export const ACTION_KINDS = ["none", "fault", "stale write", "reversal", "deletion", "emptying write", "routine action", "workload change", "flag flip"] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const KIND_NONE = 0;
export const KIND_FAULT = 1;
export const KIND_STALE_WRITE = 2;
export const KIND_REVERSAL = 3;
export const KIND_DELETION = 4;
export const KIND_EMPTYING_WRITE = 5;
export const KIND_ROUTINE = 6;
export const KIND_WORKLOAD = 7;
export const KIND_FLAG_FLIP = 8;

/** Rank of each kind (index = kind code): 0 fault or flag flip, 1 non-routine action, 2 routine action, 3 workload change, -1 none. */
export const KIND_RANKS: readonly number[] = [-1, 0, 1, 1, 1, 1, 2, 3, 0];

/** Names of the ranks, for headers and docs (index = rank). */
export const RANK_NAMES: readonly string[] = ["fault", "non-routine action", "routine action", "workload change"];

/** The order root causes are listed in, for headers: "root causes (<this>; earliest first)". */
export const ROOT_ORDER = "faults first, then stale writes, reversals and deletions, then routine actions, then workload changes";

/**
 * How long after another actor's change a change going back against it still counts as a
 * reversal: the thrashing detector's default window (DETECTOR_DEFAULTS.thrashWindowMs, INCIDENTS.md
 * section 4's "reversals per hour"). Undoing a change from hours ago is a new decision, not a
 * reaction to it.
 */
export const REVERSAL_WINDOW_MS = 3_600_000;

/** True when `r` can be a root cause at all: a fault start, an applied knob change, a document write, a workload change or an agent's `load.sent`. Pure. */
export function isAction(r: EventRecord): boolean {
  if (r.type === "fault.started") return !isFlagStartedFault(r);
  return r.type === "workload.changed" || r.type === "load.sent" || isDocumentWrite(r) || isKnobChange(r);
}

/**
 * True when `r` is the start of a gated fault caused by a flag write (data `flag` names the flag
 * knob, and it has causes): the write, not the start, is the root. Pure.
 */
export function isFlagStartedFault(r: EventRecord): boolean {
  return r.type === "fault.started" && typeof r.data.flag === "string" && r.causes.length > 0;
}

/**
 * True when `cur` reverses `prev`, the previous change of the same knob: made by another actor,
 * in the opposite direction (back toward the value before `prev`), at most `windowMs` later.
 * The thrashing detector counts these. Pure.
 */
export function isReversal(prev: KnobChange, cur: KnobChange, windowMs: number): boolean {
  const before = Math.sign(prev.data.to - prev.data.from);
  return cur.actor !== prev.actor && before !== 0 && Math.sign(cur.data.to - cur.data.from) === -before && cur.t - prev.t <= windowMs;
}

/** What the ranker remembers of one knob: enough to judge the next change in O(1). */
interface KnobHistory {
  /** Applied changes so far: the knob's version, as the world and compare-and-set count it. */
  count: number;
  last: KnobChange;
  /** Index (version - 1) of the first change of the run of changes by `last.actor` that ends with `last`. */
  runStart: number;
  /** Seq of the change just before that run (by another actor), or -1. */
  beforeRunSeq: number;
}

/**
 * Classifies records one at a time, in seq order, keeping per knob only what the next change's
 * kind depends on: O(1) per record, so a whole log costs one linear pass. Feed it every record
 * of the log (or at least every knob change), in order: versions are counted from what it saw.
 */
export class ActionRanker {
  /** For the record just classified: the seq of the other actor's change it overwrote (stale write) or reversed (reversal), else -1. */
  against = -1;
  /** For the record just classified: the seq of an earlier flag change it made a flag flip (KIND_FLAG_FLIP), else -1. */
  promoted = -1;
  private readonly knobs = new Map<string, KnobHistory>();

  constructor(private readonly reversalWindowMs = REVERSAL_WINDOW_MS) {}

  /** The kind code (index into ACTION_KINDS) of `r`, the next record of the log; sets `against`. */
  add(r: EventRecord): number {
    this.against = -1;
    this.promoted = -1;
    switch (r.type) {
      case "fault.started": {
        if (!isFlagStartedFault(r)) return KIND_FAULT;
        const h = this.knobs.get(r.data.flag as string);
        if (h !== undefined && r.causes.includes(h.last.seq)) this.promoted = h.last.seq;
        return KIND_NONE;
      }
      case "workload.changed":
        return KIND_WORKLOAD;
      // An agent's deliberate requests (statechart `sendLoad`): its action, not the users' demand.
      case "load.sent":
        return KIND_ROUTINE;
      case "document.deleted":
        return KIND_DELETION;
      case "document.put":
        return r.data.rows === 0 ? KIND_EMPTYING_WRITE : KIND_ROUTINE;
    }
    return isKnobChange(r) ? this.knobChange(r) : KIND_NONE;
  }

  private knobChange(r: KnobChange): number {
    const key = knobKeyOf(r);
    const h = this.knobs.get(key);
    if (h === undefined) {
      this.knobs.set(key, { count: 1, last: r, runStart: 0, beforeRunSeq: -1 });
      return KIND_ROUTINE;
    }
    let kind = KIND_ROUTINE;
    const d = r.data;
    const read = typeof d.expectedVersion === "number" ? d.expectedVersion : typeof d.readVersion === "number" ? d.readVersion : undefined;
    if (read !== undefined && read >= 0 && read < h.count) {
      // Changes [read, count) landed after the read; stale when one of them is another actor's.
      if (h.last.actor !== r.actor) this.against = h.last.seq;
      else if (h.runStart > read) this.against = h.beforeRunSeq;
      if (this.against >= 0) kind = KIND_STALE_WRITE;
    }
    if (kind === KIND_ROUTINE && isReversal(h.last, r, this.reversalWindowMs)) {
      kind = KIND_REVERSAL;
      this.against = h.last.seq;
    }
    if (h.last.actor !== r.actor) {
      h.runStart = h.count;
      h.beforeRunSeq = h.last.seq;
    }
    h.last = r;
    h.count++;
    return kind;
  }
}

/**
 * Kind codes of every record of `log` (index = position in the log) and, for stale writes and
 * reversals, the seq of the change they went against (-1 otherwise). One linear pass. Pure.
 */
export function classifyActions(log: readonly EventRecord[], reversalWindowMs = REVERSAL_WINDOW_MS): { kinds: Uint8Array; against: Int32Array } {
  const ranker = new ActionRanker(reversalWindowMs);
  const kinds = new Uint8Array(log.length);
  const against = new Int32Array(log.length);
  for (let i = 0; i < log.length; i++) {
    kinds[i] = ranker.add(log[i]);
    against[i] = ranker.against;
    if (ranker.promoted >= 0) {
      kinds[ranker.promoted] = KIND_FLAG_FLIP;
      against[ranker.promoted] = -1;
    }
  }
  return { kinds, against };
}
