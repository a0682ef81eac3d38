// The resolved form of a signal-gated veto rule (docs/coordination.md#veto). Plain data;
// resolve-veto.ts builds it, sim/engine/coordination/veto.ts runs it.
import type { CelRead } from "../agents/declarative/chart.js";

/** One veto rule: while `when` holds for a command on `knobs`, the command is rejected or held. */
export interface VetoRule {
  id: string;
  knobs: string[];
  /** The CEL condition as written (compiled again by the policy against only what it reads). */
  when: string;
  /** Every (id, name) the condition reads, in text order; a group read with its members, a derived signal with its expression. */
  reads: CelRead[];
  /** The condition's estimated cost (sim/expr/cel.ts). */
  cost: number;
  action: "reject" | "hold";
  recheckMs: number;
  holdMaxMs: number;
  /** What each reason starts with: the rule's `reason`, or its id. */
  reason: string;
}
