// The resolved form of the group-level coordination policies (docs/coordination.md): bounds on an
// aggregate over a set of knobs, fail static on a widespread failure, leases over a scope, and
// arbiters merging several agents' desired values. Plain data; resolve-coordination-group.ts builds it.

/** Which aggregate a bound limits. */
export type AggregateKind = "sum" | "avg" | "min" | "max";

/** A floor and/or ceiling on an aggregate of a set of knobs. */
export interface BoundRule {
  /** How the set is named in reasons: the patterns as written (`dom-*.replicas`). */
  label: string;
  /** The concrete knob keys (`component.knob`) in the set, in scenario order. */
  keys: string[];
  aggregate: AggregateKind;
  min?: number;
  max?: number;
}

/** While enough watched components are down, commands on the knobs are refused or held. */
export interface FailStaticRule {
  /** The watch patterns as written (or `group <id>`), for reasons. */
  watch: string[];
  /** The watched component ids, in scenario order. */
  components: string[];
  /** Least number of watched components down that freezes the knobs (from `quorum` or `unhealthyFraction`). */
  downMin: number;
  /** How the threshold was given, for reasons: `quorum 2` or `50%`. */
  threshold: string;
  knobs: string[];
  action: "reject" | "hold";
  /** With `hold`: how often a held command is re-checked, and the longest it is held before it is rejected. */
  recheckMs: number;
  holdMaxMs: number;
}

/** A lease over a set of knobs: one holder at a time for the whole set. */
export interface LeaseScope {
  id: string;
  knobs: string[];
  ttlMs: number;
}

/** Several agents' desired values on one knob, merged into the value written. */
export interface ArbiterRule {
  knobs: string[];
  merge: "max" | "min" | "priority";
  /** The agents whose desires are merged (priority order for `priority`); absent: every writer. */
  agents?: string[];
  /** A desire older than this no longer counts; absent: desires never go stale. */
  staleAfterMs?: number;
}
