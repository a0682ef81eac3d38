// The causal graph of one run: nodes are log records, edges are their `causes`, stored as
// compressed adjacency (CSR) in typed arrays so a day's log builds in one linear pass, plus the
// bounded queries the UI and reports ask of it (ancestors, root causes, blast radius, paths).
import { ACTION_KINDS, ActionRanker, KIND_FLAG_FLIP, KIND_NONE, KIND_RANKS, KIND_STALE_WRITE, REVERSAL_WINDOW_MS, type ActionKind } from "../detect/action-rank.js";
import { describeAction, reasonOf } from "../detect/explain.js";
import type { Finding } from "../detect/finding.js";
import type { EventRecord } from "../log/record.js";
import { CLASS_AGENT, CLASS_ENGINE, classCode, RECORD_CLASSES, type RecordClass } from "./classify.js";
import { influenceGraph, type InfluenceGraph, type InfluenceOptions } from "./influence.js";
import { jsonText } from "../log/json-text.js";

/** What to build the graph with besides the log. */
export interface CausalGraphOptions {
  /** The scenario's agent ids; without them, unknown record types count as agents' (see classCode). */
  agents?: readonly string[];
  /** The run's findings, so `findingsAt` can name the findings an event witnesses. */
  findings?: readonly Finding[];
  /** How soon after another actor's change a change back against it counts as a reversal (default 1 h, REVERSAL_WINDOW_MS). */
  reversalWindowMs?: number;
}

/** One record reached by a traversal and its distance in cause edges from the start. */
export interface Reached {
  seq: number;
  depth: number;
}

/** What a bounded traversal returns: reached records in ascending seq order. */
export interface Traversal {
  nodes: Reached[];
  /** True when `limit` stopped the walk while unvisited records were still reachable. */
  truncated: boolean;
}

/** Bounds of ancestors / descendants. */
export interface TraversalOptions {
  /** Most cause edges from the start (default: unbounded). */
  depth?: number;
  /** Most records returned (default 10 000); the nearest are kept (breadth first). */
  limit?: number;
}

/** Root-cause rule: see rootCauses. */
export type RootCauseMode = "proximate" | "origin";

export interface RootCauseOptions {
  /** Most root causes returned, best first (default 8, as the cascade detector). */
  limit?: number;
  /** `proximate` (default) or `origin`; see rootCauses. */
  mode?: RootCauseMode;
  /** Most ancestor records visited (default 4096). */
  visitMax?: number;
}

/** One root cause of an event. */
export interface RootCause {
  seq: number;
  /** 0 fault, 1 non-routine action (stale write, reversal, deletion, emptying write), 2 routine action, 3 workload change: the first sort key. */
  rank: number;
  kind: Exclude<ActionKind, "none">;
  /** Stale write or reversal: the other actor's change it overwrote or reversed. */
  against?: number;
  /** True for a fault reached only through an action (the walk stops at actions for actions, not for faults). */
  behindAction?: boolean;
  actor: string;
  t: number;
  /** Cause edges between it and the event (0 when the event is its own root). */
  depth: number;
  /** One sentence: what it was, why the agent did it (if it said), and how it leads to the event. */
  reason: string;
}

/** What followed from an event: a summary of its descendants. */
export interface BlastRadius {
  seq: number;
  /** Descendants (the event itself not counted). */
  count: number;
  /** Targets of the descendants, in order of the first record that touched each. */
  components: string[];
  /** Agents with a descendant record (they reacted), in order of their first such record. */
  actors: string[];
  /** Longest shortest-path distance in cause edges to a descendant (0 when there are none). */
  depthMax: number;
  /** Time of the last descendant (the event's own time when there are none). */
  lastMs: number;
  /** Descendants per event type, types in order of first appearance. */
  byType: Record<string, number>;
  /** True when `limit` stopped the walk (the figures then cover the nearest `limit` descendants). */
  truncated: boolean;
}

const TRAVERSAL_LIMIT = 10_000;
const ROOT_CAUSES_MAX = 8;
const ROOT_VISIT_MAX = 4096;

/**
 * An immutable causal graph over a log whose record i has seq i (as the engine and run files
 * produce). Built by buildCausalGraph. Queries are pure from the caller's view; they share
 * preallocated scratch arrays, so one graph must not be queried from two threads at once (a
 * Web Worker owns its own copy anyway).
 *
 * The typed-array columns and the CSR arrays are exposed for renderers that walk every node; they
 * are views of the graph's own storage and must not be written.
 */
export class CausalGraph {
  readonly log: readonly EventRecord[];
  /** Number of records (nodes). */
  readonly size: number;
  /** Number of cause edges. */
  readonly edgeCount: number;
  /** Every actor, in order of its first record. */
  readonly actors: readonly string[];
  /** Simulated time of each record. */
  readonly times: Float64Array;
  /** Index into `actors` of each record's actor. */
  readonly actorIndex: Int32Array;
  /** Class code of each record (index into RECORD_CLASSES). */
  readonly classes: Uint8Array;
  /** Root rank of each record (0 fault, 1 non-routine action, 2 routine action, 3 workload change, -1 none). */
  readonly ranks: Int8Array;
  /** Root kind of each record (index into ACTION_KINDS; see sim/detect/action-rank.ts). */
  readonly kinds: Uint8Array;
  /** Stale writes and reversals: the seq of the change they went against; -1 for every other record. */
  readonly against: Int32Array;
  /** Parents (causes) of record i are parentSeqs[parentStart[i] .. parentStart[i + 1]), ascending. */
  readonly parentStart: Int32Array;
  readonly parentSeqs: Int32Array;
  /** Children (records citing i) are childSeqs[childStart[i] .. childStart[i + 1]), ascending. */
  readonly childStart: Int32Array;
  readonly childSeqs: Int32Array;
  readonly findings: readonly Finding[];

  // Scratch for traversals, allocated by the first query (nextEpoch) so building stays lean: a
  // record is visited in the current walk when mark[i] === epoch.
  private mark = new Int32Array(0);
  private depthOf = new Int32Array(0);
  private queue = new Int32Array(0);
  private via = new Int32Array(0);
  private epoch = 0;
  private readonly findingIndex: Map<number, number[]>;

  /** Use buildCausalGraph. */
  constructor(log: readonly EventRecord[], options: CausalGraphOptions = {}) {
    const n = log.length;
    const agents = options.agents === undefined ? undefined : new Set(options.agents);
    this.log = log;
    this.size = n;
    // Locals, not `this.` fields, inside the loops: this pass runs once per record of a day.
    const times = (this.times = new Float64Array(n));
    const actorIndex = (this.actorIndex = new Int32Array(n));
    const classes = (this.classes = new Uint8Array(n));
    const ranks = (this.ranks = new Int8Array(n));
    const kinds = (this.kinds = new Uint8Array(n));
    const against = (this.against = new Int32Array(n));
    const ranker = new ActionRanker(options.reversalWindowMs ?? REVERSAL_WINDOW_MS);
    const parentStart = new Int32Array(n + 1);
    const childCount = new Int32Array(n + 1);
    const actorIds = new Map<string, number>();
    const actors: string[] = [];
    // Pass 1: columns, edge counts, and validation (causes must name earlier records).
    let edges = 0;
    for (let i = 0; i < n; i++) {
      const r = log[i];
      if (r.seq !== i) throw new RangeError(`causal graph: record at index ${i} has seq ${r.seq}; the graph needs a whole log, record i at index i (load the full run file, not a filtered one)`);
      times[i] = r.t;
      let a = actorIds.get(r.actor);
      if (a === undefined) {
        a = actors.length;
        actorIds.set(r.actor, a);
        actors.push(r.actor);
      }
      actorIndex[i] = a;
      const code = classCode(r, agents);
      classes[i] = code;
      // Health changes and run markers are never roots; the ranker sees every other record in
      // order, since a knob change's kind depends on the knob's earlier changes.
      const kind = r.type === "health.changed" ? KIND_NONE : ranker.add(r);
      const root = code === CLASS_ENGINE ? KIND_NONE : kind;
      kinds[i] = root;
      ranks[i] = KIND_RANKS[root];
      against[i] = root === KIND_NONE ? -1 : ranker.against;
      // A gated fault's start hands its root to the flag write that turned it on (an earlier record).
      const p = ranker.promoted;
      if (p >= 0 && classes[p] !== CLASS_ENGINE) {
        kinds[p] = KIND_FLAG_FLIP;
        ranks[p] = KIND_RANKS[KIND_FLAG_FLIP];
        against[p] = -1;
      }
      const causes = r.causes;
      for (let k = 0; k < causes.length; k++) {
        const c = causes[k];
        if (!Number.isInteger(c) || c < 0 || c >= i) throw new RangeError(`causal graph: record #${i} (${r.type} by ${r.actor}) names cause ${c}; causes must be seqs of earlier records`);
        childCount[c]++;
      }
      edges += causes.length;
      parentStart[i + 1] = edges;
    }
    // Pass 2: parents in the order given (ascending by contract), children in record order,
    // which is ascending because records are visited in seq order.
    const parentSeqs = new Int32Array(edges);
    const childStart = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) childStart[i + 1] = childStart[i] + childCount[i];
    const fill = childCount; // reused as the next free slot per parent
    for (let i = 0; i < n; i++) fill[i] = childStart[i];
    const childSeqs = new Int32Array(edges);
    for (let i = 0; i < n; i++) {
      const causes = log[i].causes;
      const base = parentStart[i];
      for (let k = 0; k < causes.length; k++) {
        const c = causes[k];
        parentSeqs[base + k] = c;
        childSeqs[fill[c]++] = i;
      }
    }
    this.edgeCount = edges;
    this.actors = actors;
    this.parentStart = parentStart;
    this.parentSeqs = parentSeqs;
    this.childStart = childStart;
    this.childSeqs = childSeqs;
    this.findings = options.findings ?? [];
    this.findingIndex = new Map();
    this.findings.forEach((f, index) => {
      for (const w of [...f.witnesses, ...f.rootCauses]) {
        const list = this.findingIndex.get(w);
        if (list === undefined) this.findingIndex.set(w, [index]);
        else if (list[list.length - 1] !== index) list.push(index);
      }
    });
  }

  /** The record with this seq. Throws RangeError for a seq outside the log. */
  record(seq: number): EventRecord {
    this.check(seq);
    return this.log[seq];
  }

  /** The class of a record (fault, workload, engine, symptom, agent). */
  classOf(seq: number): RecordClass {
    this.check(seq);
    return RECORD_CLASSES[this.classes[seq]];
  }

  /** Seqs of the records `seq` names as causes, ascending. */
  parents(seq: number): number[] {
    this.check(seq);
    return Array.from(this.parentSeqs.subarray(this.parentStart[seq], this.parentStart[seq + 1]));
  }

  /** Seqs of the records that name `seq` as a cause, ascending. */
  children(seq: number): number[] {
    this.check(seq);
    return Array.from(this.childSeqs.subarray(this.childStart[seq], this.childStart[seq + 1]));
  }

  /** Indexes into `findings` of the findings that list `seq` as a witness or root cause, ascending. */
  findingsAt(seq: number): number[] {
    return [...(this.findingIndex.get(seq) ?? [])];
  }

  /**
   * Records `seq` was derived from, directly or not, breadth first up to `depth` edges and
   * `limit` records (the nearest kept), each with its distance; ascending seq order. The event
   * itself is not included. O(records and edges visited).
   */
  ancestors(seq: number, options: TraversalOptions = {}): Traversal {
    return this.traversal(seq, true, options);
  }

  /** Records derived from `seq`, directly or not; the mirror of `ancestors`. */
  descendants(seq: number, options: TraversalOptions = {}): Traversal {
    return this.traversal(seq, false, options);
  }

  /**
   * The faults and actions an event comes from, best first by rank (sim/detect/action-rank.ts):
   * 0 faults starting; 1 non-routine actions (stale writes, reversals of another actor's recent
   * change, deletions, writes that empty a document); 2 routine actions (other applied knob
   * changes and document puts); 3 workload changes; within a rank the earliest first (time,
   * then seq). Never symptoms (health.changed), rejected commands, intents, fault ends or run
   * markers.
   *
   * - `proximate` (default): walk back from the event through everything that is not such an
   *   action and stop at the first action on each path. The answer is the set of actions that
   *   started the chain of symptoms ending at the event: for a caller's failure in a cascade, the
   *   fault behind its dependency's failure rather than the dependency's health change. It does
   *   not pass through actions for more actions, because when agents react to each other every
   *   late event descends from the run's first command, which explains nothing (ask again on a
   *   returned action to go one step further back). It does pass through them for faults: a
   *   fault anywhere among the ancestors (within `visitMax`) is always reported, e.g. the stall
   *   behind a stalled agent's stale write (`behindAction`).
   * - `origin`: the literal "earliest actions among the ancestors": actions in the (bounded)
   *   ancestry that have no action among their own ancestors.
   *
   * An event that is itself a fault start, or an action nothing upstream of which is an
   * action, is its own root and returns itself (depth 0). At most `visitMax` ancestors are
   * visited in all; `limit` caps the answer. O(records and edges visited).
   */
  rootCauses(seq: number, options: RootCauseOptions = {}): RootCause[] {
    this.check(seq);
    const limit = options.limit ?? ROOT_CAUSES_MAX;
    const visitMax = options.visitMax ?? ROOT_VISIT_MAX;
    const mode = options.mode ?? "proximate";
    const ranks = this.ranks;
    if (ranks[seq] === 0) return [this.rootCause(seq, seq, 0, mode, -1)];
    const found: number[] = [];
    // Faults reached only through an action -> that action.
    const behind = new Map<number, number>();
    if (mode === "proximate") {
      const { count } = this.walk(seq, true, Infinity, visitMax, (i) => ranks[i] < 0);
      for (let k = 1; k < count; k++) if (ranks[this.queue[k]] >= 0) found.push(this.queue[k]);
      for (const [fault, action] of this.faultsBehindActions(count, visitMax)) {
        found.push(fault);
        behind.set(fault, action);
      }
    } else {
      const { count } = this.walk(seq, true, Infinity, visitMax);
      const visited = Array.from(this.queue.subarray(0, count)).sort((a, b) => a - b);
      // hasActionAbove[i], kept in `via`: 1 when an ancestor of i is an action. Ancestors come
      // first in seq order, so one ascending pass settles it; ancestors beyond visitMax are
      // unknown and count as none.
      const above = this.via;
      for (const i of visited) {
        let flag = 0;
        for (let e = this.parentStart[i]; e < this.parentStart[i + 1]; e++) {
          const p = this.parentSeqs[e];
          if (this.mark[p] === this.epoch && (ranks[p] >= 0 || above[p] === 1)) {
            flag = 1;
            break;
          }
        }
        above[i] = flag;
        if (i !== seq && flag === 0 && ranks[i] >= 0) found.push(i);
      }
    }
    if (found.length === 0) return ranks[seq] >= 0 ? [this.rootCause(seq, seq, 0, mode, -1)] : [];
    const times = this.times;
    found.sort((a, b) => ranks[a] - ranks[b] || times[a] - times[b] || a - b);
    return found.slice(0, limit).map((r) => this.rootCause(r, seq, this.depthOf[r], mode, behind.get(r) ?? -1));
  }

  /**
   * Continues the proximate walk whose records are queue[1 .. count) past the actions it stopped
   * at, through everything, until `visitMax` records are visited in all; returns each fault start
   * reached this way with the action it lies behind (the first action on its path), in BFS order.
   */
  private faultsBehindActions(count: number, visitMax: number): [number, number][] {
    const { mark, depthOf, queue, via, ranks, parentStart, parentSeqs } = this;
    const epoch = this.epoch;
    const out: [number, number][] = [];
    let tail = count;
    for (let head = 1; head < tail; head++) {
      const i = queue[head];
      // Records of the first walk other than actions were expanded by it already.
      if (head < count && ranks[i] < 0) continue;
      const action = head < count ? i : via[i];
      for (let e = parentStart[i]; e < parentStart[i + 1]; e++) {
        const p = parentSeqs[e];
        if (mark[p] === epoch) continue;
        if (tail - 1 >= visitMax) return out;
        mark[p] = epoch;
        depthOf[p] = depthOf[i] + 1;
        via[p] = action;
        queue[tail++] = p;
        if (ranks[p] === 0) out.push([p, action]);
      }
    }
    return out;
  }

  /**
   * Everything that followed from `seq` (its descendants), summarized. With `limit` the walk
   * keeps the nearest `limit` descendants and says it was truncated.
   */
  blastRadius(seq: number, options: { limit?: number } = {}): BlastRadius {
    this.check(seq);
    const { count, truncated } = this.walk(seq, false, Infinity, options.limit ?? Infinity);
    const reached = Array.from(this.queue.subarray(1, count)).sort((a, b) => a - b);
    const components: string[] = [];
    const seenComponents = new Set<string>();
    const actors: string[] = [];
    const seenActors = new Set<number>();
    const byType: Record<string, number> = {};
    let depthMax = 0;
    let lastMs = this.times[seq];
    for (const i of reached) {
      const r = this.log[i];
      if (r.target !== undefined && !seenComponents.has(r.target)) {
        seenComponents.add(r.target);
        components.push(r.target);
      }
      if (this.classes[i] === CLASS_AGENT && !seenActors.has(this.actorIndex[i])) {
        seenActors.add(this.actorIndex[i]);
        actors.push(r.actor);
      }
      byType[r.type] = (byType[r.type] ?? 0) + 1;
      if (this.depthOf[i] > depthMax) depthMax = this.depthOf[i];
      if (this.times[i] > lastMs) lastMs = this.times[i];
    }
    return { seq, count: reached.length, components, actors, depthMax, lastMs, byType, truncated };
  }

  /**
   * A shortest chain of cause edges from `fromSeq` to `toSeq`, both included, when `fromSeq` is
   * an ancestor of `toSeq` (or the same record); null otherwise. Walks back from `toSeq` over
   * records no older than `fromSeq`; among equally short chains, the one through the lowest
   * seqs nearest `toSeq` (parents are tried in ascending order).
   */
  path(fromSeq: number, toSeq: number): number[] | null {
    this.check(fromSeq);
    this.check(toSeq);
    if (fromSeq === toSeq) return [fromSeq];
    if (fromSeq > toSeq) return null;
    const epoch = this.nextEpoch();
    const mark = this.mark;
    const queue = this.queue;
    const via = this.via;
    mark[toSeq] = epoch;
    queue[0] = toSeq;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const i = queue[head++];
      for (let e = this.parentStart[i]; e < this.parentStart[i + 1]; e++) {
        const p = this.parentSeqs[e];
        if (p < fromSeq || mark[p] === epoch) continue;
        mark[p] = epoch;
        via[p] = i;
        if (p === fromSeq) {
          const path = [fromSeq];
          for (let at = fromSeq; at !== toSeq; ) path.push((at = via[at]));
          return path;
        }
        queue[tail++] = p;
      }
    }
    return null;
  }

  /** The agent-to-agent influence graph and its cycles; see sim/causal/influence.ts. */
  influence(options: InfluenceOptions = {}): InfluenceGraph {
    return influenceGraph(this, options);
  }

  /**
   * Breadth-first walk from `start` over parents (`up`) or children, at most `depthMax` edges
   * and `visitMax` records besides the start. Records reached are queue[1 .. count) in BFS
   * order, with depthOf set; `expand(i)` false stops the walk at i (the start always expands).
   * Internal, but used by sibling modules (layout) through `walkFrom`.
   */
  private walk(start: number, up: boolean, depthMax: number, visitMax: number, expand?: (i: number) => boolean): { count: number; truncated: boolean } {
    const epoch = this.nextEpoch();
    const mark = this.mark;
    const depthOf = this.depthOf;
    const queue = this.queue;
    const offsets = up ? this.parentStart : this.childStart;
    const targets = up ? this.parentSeqs : this.childSeqs;
    mark[start] = epoch;
    depthOf[start] = 0;
    queue[0] = start;
    let head = 0;
    let tail = 1;
    let truncated = false;
    while (head < tail) {
      const i = queue[head++];
      const d = depthOf[i];
      if (d >= depthMax) continue;
      if (head > 1 && expand !== undefined && !expand(i)) continue;
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        const j = targets[e];
        if (mark[j] === epoch) continue;
        if (tail - 1 >= visitMax) {
          truncated = true;
          head = tail;
          break;
        }
        mark[j] = epoch;
        depthOf[j] = d + 1;
        queue[tail++] = j;
      }
    }
    return { count: tail, truncated };
  }

  /**
   * Runs a bounded walk (see `walk`) and returns the reached records (not the start) with their
   * depths, in BFS order. For sibling modules; pure from the caller's view.
   */
  walkFrom(start: number, up: boolean, depthMax: number, visitMax: number, expand?: (i: number) => boolean): { reached: Reached[]; truncated: boolean } {
    this.check(start);
    const { count, truncated } = this.walk(start, up, depthMax, visitMax, expand);
    const reached: Reached[] = new Array(count - 1);
    for (let k = 1; k < count; k++) reached[k - 1] = { seq: this.queue[k], depth: this.depthOf[this.queue[k]] };
    return { reached, truncated };
  }

  private traversal(seq: number, up: boolean, options: TraversalOptions): Traversal {
    const { reached, truncated } = this.walkFrom(seq, up, options.depth ?? Infinity, options.limit ?? TRAVERSAL_LIMIT);
    reached.sort((a, b) => a.seq - b.seq);
    return { nodes: reached, truncated };
  }

  private rootCause(seq: number, of: number, depth: number, mode: RootCauseMode, behindAction: number): RootCause {
    const r = this.log[seq];
    const rank = this.ranks[seq];
    const kind = ACTION_KINDS[this.kinds[seq]] as RootCause["kind"];
    const against = this.against[seq];
    const why = reasonOf(r);
    const what = `${describeAction(r)}${why !== undefined && r.type !== "fault.started" ? ` because ${why}` : ""}`;
    let how: string;
    if (seq === of) how = `#${of} is its own root: nothing upstream of it is a fault or an action`;
    else if (behindAction >= 0) how = `behind action #${behindAction}, leads to #${of} in ${depth} cause step${depth === 1 ? "" : "s"}`;
    else if (depth === 1) how = `a direct cause of #${of}`;
    else if (mode === "proximate") how = `leads to #${of} in ${depth} cause steps through symptoms and bookkeeping only`;
    else how = `the earliest action on a cause chain ${depth} steps before #${of}`;
    const cause: RootCause = { seq, rank, kind, actor: r.actor, t: r.t, depth, reason: `${this.kindPhrase(seq)}: ${what}; ${how}` };
    if (against >= 0) cause.against = against;
    if (behindAction >= 0) cause.behindAction = true;
    return cause;
  }

  /**
   * What record `seq` is as a candidate root cause, in words: "stale write (based on version 2 of
   * ddb-dns.plan; enactor-c's #36 wrote it since)", "reversal of cost's change #4", "deletion",
   * "routine action", "fault"...; undefined for a record that is no action. Pure.
   */
  rootKind(seq: number): string | undefined {
    this.check(seq);
    return this.ranks[seq] < 0 ? undefined : this.kindPhrase(seq);
  }

  private kindPhrase(seq: number): string {
    const kind = ACTION_KINDS[this.kinds[seq]];
    const against = this.against[seq];
    if (against < 0) return kind;
    const other = this.log[against];
    const d = this.log[seq].data;
    if (this.kinds[seq] === KIND_STALE_WRITE) {
      const field = typeof d.expectedVersion === "number" ? "expectedVersion" : "readVersion";
      return `stale write (based on version ${jsonText(d[field])} of ${this.log[seq].target}.${jsonText(d.knob)}; ${other.actor}'s #${against} wrote it since)`;
    }
    return `reversal of ${other.actor}'s change #${against}`;
  }

  private nextEpoch(): number {
    if (this.mark.length < this.size) {
      this.mark = new Int32Array(this.size);
      this.depthOf = new Int32Array(this.size);
      this.queue = new Int32Array(this.size);
      this.via = new Int32Array(this.size);
      this.epoch = 0;
    }
    if (this.epoch >= 0x7fffffff) {
      this.mark.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }

  private check(seq: number): void {
    if (!Number.isInteger(seq) || seq < 0 || seq >= this.size) throw new RangeError(`causal graph: no record #${seq} (the log has seqs 0..${this.size - 1})`);
  }
}

/**
 * Builds the causal graph of `log` (record i must have seq i; every cause must be an earlier
 * seq, else RangeError naming the record) in O(records + edges) time and memory. Pure.
 */
export function buildCausalGraph(log: readonly EventRecord[], options: CausalGraphOptions = {}): CausalGraph {
  return new CausalGraph(log, options);
}
