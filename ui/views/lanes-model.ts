// The agent lanes' data: per agent, its command ticks (time, seq, kind) and its state bands, in
// time order. Built once per run and extended in place as a streamed run grows (same runId, same
// growing arrays), so a new chunk costs only its own records. Pure: no DOM.
import type { EventRecord } from "../../sim/log/record.js";
import type { RunPayload } from "../model/payload.js";

/** How a command tick is drawn; `data-kind` in the DOM. */
export type TickKind = "change" | "document" | "rejected" | "held" | "suppressed" | "duplicate" | "other";

/**
 * Tick kinds by drawing priority, lowest first: where ticks share a pixel column the highest wins
 * and is drawn on top, so a rejected command is never hidden under applied ones. A tick's kind is
 * stored as its index here.
 */
export const TICK_KINDS: readonly TickKind[] = ["other", "change", "document", "duplicate", "suppressed", "held", "rejected"];

const KIND_INDEX: Record<TickKind, number> = Object.fromEntries(TICK_KINDS.map((k, i) => [k, i])) as Record<TickKind, number>;

/** The tick kind of an agent's record, or null when it is not a command (e.g. a wake). Pure. */
export function tickKind(r: EventRecord): TickKind | null {
  if (r.type === "wake") return null;
  if (r.type === "command.rejected") return "rejected";
  if (r.type === "command.held") return "held";
  if (r.type === "command.suppressed") return "suppressed";
  if (r.type === "command.duplicate") return "duplicate";
  if (r.type.startsWith("document.")) return "document";
  if (typeof r.data.knob === "string" && r.data.to !== undefined) return "change";
  return "other";
}

/** One agent's row. */
export interface LaneRow {
  agent: string;
  /** Command ticks in time order: time, seq, and kind (an index into TICK_KINDS). */
  tickT: number[];
  tickSeq: number[];
  tickKind: number[];
  /** State bands in time order: band k runs from bandFrom[k] to bandFrom[k + 1], the last one to the index's endMs; its state is an index into `states`. */
  bandFrom: number[];
  bandState: number[];
}

/** A run's lanes, extendable while the run streams in. */
export interface LaneIndex {
  runId: number | undefined;
  /** The arrays read so far (a streamed run grows these same arrays). */
  log: readonly EventRecord[];
  agentStates: RunPayload["agentStates"];
  /** True when the rows come from the state changes because the run lists no agents. */
  agentsFromStates: boolean;
  rows: LaneRow[];
  rowOf: Map<string, number>;
  /** State names in order of first appearance. */
  states: string[];
  stateOf: Map<string, number>;
  /** Ticks per kind (indexed like TICK_KINDS), and in all. */
  kindCounts: number[];
  tickCount: number;
  /** Where the last band of every row ends: the run's duration, or how far a streamed run got. */
  endMs: number;
  durationMs: number;
  logRead: number;
  statesRead: number;
}

/** What an extension changed, for renderers that update in place. */
export interface LaneChange {
  /** Per row: the first tick index that is new, or -1. */
  firstTick: Int32Array;
  /** Per row: the first band index that is new or changed, or -1 (the last band's end moves with endMs regardless). */
  firstBand: Int32Array;
  /** Rows were added (a run without an agent list): renderers rebuild. */
  rowsAdded: boolean;
}

/** True when `run` is `index`'s run grown further (same runId and the same growing arrays), so it can be extended. Pure. */
export function sameRun(index: LaneIndex, run: RunPayload): boolean {
  return index.runId !== undefined && index.runId === run.runId && index.log === run.log && index.agentStates === run.agentStates;
}

/** The lanes of `run` so far. Pure (reads `run`). */
export function indexLanes(run: RunPayload): LaneIndex {
  const agentsFromStates = run.agents.length === 0;
  const index: LaneIndex = {
    runId: run.runId,
    log: run.log,
    agentStates: run.agentStates,
    agentsFromStates,
    rows: [],
    rowOf: new Map(),
    states: [],
    stateOf: new Map(),
    kindCounts: TICK_KINDS.map(() => 0),
    tickCount: 0,
    endMs: 0,
    durationMs: run.durationMs,
    logRead: 0,
    statesRead: 0,
  };
  for (const agent of run.agents) addRow(index, agent);
  extendLanes(index, run);
  return index;
}

/** Reads the records and state changes of `run` not yet in `index` (mutates `index`); returns what changed. */
export function extendLanes(index: LaneIndex, run: RunPayload): LaneChange {
  const rowsBefore = index.rows.length;
  let firstBand = new Int32Array(rowsBefore).fill(-1);
  const states = run.agentStates;
  for (let i = index.statesRead; i < states.length; i++) {
    const { t, agent, state } = states[i];
    let row = index.rowOf.get(agent);
    if (row === undefined) {
      if (!index.agentsFromStates) continue;
      row = addRow(index, agent);
      const grown = new Int32Array(index.rows.length).fill(-1);
      grown.set(firstBand);
      firstBand = grown;
    }
    let s = index.stateOf.get(state);
    if (s === undefined) {
      s = index.states.push(state) - 1;
      index.stateOf.set(state, s);
    }
    const k = addStateChange(index.rows[row], t, s);
    if (firstBand[row] < 0 || k < firstBand[row]) firstBand[row] = k;
  }
  index.statesRead = states.length;

  const firstTick = new Int32Array(index.rows.length).fill(-1);
  const log = run.log;
  for (let i = index.logRead; i < log.length; i++) {
    const r = log[i];
    const row = index.rowOf.get(r.actor);
    if (row === undefined) continue;
    const kind = tickKind(r);
    if (kind === null) continue;
    const lane = index.rows[row];
    if (firstTick[row] < 0) firstTick[row] = lane.tickT.length;
    const k = KIND_INDEX[kind];
    lane.tickT.push(r.t);
    lane.tickSeq.push(r.seq);
    lane.tickKind.push(k);
    index.kindCounts[k]++;
    index.tickCount++;
  }
  index.logRead = log.length;
  index.endMs = run.complete === false ? Math.min(run.reachedMs, run.durationMs) : run.durationMs;

  return { firstTick, firstBand, rowsAdded: index.rows.length !== rowsBefore };
}

function addRow(index: LaneIndex, agent: string): number {
  const row = index.rows.push({ agent, tickT: [], tickSeq: [], tickKind: [], bandFrom: [], bandState: [] }) - 1;
  index.rowOf.set(agent, row);
  return row;
}

/**
 * Adds a state change to a row; returns the first band index it changed. Several changes at one
 * instant keep their logged order and the last wins (the bands they would start are zero-length).
 * Changes arrive in time order from the engine; an earlier one is still placed correctly.
 */
function addStateChange(lane: LaneRow, t: number, state: number): number {
  const n = lane.bandFrom.length;
  if (n === 0 || t > lane.bandFrom[n - 1]) {
    lane.bandFrom.push(t);
    lane.bandState.push(state);
    return n;
  }
  const k = upperBound(lane.bandFrom, t);
  if (k > 0 && lane.bandFrom[k - 1] === t) {
    lane.bandState[k - 1] = state;
    return k - 1;
  }
  lane.bandFrom.splice(k, 0, t);
  lane.bandState.splice(k, 0, state);
  return k;
}

/** Where band `k` of `lane` ends. Pure. */
export function bandEnd(index: LaneIndex, lane: LaneRow, k: number): number {
  return k + 1 < lane.bandFrom.length ? lane.bandFrom[k + 1] : index.endMs;
}

/** How many bands have a positive length (what a renderer draws). Pure. */
export function bandCount(index: LaneIndex): number {
  let n = 0;
  for (const lane of index.rows) {
    n += lane.bandFrom.length;
    if (lane.bandFrom.length > 0 && lane.bandFrom[lane.bandFrom.length - 1] >= index.endMs) n--;
  }
  return n;
}

/** Which states have a band of positive length, indexed like `index.states`. Pure. */
export function statesShown(index: LaneIndex): boolean[] {
  const shown = index.states.map(() => false);
  for (const lane of index.rows) {
    for (let k = 0; k < lane.bandFrom.length; k++) if (bandEnd(index, lane, k) > lane.bandFrom[k]) shown[lane.bandState[k]] = true;
  }
  return shown;
}

/** The row and tick index of command `seq`, or null when it is not a tick in the lanes. Pure. */
export function findTick(index: LaneIndex, seq: number): { row: number; tick: number } | null {
  const r = index.log[seq];
  if (!r || seq >= index.logRead) return null;
  const row = index.rowOf.get(r.actor);
  if (row === undefined) return null;
  const lane = index.rows[row];
  // Ticks are in time order and seqs grow with time: find the time, then the seq among equal times.
  for (let k = lowerBound(lane.tickT, r.t); k < lane.tickT.length && lane.tickT[k] === r.t; k++) if (lane.tickSeq[k] === seq) return { row, tick: k };
  return null;
}

/** First index in ascending `values` with value >= `x`. Pure. */
export function lowerBound(values: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in ascending `values` with value > `x`. Pure. */
export function upperBound(values: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
