// The root-cause-to-impact path of a finding, critical-path style: one chain of cause edges from
// the finding's best root cause (as the detectors ranked it) to the impact it led to, preferring
// the chain that passes through the finding's own records. Pure; reads the causal graph only.
import type { Finding } from "../detect/finding.js";
import type { CausalGraph } from "./graph.js";

/** Bounds and preferences of criticalPath. */
export interface CriticalPathOptions {
  /** Records the chain should pass through when it can (more is better, before shorter). */
  waypoints?: Iterable<number>;
  /** Most ancestors of the end visited (default 20 000); beyond it the chain may not be found. */
  visitMax?: number;
}

/** One step of a path: a record and how long until the next step. */
export interface PathStep {
  seq: number;
  t: number;
  /** Simulated ms from this step to the next one; undefined on the last step. */
  delayMs?: number;
  /** True for a record among the waypoints asked for (a finding's own root cause or witness). */
  waypoint: boolean;
}

/** A finding's root-cause-to-impact path. */
export interface FindingPath {
  /** The finding's first root cause (the detectors' ranking, best first). */
  rootSeq: number;
  /** The impact: see findingPath. Equal to rootSeq when nothing later among the witnesses descends from it. */
  impactSeq: number;
  steps: PathStep[];
  /** Simulated ms from the root cause to the impact. */
  totalMs: number;
  /** How many of the finding's other root causes and witnesses the chain passes through. */
  waypointsOnPath: number;
}

const VISIT_MAX = 20_000;

/**
 * The best chain of cause edges from `fromSeq` to `toSeq` (both included), or null when `fromSeq`
 * is not an ancestor of `toSeq` within `visitMax` visited records. Best = through the most
 * `waypoints`, then the fewest edges; ties go to the lowest parent seq at each step, walking back
 * from `toSeq`, so the answer is deterministic. One backward walk marks the records between the
 * two, then one pass in seq order (causes always have lower seqs, so that is a topological order)
 * keeps each record's best parent: O(records and edges between them). Pure.
 */
export function criticalPath(graph: CausalGraph, fromSeq: number, toSeq: number, options: CriticalPathOptions = {}): number[] | null {
  if (fromSeq === toSeq) return graph.record(fromSeq) ? [fromSeq] : null;
  if (fromSeq > toSeq) return null;
  graph.record(fromSeq);
  const visitMax = options.visitMax ?? VISIT_MAX;
  // Ancestors of toSeq no older than fromSeq: the only records a chain between them can use.
  const { reached } = graph.walkFrom(toSeq, true, Infinity, visitMax, (i) => i > fromSeq);
  const between = reached.map((r) => r.seq).filter((s) => s >= fromSeq);
  if (!between.includes(fromSeq)) return null;
  between.push(toSeq);
  between.sort((a, b) => a - b);
  const waypoints = new Set(options.waypoints ?? []);
  const inSet = new Set(between);
  // Per record reached from fromSeq: waypoints on its best chain, edges, and the parent it came by.
  const gained = new Map<number, number>([[fromSeq, 0]]);
  const edges = new Map<number, number>([[fromSeq, 0]]);
  const parentOf = new Map<number, number>();
  const { parentStart, parentSeqs } = graph;
  for (const i of between) {
    if (i === fromSeq) continue;
    let bestParent = -1;
    let bestGain = -1;
    let bestEdges = Infinity;
    for (let e = parentStart[i]; e < parentStart[i + 1]; e++) {
      const p = parentSeqs[e];
      if (!inSet.has(p) || !gained.has(p)) continue;
      const g = gained.get(p)!;
      const n = edges.get(p)! + 1;
      // Parents come in ascending seq order: a later one wins only when strictly better.
      if (g > bestGain || (g === bestGain && n < bestEdges)) {
        bestParent = p;
        bestGain = g;
        bestEdges = n;
      }
    }
    if (bestParent < 0) continue;
    parentOf.set(i, bestParent);
    gained.set(i, bestGain + (i !== toSeq && waypoints.has(i) ? 1 : 0));
    edges.set(i, bestEdges);
  }
  if (!parentOf.has(toSeq)) return null;
  const path = [toSeq];
  for (let at = toSeq; at !== fromSeq; ) path.push((at = parentOf.get(at)!));
  return path.reverse();
}

/**
 * The root-cause-to-impact path of `finding`, or null when it names no root cause. The root is
 * the finding's first root cause (the detectors' ranking: sim/detect/action-rank.ts via
 * CausalGraph.rootCauses). The impact is the latest of the finding's witnesses that descends from
 * the root and is a symptom (a health change: what users felt), else the latest witness that
 * descends from it at all, else the root itself (e.g. a lost update whose stale write is its last
 * witness). The chain between them is criticalPath's, with the finding's other root causes and
 * witnesses as waypoints. Pure.
 */
export function findingPath(graph: CausalGraph, finding: Finding, options: { visitMax?: number } = {}): FindingPath | null {
  const rootSeq = finding.rootCauses[0];
  if (rootSeq === undefined || rootSeq < 0 || rootSeq >= graph.size) return null;
  const visitMax = options.visitMax ?? VISIT_MAX;
  const later = finding.witnesses.filter((w) => w > rootSeq && w < graph.size);
  let impactSeq = rootSeq;
  if (later.length > 0) {
    const { reached } = graph.walkFrom(rootSeq, false, Infinity, visitMax);
    const descends = new Set(reached.map((r) => r.seq));
    const candidates = later.filter((w) => descends.has(w));
    const symptoms = candidates.filter((w) => graph.log[w].type === "health.changed");
    const pool = symptoms.length > 0 ? symptoms : candidates;
    if (pool.length > 0) impactSeq = Math.max(...pool);
  }
  const waypoints = new Set([...finding.rootCauses, ...finding.witnesses]);
  const seqs = criticalPath(graph, rootSeq, impactSeq, { waypoints, visitMax }) ?? [rootSeq];
  const steps: PathStep[] = seqs.map((seq, k) => {
    const t = graph.times[seq];
    const step: PathStep = { seq, t, waypoint: waypoints.has(seq) };
    if (k + 1 < seqs.length) step.delayMs = graph.times[seqs[k + 1]] - t;
    return step;
  });
  const inner = seqs.slice(1, -1).filter((s) => waypoints.has(s)).length;
  return { rootSeq, impactSeq: seqs[seqs.length - 1], steps, totalMs: graph.times[seqs[seqs.length - 1]] - graph.times[rootSeq], waypointsOnPath: inner };
}
