// The reader of a scenario's CEL expressions that resolves group ids: a read of `<group>.<aggregate>`
// (`cells.sum.replicas`) is computed by sim/model/groups.ts evaluateAggregate over the members,
// each read through the caller's MemberReader (an agent's AgentIO, so every member read is a
// cause, as a `signal` guard on a group is); any other read goes to the caller's own reader.
import { evaluateAggregate, parseAggregateName, type AggregateName, type MemberReader } from "../model/groups.js";
import type { ExprReader } from "./cel.js";

/** A group as the reader needs it: its id and member component ids (a resolved GroupSpec fits). */
export interface ReaderGroup {
  id: string;
  members: readonly string[];
}

/**
 * A reader that answers group ids of `groups` by aggregating over their members read through
 * `members`, and passes every other (id, name) to `read`. An aggregate name that does not parse
 * reads NaN (the checker never lets one through). Deterministic; pure apart from the reads.
 */
export function groupReader(groups: readonly ReaderGroup[] | undefined, members: MemberReader, read: ExprReader): ExprReader {
  if (!groups || groups.length === 0) return read;
  const byId = new Map(groups.map((g) => [g.id, g.members]));
  const parsed = new Map<string, AggregateName | null>();
  return (id, name) => {
    const ms = byId.get(id);
    if (ms === undefined) return read(id, name);
    let agg = parsed.get(name);
    if (agg === undefined) parsed.set(name, (agg = parseAggregateName(name)));
    return agg ? evaluateAggregate(agg, ms, members) : NaN;
  };
}
