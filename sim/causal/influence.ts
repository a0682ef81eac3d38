// Who reacts to whom: the agent-to-agent influence graph read off the causal graph, with its
// strongly connected components and elementary cycles (a cycle is agents fighting, e.g. the
// perf <-> cost thrash loop), in the spirit of Elle's "build the graph, find the cycles".
import { CLASS_AGENT } from "./classify.js";
import type { CausalGraph } from "./graph.js";

/** Bounds of the influence computation. */
export interface InfluenceOptions {
  /** Only agent records at or after this time count as influenced (default: the whole run). */
  fromMs?: number;
  /** Only agent records at or before this time count as influenced. */
  toMs?: number;
  /** Most non-agent records a cause chain may pass through between two agents (default 4). */
  throughMax?: number;
  /** Most records visited back from one agent record (default 256). */
  visitMax?: number;
  /** Most elementary cycles listed (default 64). */
  cyclesMax?: number;
}

/** A -> B: `count` records of B had a cause chain to a record of A (see influenceGraph). */
export interface InfluenceEdge {
  from: string;
  to: string;
  count: number;
  /** The first such pair: [A's record, B's record]. */
  first: [number, number];
}

export interface InfluenceGraph {
  /** Agents with a record in the window or an edge, in order of their first record in the log. */
  agents: string[];
  /** Edges sorted by `from`, then `to` (code-unit order). Self-influence is left out. */
  edges: InfluenceEdge[];
  /** Strongly connected components of two or more agents, each sorted, sorted by first name. */
  components: string[][];
  /** Elementary cycles of length >= 2, each starting at its smallest name, shortest first. */
  cycles: string[][];
  /** True when `cyclesMax` (or the search budget) cut the list of cycles short. */
  cyclesTruncated: boolean;
}

const THROUGH_MAX = 4;
const VISIT_MAX = 256;
const CYCLES_MAX = 64;
// Steps of the cycle search before it gives up: elementary cycles can be exponentially many.
const CYCLE_STEPS_MAX = 200_000;

/**
 * The influence rule: agent A influences agent B once for every record of B (an action, a
 * published intent or a rejected command) from which a walk back along causes reaches a record
 * of A, passing only through non-agent records (health changes, fault and workload events, run
 * markers) and at most `throughMax` of them. The walk stops at every agent record it meets (B's
 * own earlier records included), so influence is counted between neighbours in the chain of
 * agent decisions, never across a third agent's decision. Self-influence (A = B) is dropped. The
 * count is of B's records, so one B record caused by two A records counts once.
 *
 * Linear in the agent records times min(visitMax, the records their bounded walks reach), plus a
 * cycle search bounded by `cyclesMax` and a step budget. Pure (deterministic: agents, edges and
 * cycles in a fixed order).
 */
export function influenceGraph(graph: CausalGraph, options: InfluenceOptions = {}): InfluenceGraph {
  const fromMs = options.fromMs ?? -Infinity;
  const toMs = options.toMs ?? Infinity;
  const throughMax = options.throughMax ?? THROUGH_MAX;
  const visitMax = options.visitMax ?? VISIT_MAX;
  const { classes, actorIndex, times, parentStart, parentSeqs, actors } = graph;
  const n = graph.size;
  const m = actors.length;
  const counts = new Map<number, InfluenceEdge>();
  const agentOrder: number[] = [];
  const isListed = new Uint8Array(m);
  // Per-walk scratch, local so this never disturbs the graph's own traversal scratch.
  const seenAt = new Int32Array(n).fill(-1);
  const hops = new Int32Array(n);
  const queue: number[] = [];
  const influencers: number[] = [];
  for (let b = 0; b < n; b++) {
    if (classes[b] !== CLASS_AGENT || times[b] < fromMs || times[b] > toMs) continue;
    const B = actorIndex[b];
    if (isListed[B] === 0) {
      isListed[B] = 1;
      agentOrder.push(B);
    }
    queue.length = 0;
    influencers.length = 0;
    queue.push(b);
    seenAt[b] = b;
    hops[b] = 0;
    let visited = 0;
    for (let q = 0; q < queue.length && visited < visitMax; q++) {
      const i = queue[q];
      for (let e = parentStart[i]; e < parentStart[i + 1] && visited < visitMax; e++) {
        const p = parentSeqs[e];
        if (seenAt[p] === b) continue;
        seenAt[p] = b;
        visited++;
        if (classes[p] === CLASS_AGENT) {
          const A = actorIndex[p];
          if (A !== B && !influencers.includes(A)) {
            influencers.push(A);
            const key = A * m + B;
            const edge = counts.get(key);
            if (edge === undefined) counts.set(key, { from: actors[A], to: actors[B], count: 1, first: [p, b] });
            else edge.count++;
          }
        } else if (hops[i] < throughMax) {
          hops[p] = hops[i] + 1;
          queue.push(p);
        }
      }
    }
  }
  const edges = [...counts.values()].sort((x, y) => compare(x.from, y.from) || compare(x.to, y.to));
  // An influencer whose records all fall before the window is still a node of the graph.
  for (const key of counts.keys()) {
    const A = Math.floor(key / m);
    if (isListed[A] === 0) {
      isListed[A] = 1;
      agentOrder.push(A);
    }
  }
  const agents = agentOrder.sort((a, b) => a - b).map((a) => actors[a]);
  const { components, cycles, truncated } = findCycles(agents, edges, options.cyclesMax ?? CYCLES_MAX);
  return { agents, edges, components, cycles, cyclesTruncated: truncated };
}

/**
 * Strongly connected components (Tarjan) of the directed graph on `names`, and its elementary
 * cycles: for each node s in name order, the simple paths from s through larger names that
 * return to s, so each cycle is found once, starting at its smallest name. Pure.
 */
export function findCycles(names: readonly string[], edges: readonly { from: string; to: string }[], cyclesMax: number): { components: string[][]; cycles: string[][]; truncated: boolean } {
  const sorted = [...names].sort(compare);
  const id = new Map(sorted.map((name, i) => [name, i]));
  const out: number[][] = sorted.map(() => []);
  for (const e of edges) {
    const a = id.get(e.from);
    const b = id.get(e.to);
    if (a !== undefined && b !== undefined && a !== b) out[a].push(b);
  }
  for (const list of out) list.sort((x, y) => x - y);
  const comp = tarjan(out);
  const groups = new Map<number, number[]>();
  comp.forEach((c, v) => {
    const g = groups.get(c);
    if (g === undefined) groups.set(c, [v]);
    else g.push(v);
  });
  const components = [...groups.values()].filter((g) => g.length >= 2).map((g) => g.sort((x, y) => x - y).map((v) => sorted[v]));
  components.sort((x, y) => compare(x[0], y[0]));

  const cycles: number[][] = [];
  let steps = 0;
  let truncated = false;
  const path: number[] = [];
  const onPath = new Uint8Array(sorted.length);
  const search = (s: number, v: number): void => {
    for (const w of out[v]) {
      if (truncated) return;
      if (++steps > CYCLE_STEPS_MAX) {
        truncated = true;
        return;
      }
      if (comp[w] !== comp[s] || w < s) continue;
      if (w === s) {
        if (cycles.length >= cyclesMax) {
          truncated = true;
          return;
        }
        cycles.push([...path]);
      } else if (onPath[w] === 0) {
        onPath[w] = 1;
        path.push(w);
        search(s, w);
        path.pop();
        onPath[w] = 0;
      }
    }
  };
  for (let s = 0; s < sorted.length && !truncated; s++) {
    path.length = 0;
    path.push(s);
    onPath[s] = 1;
    search(s, s);
    onPath[s] = 0;
  }
  const named = cycles.map((c) => c.map((v) => sorted[v]));
  named.sort((x, y) => x.length - y.length || compare(x.join("\u0000"), y.join("\u0000")));
  return { components, cycles: named, truncated };
}

/** Component number of each node (Tarjan's algorithm, iterative so deep graphs do not overflow the stack). */
function tarjan(out: readonly number[][]): number[] {
  const n = out.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Array<number>(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  let counter = 0;
  let comps = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    const frames: [number, number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const v = frame[0];
      if (frame[1] < out[v].length) {
        const w = out[v][frame[1]++];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          frames.push([w, 0]);
        } else if (onStack[w] === 1 && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1][0];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = comps;
        } while (w !== v);
        comps++;
      }
    }
  }
  return comp;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
