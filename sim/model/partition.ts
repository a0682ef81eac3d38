// Network partitions between sites: which side of a partition each component and agent is on,
// and whether two of them are cut apart. A partition is a set of sides, each a set of sites; an
// id in no site, or in a site on no side, is on no side and reachable from everywhere. Pure.
import type { ComponentFaultSpec, PartitionSpec } from "../scenario/types.js";

/** Side index of every id on a side of one partition (ids on no side are absent). */
export type Cut = ReadonlyMap<string, number>;

/** The side of every component and agent id that a partition puts on a side. Pure. */
export function cutOf(partition: PartitionSpec, sites: Readonly<Record<string, readonly string[]>>): Cut {
  const sideOf = new Map<string, number>();
  partition.sides.forEach((side, s) => {
    for (const site of side) for (const id of sites[site] ?? []) sideOf.set(id, s);
  });
  return sideOf;
}

/** True when `cut` puts `a` and `b` on different sides (both must be on a side). Pure. */
export function separates(cut: Cut, a: string, b: string): boolean {
  const x = cut.get(a);
  if (x === undefined) return false;
  const y = cut.get(b);
  return y !== undefined && x !== y;
}

/**
 * The edge fault a partition puts on one crossing call, caller -> callee: every call fails (an
 * edge loss of 100%). Carries the partition's id, so its events are the edge's provenance. Pure.
 */
export function crossingEdgeFault(partition: PartitionSpec, caller: string, callee: string): ComponentFaultSpec {
  return { id: partition.id, startMs: partition.startMs, ...(partition.durationMs !== undefined ? { durationMs: partition.durationMs } : {}), target: callee, from: caller, effect: "errors", rate: 1 };
}
