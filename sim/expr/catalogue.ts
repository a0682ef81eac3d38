// The catalogue of what expressions may read, built from a scenario's components: every signal
// (sampled always or only when used, as guards read them) and every knob of each component; and
// from its groups: the aggregates every member supports (sum/avg/min/max over names every member
// has, count, countHealthy, fraction.<state>), with the members lacking each other name.
import { componentKnobs } from "../model/component-knobs.js";
import { AGGREGATE_OPS, GROUP_STATES } from "../model/groups.js";
import { componentKind } from "../model/kinds/registry.js";
import { ALL_SIGNAL_NAMES, isSignalName, SIGNAL_NAMES } from "../model/signals.js";
import type { GroupSpec } from "../scenario/resolve-groups.js";
import type { ComponentSpec } from "../scenario/types.js";
import type { CatalogueEntry } from "./types.js";

/**
 * One entry per component: its signals, then the knobs that are not also signals. A name that is
 * both (`replicas`) is read as the knob by agents (what they write); see docs/scenario-format.md.
 * Pure.
 */
export function componentCatalogue(components: readonly ComponentSpec[]): CatalogueEntry[] {
  return components.map((spec) => {
    const knobs = Object.keys(componentKnobs(spec)).filter((k) => !(ALL_SIGNAL_NAMES as readonly string[]).includes(k));
    return { kind: "component", id: spec.id, names: [...ALL_SIGNAL_NAMES, ...knobs, ...Object.keys(spec.derived ?? {})] };
  });
}

// Inner names an aggregate can be over: the shape parseAggregateName accepts after `sum.`.
const INNER_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/**
 * One entry per group: `count`, `countHealthy`, `fraction.<state>` and `<op>.<name>` for every
 * signal or knob name that every member has, as sim/model/groups.ts memberLacks decides (a
 * signal every kind sets, an optional signal the member's kind sets, a knob the member has).
 * Names some member lacks are listed under `lacking` with those members, so the checker can say
 * which. Pure.
 */
export function groupCatalogue(groups: readonly GroupSpec[], components: readonly ComponentSpec[]): CatalogueEntry[] {
  const byId = new Map(components.map((c) => [c.id, c]));
  // Per member: every name it has, and the optional signals its kind sets.
  const namesOf = new Map<string, { all: ReadonlySet<string>; optional: ReadonlySet<string> }>();
  const memberNames = (spec: ComponentSpec) => {
    let names = namesOf.get(spec.id);
    if (!names) {
      const optional = new Set<string>(componentKind(spec.kind).optionalSignals?.(spec) ?? []);
      namesOf.set(spec.id, (names = { all: new Set([...SIGNAL_NAMES, ...optional, ...Object.keys(componentKnobs(spec))]), optional }));
    }
    return names;
  };
  return groups.map((g) => {
    const members = g.members.map((m) => byId.get(m)).filter((c): c is ComponentSpec => c !== undefined);
    const sets = members.map(memberNames);
    // Every signal name too, so an optional signal no member sets is reported as lacking, naming them all.
    const universe = new Set<string>(ALL_SIGNAL_NAMES);
    for (const s of sets) for (const n of s.all) if (INNER_NAME.test(n)) universe.add(n);
    const names: string[] = ["count", "countHealthy", ...GROUP_STATES.map((s) => `fraction.${s}`)];
    const lacking: Record<string, readonly string[]> = {};
    for (const inner of universe) {
      // A name that is a signal reads the signal (memberLacks): a knob of that name does not count.
      const signal = isSignalName(inner);
      const always = signal && (SIGNAL_NAMES as readonly string[]).includes(inner);
      const lack = always ? [] : members.filter((_, i) => !(signal ? sets[i].optional.has(inner) : sets[i].all.has(inner))).map((m) => m.id);
      for (const op of AGGREGATE_OPS) {
        if (lack.length === 0) names.push(`${op}.${inner}`);
        else lacking[`${op}.${inner}`] = lack;
      }
    }
    names.push(...Object.keys(g.derived ?? {}));
    return { kind: "group", id: g.id, names, ...(Object.keys(lacking).length > 0 ? { lacking } : {}) };
  });
}

/**
 * The catalogue of a whole scenario: every component, then every group (groups absent: none).
 * What every CEL environment of a scenario reads (agents, policies, expectations). Pure.
 */
export function scenarioCatalogue(components: readonly ComponentSpec[], groups: readonly GroupSpec[] | undefined): CatalogueEntry[] {
  const out = componentCatalogue(components);
  if (groups && groups.length > 0) out.push(...groupCatalogue(groups, components));
  return out;
}

/** The smallest catalogue that holds `reads` (enough to compile again an expression that compiled with them). Pure. */
export function catalogueOfReads(reads: readonly { id: string; name: string; kind?: "component" | "group" }[]): CatalogueEntry[] {
  const byId = new Map<string, { kind: "component" | "group"; names: string[] }>();
  for (const r of reads) {
    const e = byId.get(r.id) ?? { kind: r.kind ?? "component", names: [] };
    if (!e.names.includes(r.name)) e.names.push(r.name);
    byId.set(r.id, e);
  }
  return [...byId].map(([id, e]) => ({ kind: e.kind, id, names: e.names }));
}
