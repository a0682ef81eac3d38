// The causal view's index of one run: lanes, nodes and cause edges in typed columns, built in one
// pass over the log and extended in place when a streaming run grows (records are appended in
// time order, so every column stays sorted by time). Lane order and edges match spaceTimeLayout
// with omitEngine; the view culls nodes and edges by time with binary searches on these columns.
import { classCode } from "../../sim/causal/classify.js";
import { laneKind, type Lane } from "../../sim/causal/layout.js";
import type { EventRecord } from "../../sim/log/record.js";

/** A growable typed column: `data` is replaced (doubled) when full, so read it after growing. */
class Column<T extends Int32Array | Float64Array> {
  length = 0;
  constructor(public data: T) {}
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new (this.data.constructor as { new (n: number): T })(Math.max(16, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
}

/** First index in [lo, hi) where `before` is false (`before` must be true, then false, over the range). */
export function partitionPoint(lo: number, hi: number, before: (i: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Nodes (records off the engine's lane) and cause edges between them, in columns. Edges are split
 * by time span: short ones (at most `shortSpanMs`, nearly all) are found by a binary search on the
 * time of their later end; the few long ones are scanned. So the edges touching a time window cost
 * O(log n + edges in it + long edges), never a pass over the run.
 */
export class CausalIndex {
  readonly lanes: Lane[] = [];
  /** Lane of each actor seen so far; -1 for the engine's records (not drawn). */
  private readonly laneOfActor = new Map<string, number>();
  private readonly agents: ReadonlySet<string>;
  /** Log records consumed so far (the next extend starts here). */
  private consumed = 0;
  private readonly seqs = new Column(new Int32Array(1024));
  private readonly laneCol = new Column(new Int32Array(1024));
  private readonly timeCol = new Column(new Float64Array(1024));
  /** Node index by seq, -1 when the record is not drawn; grown with the log. */
  private nodeBySeq = new Int32Array(1024).fill(-1);
  /** Per lane, node indexes in time order. */
  readonly byLane: number[][] = [];
  private readonly shortFrom = new Column(new Int32Array(1024));
  private readonly shortTo = new Column(new Int32Array(1024));
  private readonly longFrom = new Column(new Int32Array(64));
  private readonly longTo = new Column(new Int32Array(64));
  /** Causes that point at records not drawn (the engine's). */
  hiddenCauses = 0;
  readonly shortSpanMs: number;

  /** `durationMs` sets the short/long edge split; `agents` classifies lanes (see classCode). */
  constructor(durationMs: number, agents: readonly string[]) {
    this.agents = new Set(agents);
    // 1/256 of the run: a window's short-edge scan reaches at most that far past its right edge.
    this.shortSpanMs = Math.max(1, durationMs / 256);
  }

  get nodeCount(): number {
    return this.seqs.length;
  }
  get edgeCount(): number {
    return this.shortFrom.length + this.longFrom.length;
  }
  /** Node columns (valid up to nodeCount; re-read after extend, which may replace them). */
  get times(): Float64Array {
    return this.timeCol.data;
  }
  get laneOf(): Int32Array {
    return this.laneCol.data;
  }
  get seqOf(): Int32Array {
    return this.seqs.data;
  }

  /** Node index of record `seq`, or -1 when it is not drawn (engine) or not indexed yet. */
  nodeOfSeq(seq: number): number {
    return seq >= 0 && seq < this.consumed ? this.nodeBySeq[seq] : -1;
  }

  /**
   * Consumes `log` from the last record indexed (log[i].seq === i; a streaming run's log only
   * grows). Returns the first new node index, whether lanes were added, and the earliest time the
   * new nodes and edges touch (Infinity when none), to tell what a drawn window must redraw.
   * O(new records).
   */
  extend(log: readonly EventRecord[]): { fromNode: number; lanesAdded: boolean; earliestMs: number } {
    const fromNode = this.nodeCount;
    let earliestMs = Infinity;
    const lanesBefore = this.lanes.length;
    if (log.length > this.nodeBySeq.length) {
      const bigger = new Int32Array(Math.max(log.length, this.nodeBySeq.length * 2)).fill(-1);
      bigger.set(this.nodeBySeq);
      this.nodeBySeq = bigger;
    }
    for (let i = this.consumed; i < log.length; i++) {
      const r = log[i];
      let lane = this.laneOfActor.get(r.actor);
      if (lane === undefined) {
        lane = r.actor === "engine" ? -1 : this.lanes.length;
        this.laneOfActor.set(r.actor, lane);
        if (lane >= 0) {
          this.lanes.push({ actor: r.actor, kind: laneKind(classCode(r, this.agents)), count: 0 });
          this.byLane.push([]);
        }
      }
      if (lane < 0) continue;
      const node = this.seqs.length;
      this.nodeBySeq[r.seq] = node;
      this.seqs.push(r.seq);
      this.laneCol.push(lane);
      this.timeCol.push(r.t);
      this.lanes[lane].count++;
      this.byLane[lane].push(node);
      if (r.t < earliestMs) earliestMs = r.t;
      for (const c of r.causes) {
        const from = c >= 0 && c < r.seq ? this.nodeBySeq[c] : -1;
        if (from < 0) {
          this.hiddenCauses++;
          continue;
        }
        const fromMs = this.timeCol.data[from];
        if (fromMs < earliestMs) earliestMs = fromMs;
        const long = r.t - fromMs > this.shortSpanMs;
        (long ? this.longFrom : this.shortFrom).push(from);
        (long ? this.longTo : this.shortTo).push(node);
      }
    }
    this.consumed = log.length;
    return { fromNode, lanesAdded: this.lanes.length > lanesBefore, earliestMs };
  }

  /** The node range [i0, i1) of the nodes with fromMs <= t <= toMs. O(log n). */
  nodesBetween(fromMs: number, toMs: number): [number, number] {
    const times = this.timeCol.data;
    const i0 = partitionPoint(0, this.nodeCount, (i) => times[i] < fromMs);
    return [i0, partitionPoint(i0, this.nodeCount, (i) => times[i] <= toMs)];
  }

  /**
   * Calls `visit(fromNode, toNode)` for every edge with an end in [fromMs, toMs] or spanning it.
   * Returns how many it visited. O(log n + visited + long edges).
   */
  forEachEdgeBetween(fromMs: number, toMs: number, visit: (from: number, to: number) => void): number {
    const times = this.timeCol.data;
    const sFrom = this.shortFrom.data;
    const sTo = this.shortTo.data;
    let visited = 0;
    const n = this.shortFrom.length;
    const reach = toMs + this.shortSpanMs;
    for (let k = partitionPoint(0, n, (j) => times[sTo[j]] < fromMs); k < n; k++) {
      const tTo = times[sTo[k]];
      if (tTo > reach) break;
      if (times[sFrom[k]] > toMs) continue;
      visit(sFrom[k], sTo[k]);
      visited++;
    }
    const lFrom = this.longFrom.data;
    const lTo = this.longTo.data;
    for (let k = 0; k < this.longFrom.length; k++) {
      if (times[lTo[k]] < fromMs || times[lFrom[k]] > toMs) continue;
      visit(lFrom[k], lTo[k]);
      visited++;
    }
    return visited;
  }

  /** Calls `visit(fromNode, toNode)` for every edge into nodes from `fromNode` on (what an extend added). Returns how many. */
  forEachEdgeInto(fromNode: number, visit: (from: number, to: number) => void): number {
    let visited = 0;
    for (const [froms, tos] of [
      [this.shortFrom, this.shortTo],
      [this.longFrom, this.longTo],
    ]) {
      const to = tos.data;
      for (let k = partitionPoint(0, tos.length, (j) => to[j] < fromNode); k < tos.length; k++) {
        visit(froms.data[k], to[k]);
        visited++;
      }
    }
    return visited;
  }
}
