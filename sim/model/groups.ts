// Groups of components and their aggregate signals: the one place that names, checks and
// computes an aggregate, so guards, values, expectations, telemetry, policies and CEL agree.
//
// API (pure; none of it touches the engine):
// - parseAggregateName(text): `sum.replicas`, `avg.latencyMsP95`, `count`, `countHealthy`,
//   `fraction.unavailable` -> an AggregateName, or null when `text` is not one. The full
//   address of a group series is `<group>.<aggregate>` (e.g. `cells.sum.replicas`).
// - aggregateText(agg): the name back as text (`sum.replicas`).
// - isAggregateLike(text): whether `text` is shaped like an aggregate (for "did you mean" hints).
// - memberLacks(agg, members): the member ids that lack the signal or knob an aggregate reads.
// - evaluateAggregate(agg, members, read): the aggregate now, reading each member through
//   `read` (a World, or an agent's AgentIO so every member read is a recorded cause; a policy
//   checking a floor on `sum.replicas` can pass a reader that overlays a command's proposed value).
// - groupById(groups, id): a resolved group of the scenario (Scenario.groups), or undefined.
// An inner name is a signal when it is a signal name (docs/model.md "Signals"), else a knob;
// `replicas` is both and reads the signal. States are those of state expectations: healthy
// (`healthy` = 1), unhealthy (`healthy` = 0), unavailable (`available` = 0), degraded
// (`degraded` > 0); they may overlap, so fractions need not add up to 1.
import { ALL_SIGNAL_NAMES, isSignalName, SIGNAL_NAMES, type SignalName } from "./signals.js";
import { componentKnobs } from "./component-knobs.js";
import { componentKind } from "./kinds/registry.js";
import type { ComponentSpec } from "../scenario/types.js";
import type { GroupSpec } from "../scenario/resolve-groups.js";

/** Reducers over members' values. */
export const AGGREGATE_OPS = ["sum", "avg", "min", "max"] as const;
export type AggregateOp = (typeof AGGREGATE_OPS)[number];
/** Member states a `fraction.<state>` counts. */
export const GROUP_STATES = ["healthy", "degraded", "unhealthy", "unavailable"] as const;
export type GroupState = (typeof GROUP_STATES)[number];

/** A parsed aggregate name (the part after `<group>.`). */
export type AggregateName =
  | { kind: "count" }
  | { kind: "countHealthy" }
  | { kind: "fraction"; state: GroupState }
  | { kind: AggregateOp; source: "signal"; name: SignalName }
  | { kind: AggregateOp; source: "knob"; name: string };

/** Reads members' current values: a World, or an AgentIO (which records each read as a cause). */
export interface MemberReader {
  signal(component: string, name: SignalName): number;
  knob(component: string, knob: string): number;
}

const KNOB_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** Every aggregate shape, for messages: `sum.<signal or knob>`, ..., `fraction.<state>`. */
export const AGGREGATE_FORMS = [...AGGREGATE_OPS.map((op) => `${op}.<signal or knob>`), "count", "countHealthy", ...GROUP_STATES.map((s) => `fraction.${s}`)];

/** Parses an aggregate name such as `sum.replicas`; null when it is not one. Pure. */
export function parseAggregateName(text: string): AggregateName | null {
  if (text === "count" || text === "countHealthy") return { kind: text };
  const dot = text.indexOf(".");
  if (dot < 0) return null;
  const head = text.slice(0, dot);
  const rest = text.slice(dot + 1);
  if (head === "fraction") return (GROUP_STATES as readonly string[]).includes(rest) ? { kind: "fraction", state: rest as GroupState } : null;
  if (!(AGGREGATE_OPS as readonly string[]).includes(head) || !KNOB_NAME.test(rest)) return null;
  const kind = head as AggregateOp;
  return isSignalName(rest) ? { kind, source: "signal", name: rest } : { kind, source: "knob", name: rest };
}

/** The aggregate's name as written: `sum.replicas`, `count`, `fraction.healthy`. Pure. */
export function aggregateText(agg: AggregateName): string {
  if (agg.kind === "count" || agg.kind === "countHealthy") return agg.kind;
  if (agg.kind === "fraction") return `fraction.${agg.state}`;
  return `${agg.kind}.${agg.name}`;
}

/** True when `text` looks like an attempt at an aggregate (`summ.replicas`, `fraction.down`, `counts`), for hints. Pure. */
export function isAggregateLike(text: string): boolean {
  return text.includes(".") || /^count/i.test(text);
}

/** Candidate aggregate names for a "did you mean" hint on `text`. Pure. */
export function aggregateCandidates(text: string): string[] {
  const dot = text.indexOf(".");
  const rest = dot < 0 ? "" : text.slice(dot + 1);
  const inner = rest === "" ? [...SIGNAL_NAMES] : [rest, ...ALL_SIGNAL_NAMES];
  return ["count", "countHealthy", ...GROUP_STATES.map((s) => `fraction.${s}`), ...AGGREGATE_OPS.flatMap((op) => inner.map((n) => `${op}.${n}`))];
}

/**
 * The ids of `members` that lack what `agg` reads: for a signal, members whose kind never sets
 * it (an optional signal, docs/model.md "Signals"); for a knob, members without that knob.
 * count, countHealthy and fractions read signals every component has. Pure.
 */
export function memberLacks(agg: AggregateName, members: readonly ComponentSpec[]): string[] {
  if (agg.kind === "count" || agg.kind === "countHealthy" || agg.kind === "fraction") return [];
  if (agg.source === "signal") {
    if ((SIGNAL_NAMES as readonly string[]).includes(agg.name)) return [];
    return members.filter((m) => !(componentKind(m.kind).optionalSignals?.(m) ?? []).includes(agg.name)).map((m) => m.id);
  }
  return members.filter((m) => !Object.hasOwn(componentKnobs(m), agg.name)).map((m) => m.id);
}

/**
 * The words of the problem "a member lacks what this aggregate reads", shared by every place that
 * checks a group read (signal guards, thresholds, CEL): `lacking` are the member ids from
 * memberLacks. Pure.
 */
export function lacksProblem(group: string, agg: AggregateName, lacking: readonly string[]): { expected: string; found: string; hint: string } {
  const what = agg.kind !== "count" && agg.kind !== "countHealthy" && agg.kind !== "fraction" ? `${agg.source} \`${agg.name}\`` : "it";
  const names = lacking.length <= 8 ? lacking.join(", ") : `${lacking.slice(0, 8).join(", ")}, ... (${lacking.length} in all)`;
  return {
    expected: `an aggregate every member of ${group} has (${what})`,
    found: `${JSON.stringify(`${group}.${aggregateText(agg)}`)}, but ${names} ${lacking.length === 1 ? "lacks" : "lack"} it`,
    hint: "narrow the group to components that have it, or aggregate another signal or knob (an aggregate never skips a member)",
  };
}

/** Whether a member is in `state` now, read through `read`. */
function inState(read: MemberReader, id: string, state: GroupState): boolean {
  switch (state) {
    case "healthy":
      return read.signal(id, "healthy") === 1;
    case "unhealthy":
      return read.signal(id, "healthy") === 0;
    case "unavailable":
      return read.signal(id, "available") === 0;
    case "degraded":
      return read.signal(id, "degraded") > 0;
  }
}

/**
 * The aggregate over `members` now, each member read once through `read` (in member order, so
 * causes are recorded deterministically). `members` is never empty for a resolved group; an
 * empty list gives 0 for count and sum, NaN otherwise.
 */
export function evaluateAggregate(agg: AggregateName, members: readonly string[], read: MemberReader): number {
  switch (agg.kind) {
    case "count":
      return members.length;
    case "countHealthy": {
      let n = 0;
      for (const id of members) if (inState(read, id, "healthy")) n++;
      return n;
    }
    case "fraction": {
      let n = 0;
      for (const id of members) if (inState(read, id, agg.state)) n++;
      return members.length === 0 ? NaN : n / members.length;
    }
    default: {
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      for (const id of members) {
        const v = agg.source === "signal" ? read.signal(id, agg.name) : read.knob(id, agg.name);
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (agg.kind === "sum") return sum;
      if (members.length === 0) return NaN;
      return agg.kind === "avg" ? sum / members.length : agg.kind === "min" ? min : max;
    }
  }
}

/** The group `id` of a scenario's resolved groups, or undefined. Pure. */
export function groupById(groups: readonly GroupSpec[] | undefined, id: string): GroupSpec | undefined {
  return groups?.find((g) => g.id === id);
}
