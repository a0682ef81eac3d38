// Layout data for the two causal views: the space-time view (one lane per actor, x = simulated
// time, cause edges between visible records, like ShiViz) and the layered neighbourhood of one
// event (ancestors left, descendants right, order within a layer by barycenters). Deterministic:
// the same input gives deep-equal output; drawing and scaling are the UI's job.
import type { EventRecord } from "../log/record.js";
import { CLASS_ENGINE, CLASS_FAULT, CLASS_SYMPTOM, CLASS_WORKLOAD, classCode } from "./classify.js";
import type { CausalGraph, Reached } from "./graph.js";

/** What an actor's lane holds, for colouring: the class of the actor's first record. */
export type LaneKind = "agent" | "fault" | "workload" | "component" | "engine";

export interface Lane {
  actor: string;
  kind: LaneKind;
  /** Records of this actor in the view. */
  count: number;
}

export interface SpaceTimeNode {
  seq: number;
  /** Index into `lanes`. */
  lane: number;
  /** Simulated time in ms (the x coordinate before scaling). */
  t: number;
}

export interface CauseEdge {
  /** The cause. */
  from: number;
  /** The record citing it. */
  to: number;
}

export interface SpaceTimeLayout {
  lanes: Lane[];
  /** Visible records in seq order (which is time order). */
  nodes: SpaceTimeNode[];
  /** Causes between visible records, ordered by `to` then `from`. */
  edges: CauseEdge[];
  /** Causes of visible records that point at records outside the view (another lane or time). */
  hiddenCauses: number;
  /** Time span of the visible records (both 0 when none are visible). */
  fromMs: number;
  toMs: number;
}

export interface SpaceTimeOptions {
  /** Only these actors get lanes (unknown ids are ignored); lane order stays first appearance. */
  actors?: readonly string[];
  /** Only records at or after this time. */
  fromMs?: number;
  /** Only records at or before this time. */
  toMs?: number;
  /** Leave out the engine's lane (run.started, run.ended) instead of putting it last. */
  omitEngine?: boolean;
  /** The scenario's agent ids, for classifying lanes (see classCode). */
  agents?: readonly string[];
}

/**
 * The space-time view of `log`: one lane per actor, ordered by the actor's first record in the
 * whole log (so lanes do not move while the time window pans), with the engine's lane last (or
 * left out with `omitEngine`); one node per record in the window, and an edge for every cause
 * between two visible records. O(records + edges). Pure.
 */
export function spaceTimeLayout(log: readonly EventRecord[], options: SpaceTimeOptions = {}): SpaceTimeLayout {
  const fromMs = options.fromMs ?? -Infinity;
  const toMs = options.toMs ?? Infinity;
  const only = options.actors === undefined ? undefined : new Set(options.actors);
  const agents = options.agents === undefined ? undefined : new Set(options.agents);
  // Lanes by first appearance; the engine's is moved last.
  const laneOfActor = new Map<string, number>();
  const lanes: Lane[] = [];
  let engineLane: Lane | undefined;
  for (const r of log) {
    if (laneOfActor.has(r.actor)) continue;
    const kind = laneKind(classCode(r, agents));
    const visible = (only === undefined || only.has(r.actor)) && !(r.actor === "engine" && options.omitEngine === true);
    laneOfActor.set(r.actor, visible ? -2 : -1);
    if (!visible) continue;
    const lane: Lane = { actor: r.actor, kind, count: 0 };
    if (r.actor === "engine") engineLane = lane;
    else lanes.push(lane);
  }
  if (engineLane !== undefined) lanes.push(engineLane);
  lanes.forEach((lane, i) => laneOfActor.set(lane.actor, i));

  // Indexed by seq: a log filtered by seq (ascending, as every log is) works too; causes of
  // records outside it are hidden causes.
  const laneOfSeq = new Int32Array(log.length > 0 ? log[log.length - 1].seq + 1 : 0).fill(-1);
  const nodes: SpaceTimeNode[] = [];
  const edges: CauseEdge[] = [];
  let hiddenCauses = 0;
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < log.length; i++) {
    const r = log[i];
    if (r.t < fromMs || r.t > toMs) continue;
    const lane = laneOfActor.get(r.actor)!;
    if (lane < 0) continue;
    laneOfSeq[r.seq] = lane;
    lanes[lane].count++;
    nodes.push({ seq: r.seq, lane, t: r.t });
    if (r.t < first) first = r.t;
    if (r.t > last) last = r.t;
    for (const c of r.causes) {
      if (c >= 0 && c < r.seq && laneOfSeq[c] >= 0) edges.push({ from: c, to: r.seq });
      else hiddenCauses++;
    }
  }
  return { lanes, nodes, edges, hiddenCauses, fromMs: nodes.length > 0 ? first : 0, toMs: nodes.length > 0 ? last : 0 };
}

/** The lane kind of an actor whose first record has class `code` (see classCode). Pure. */
export function laneKind(code: number): LaneKind {
  if (code === CLASS_FAULT) return "fault";
  if (code === CLASS_WORKLOAD) return "workload";
  if (code === CLASS_ENGINE) return "engine";
  if (code === CLASS_SYMPTOM) return "component";
  return "agent";
}

export interface NeighbourhoodOptions {
  /** Most cause edges back from the event (default 3). */
  up?: number;
  /** Most cause edges forward from the event (default 3). */
  down?: number;
  /** Most records shown, the event included (default 60, at least 1). */
  maxNodes?: number;
  /** Leave out engine records (run.started is a cause of every agent's first decision). */
  omitEngine?: boolean;
  /** Most records each walk visits before giving up (default 10 000). */
  visitMax?: number;
  /** Barycenter sweeps (default 4: out, in, out, in). */
  sweeps?: number;
}

export interface NeighbourhoodNode {
  seq: number;
  /** Negative: ancestors (causes flow left to right), 0: the event, positive: descendants. */
  layer: number;
  /** Position within the layer, from 0. */
  order: number;
  /** Cause edges between it and the event (shortest). */
  depth: number;
}

export interface NeighbourhoodLayout {
  center: number;
  /** Layers from the most negative to the most positive; each lists seqs in drawing order. */
  layers: { layer: number; seqs: number[] }[];
  /** Every shown record, by layer then order. */
  nodes: NeighbourhoodNode[];
  /** Causes between shown records (each from a lower layer to a higher one), by `to` then `from`. */
  edges: CauseEdge[];
  /** Records within `up` / `down` that were left out to stay within `maxNodes` (farthest first). */
  dropped: number;
  /** False when a walk stopped at `visitMax`, so `dropped` is a lower bound. */
  complete: boolean;
  /** Crossings between edges joining adjacent layers, after ordering. */
  crossings: number;
}

const NEIGHBOURHOOD_DEPTH = 3;
const NEIGHBOURHOOD_NODES = 60;
const NEIGHBOURHOOD_VISIT_MAX = 10_000;
const SWEEPS = 4;

/**
 * The layered neighbourhood of event `seq`: its ancestors within `up` cause edges and its
 * descendants within `down`, at most `maxNodes` records. When there are more, the farthest (in
 * cause edges) are dropped first, then, at equal distance, the farthest in time, then the
 * highest seq; `dropped` says how many. A kept record's path to the event is always kept.
 *
 * Layers: the longest chain of shown cause edges to the event, so every edge points from a lower
 * layer to a higher one (ancestors negative, descendants positive). Order within a layer:
 * starting from seq order, barycenter sweeps (outward using the neighbours on the event's side,
 * then inward using the other side, alternating) move each record toward the mean position of
 * its neighbours; ties keep the previous order, then seq. The ordering with the fewest crossings
 * between adjacent layers is kept. Pure.
 */
export function neighbourhoodLayout(graph: CausalGraph, seq: number, options: NeighbourhoodOptions = {}): NeighbourhoodLayout {
  const up = options.up ?? NEIGHBOURHOOD_DEPTH;
  const down = options.down ?? NEIGHBOURHOOD_DEPTH;
  const maxNodes = Math.max(1, options.maxNodes ?? NEIGHBOURHOOD_NODES);
  const visitMax = options.visitMax ?? NEIGHBOURHOOD_VISIT_MAX;
  const engineOk = (i: number): boolean => !(options.omitEngine === true && graph.classes[i] === CLASS_ENGINE);
  const ups = graph.walkFrom(seq, true, up, visitMax, engineOk);
  const downs = graph.walkFrom(seq, false, down, visitMax, engineOk);
  const t0 = graph.times[seq];
  const candidates: (Reached & { side: -1 | 1 })[] = [];
  for (const r of ups.reached) if (engineOk(r.seq)) candidates.push({ ...r, side: -1 });
  for (const r of downs.reached) if (engineOk(r.seq)) candidates.push({ ...r, side: 1 });
  candidates.sort((a, b) => a.depth - b.depth || Math.abs(graph.times[a.seq] - t0) - Math.abs(graph.times[b.seq] - t0) || a.seq - b.seq);
  const kept = candidates.slice(0, maxNodes - 1);
  const dropped = candidates.length - kept.length;

  // Longest-chain layers: ancestors in descending seq (children first), descendants ascending.
  const layerOf = new Map<number, number>([[seq, 0]]);
  const depthOf = new Map<number, number>([[seq, 0]]);
  const ancestors = kept.filter((c) => c.side < 0).sort((a, b) => b.seq - a.seq);
  const descendants = kept.filter((c) => c.side > 0).sort((a, b) => a.seq - b.seq);
  for (const c of ancestors) depthOf.set(c.seq, c.depth);
  for (const c of descendants) depthOf.set(c.seq, c.depth);
  for (const c of ancestors) {
    let layer = 0;
    for (const child of graph.children(c.seq)) {
      const l = layerOf.get(child);
      if (l !== undefined && l <= 0 && l - 1 < layer) layer = l - 1;
    }
    layerOf.set(c.seq, layer);
  }
  for (const c of descendants) {
    let layer = 0;
    for (const parent of graph.parents(c.seq)) {
      const l = layerOf.get(parent);
      if (l !== undefined && l >= 0 && l + 1 > layer) layer = l + 1;
    }
    layerOf.set(c.seq, layer);
  }

  const edges: CauseEdge[] = [];
  const parentsIn = new Map<number, number[]>();
  const childrenIn = new Map<number, number[]>();
  const shown = [...layerOf.keys()].sort((a, b) => a - b);
  for (const to of shown) {
    for (const from of graph.parents(to)) {
      if (!layerOf.has(from)) continue;
      edges.push({ from, to });
      (parentsIn.get(to) ?? parentsIn.set(to, []).get(to)!).push(from);
      (childrenIn.get(from) ?? childrenIn.set(from, []).get(from)!).push(to);
    }
  }

  let layerMin = 0;
  let layerMax = 0;
  for (const l of layerOf.values()) {
    if (l < layerMin) layerMin = l;
    if (l > layerMax) layerMax = l;
  }
  const layers: number[][] = [];
  for (let l = layerMin; l <= layerMax; l++) layers.push([]);
  for (const s of shown) layers[layerOf.get(s)! - layerMin].push(s);

  const ordered = orderLayers(layers, parentsIn, childrenIn, layerMin, options.sweeps ?? SWEEPS);
  const nodes: NeighbourhoodNode[] = [];
  ordered.layers.forEach((list, k) => list.forEach((s, order) => nodes.push({ seq: s, layer: k + layerMin, order, depth: depthOf.get(s)! })));
  return {
    center: seq,
    layers: ordered.layers.map((list, k) => ({ layer: k + layerMin, seqs: list })),
    nodes,
    edges,
    dropped,
    complete: !ups.truncated && !downs.truncated,
    crossings: ordered.crossings,
  };
}

/**
 * Barycenter ordering. The event's layer (index -layerMin) is fixed; sweeps alternate between
 * outward (each layer ordered by its neighbours on the side of the event) and inward (by its
 * neighbours on the far side). Keeps the ordering with the fewest adjacent-layer crossings.
 */
function orderLayers(initial: number[][], parentsIn: Map<number, number[]>, childrenIn: Map<number, number[]>, layerMin: number, sweeps: number): { layers: number[][]; crossings: number } {
  let layers = initial.map((l) => [...l]);
  const center = -layerMin;
  let best = layers.map((l) => [...l]);
  let bestCrossings = countCrossings(layers, parentsIn);
  const position = new Map<number, number>();
  const place = (): void => {
    for (const list of layers) list.forEach((s, i) => position.set(s, list.length > 1 ? i / (list.length - 1) : 0.5));
  };
  const reorder = (k: number, neighboursOf: (s: number) => number[] | undefined): void => {
    const list = layers[k];
    const key = new Map<number, number>();
    for (const s of list) {
      const ns = neighboursOf(s);
      let sum = 0;
      let count = 0;
      for (const x of ns ?? []) {
        const p = position.get(x);
        if (p !== undefined && layerIndexOf(x) !== k) {
          sum += p;
          count++;
        }
      }
      key.set(s, count > 0 ? sum / count : position.get(s)!);
    }
    const previous = new Map(list.map((s, i) => [s, i]));
    list.sort((a, b) => key.get(a)! - key.get(b)! || previous.get(a)! - previous.get(b)! || a - b);
    list.forEach((s, i) => position.set(s, list.length > 1 ? i / (list.length - 1) : 0.5));
  };
  const layerIndex = new Map<number, number>();
  initial.forEach((list, k) => list.forEach((s) => layerIndex.set(s, k)));
  const layerIndexOf = (s: number): number => layerIndex.get(s)!;
  place();
  for (let sweep = 0; sweep < sweeps; sweep++) {
    const outward = sweep % 2 === 0;
    if (outward) {
      for (let k = center - 1; k >= 0; k--) reorder(k, (s) => childrenIn.get(s));
      for (let k = center + 1; k < layers.length; k++) reorder(k, (s) => parentsIn.get(s));
    } else {
      for (let k = 0; k < center; k++) reorder(k, (s) => parentsIn.get(s));
      for (let k = layers.length - 1; k > center; k--) reorder(k, (s) => childrenIn.get(s));
    }
    const crossings = countCrossings(layers, parentsIn);
    if (crossings < bestCrossings) {
      bestCrossings = crossings;
      best = layers.map((l) => [...l]);
    }
  }
  layers = best;
  return { layers, crossings: bestCrossings };
}

/** Crossings among edges between adjacent layers: pairs (a->b, c->d) with a before c and d before b. */
function countCrossings(layers: number[][], parentsIn: Map<number, number[]>): number {
  let crossings = 0;
  for (let k = 1; k < layers.length; k++) {
    const above = new Map(layers[k - 1].map((s, i) => [s, i]));
    const pairs: [number, number][] = [];
    layers[k].forEach((s, j) => {
      for (const p of parentsIn.get(s) ?? []) {
        const i = above.get(p);
        if (i !== undefined) pairs.push([i, j]);
      }
    });
    // Quadratic in the edges between two layers: neighbourhoods are bounded (maxNodes).
    for (let x = 0; x < pairs.length; x++) {
      for (let y = x + 1; y < pairs.length; y++) {
        const [a, b] = pairs[x];
        const [c, d] = pairs[y];
        if ((a < c && b > d) || (a > c && b < d)) crossings++;
      }
    }
  }
  return crossings;
}
