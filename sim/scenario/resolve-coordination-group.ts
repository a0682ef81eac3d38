// Resolves the group-level coordination policies of a scenario file (bounds, failStatic, lease
// scopes, arbiter): converts durations, expands knob and component patterns to the concrete sets
// the policies act on, and reports problems (a bound with neither min nor max, an arbiter naming an
// unknown agent, ...). Called by resolve.ts's resolveCoordination. Pure.
import { knobMatcher } from "../engine/coordination/knob-pattern.js";
import type { ArbiterRule, BoundRule, FailStaticRule, LeaseScope } from "./coordination-group-types.js";
import { closest, listed } from "./problems.js";
import type { Path, Unlocated } from "./resolve-tools.js";
import type { ScenarioFile } from "./schema.js";

/** Defaults the group policies apply (placed in the JSON Schema by json-schema-defaults.ts). */
export const GROUP_COORDINATION_DEFAULTS = { onExceed: "reject", action: "reject", recheck: "30s", holdMax: "10m" } as const;

/** What the resolver needs from resolveCoordination. */
export interface GroupCoordinationTools {
  agentIds: readonly string[];
  componentIds: readonly string[];
  /** Every `component.knob` of the world, in scenario order. */
  knobKeys: readonly string[];
  ms(text: string, path: Path): number;
  /** Reports knob patterns that match no knob (the same check every policy's `knobs` gets). */
  knobs(patterns: readonly string[], path: Path): void;
  /** The scenario's groups (ids and members), for `group:` and `watchGroup:` selectors. */
  groups?: readonly { id: string; members: readonly string[] }[];
  /** Reports an id that is not an agent's. */
  agent(id: string, path: Path): void;
  problems: Unlocated[];
}

type Coordination = NonNullable<ScenarioFile["coordination"]>;

/** The resolved group policies; fields are present only when the file has them. */
export function resolveGroupCoordination(c: Coordination, leaseTtlMs: number, t: GroupCoordinationTools): { bounds?: BoundRule[]; failStatic?: FailStaticRule[]; leaseScopes?: LeaseScope[]; arbiter?: ArbiterRule[] } {
  const out: { bounds?: BoundRule[]; failStatic?: FailStaticRule[]; leaseScopes?: LeaseScope[]; arbiter?: ArbiterRule[] } = {};
  if (c.bounds) out.bounds = c.bounds.map((b, i) => resolveBound(b, ["coordination", "bounds", i], t));
  if (c.failStatic) out.failStatic = c.failStatic.map((f, i) => resolveFailStatic(f, ["coordination", "failStatic", i], t));
  if (c.lease) {
    const path: Path = ["coordination", "lease"];
    if (!c.lease.knobs && !c.lease.scopes) t.problems.push({ path, expected: "`knobs` (a lease per knob), `scopes` (a lease per set of knobs) or both", found: "neither", hint: "e.g. `lease: { scopes: [{ id: domains, knobs: [dom-*.replicas] }] }`" });
    if (c.lease.holder !== undefined && !c.lease.knobs) t.problems.push({ path: [...path, "holder"], expected: "`holder` only with `knobs` (a scope is taken by its first writer)", found: JSON.stringify(c.lease.holder), hint: "add the knobs the holder owns, or remove `holder`" });
    if (c.lease.scopes) out.leaseScopes = resolveScopes(c.lease.scopes, leaseTtlMs, [...path, "scopes"], t);
  }
  if (c.arbiter) out.arbiter = c.arbiter.map((a, i) => resolveArbiter(a, ["coordination", "arbiter", i], t));
  return out;
}

function resolveBound(b: NonNullable<Coordination["bounds"]>[number], path: Path, t: GroupCoordinationTools): BoundRule {
  if (b.min === undefined && b.max === undefined) {
    t.problems.push({ path, expected: "a bound with `min`, `max` or both", found: "neither", hint: `e.g. \`{ ${b.group !== undefined ? `group: ${b.group}, knob: ${b.knob ?? "replicas"}` : `knobs: [${(b.knobs ?? []).join(", ")}]`}, aggregate: ${b.aggregate}, min: 60 }\`` });
  }
  if (b.min !== undefined && b.max !== undefined && b.min > b.max) {
    t.problems.push({ path: [...path, "max"], expected: `a ceiling at or above the floor (min ${b.min})`, found: String(b.max), hint: "swap them, or remove one" });
  }
  // The set the bound covers: the knobs matched by `knobs`, or `knob` of every member of `group`
  // (labelled `<group>.<knob>`); the policy (sim/engine/coordination/bounds.ts) only sees `keys` and `label`.
  const bySelector = groupSelector(b, path, t);
  if (bySelector) return { ...bySelector, aggregate: b.aggregate, ...(b.min !== undefined ? { min: b.min } : {}), ...(b.max !== undefined ? { max: b.max } : {}) };
  if (b.knobs === undefined) return { label: "", keys: [], aggregate: b.aggregate };
  const matcher = knobMatcher(b.knobs);
  const keys = t.knobKeys.filter((k) => matcher.matches(k));
  const before = t.problems.length;
  t.knobs(b.knobs, [...path, "knobs"]);
  if (keys.length === 0 && t.problems.length === before) {
    t.problems.push({ path: [...path, "knobs"], expected: "knob patterns that match at least one knob (bounds apply to knob values, not documents)", found: JSON.stringify(b.knobs), hint: "name knobs such as `dom-*.replicas`" });
  }
  return { label: b.knobs.join(", "), keys, aggregate: b.aggregate, ...(b.min !== undefined ? { min: b.min } : {}), ...(b.max !== undefined ? { max: b.max } : {}) };
}

function resolveFailStatic(f: NonNullable<Coordination["failStatic"]>[number], path: Path, t: GroupCoordinationTools): FailStaticRule {
  const components: string[] = [];
  if ((f.watch === undefined) === (f.watchGroup === undefined)) {
    t.problems.push({ path, expected: "exactly one of `watch` (component ids or patterns) or `watchGroup` (a group id)", found: f.watch === undefined ? "neither" : "both", hint: "e.g. `watch: [site-*]` or `watchGroup: sites`" });
  }
  if (f.watchGroup !== undefined) components.push(...groupMembers(f.watchGroup, [...path, "watchGroup"], t));
  (f.watch ?? []).forEach((pattern, i) => {
    const re = new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    const matched = t.componentIds.filter((id) => re.test(id));
    if (matched.length === 0) {
      const guess = closest(pattern, t.componentIds);
      t.problems.push({ path: [...path, "watch", i], expected: "a component id or pattern that matches a component", found: `${JSON.stringify(pattern)}, which matches none`, hint: guess ? `did you mean \`${guess}\`? (components: ${listed([...t.componentIds])})` : `the components are ${listed([...t.componentIds])}` });
    }
    for (const id of matched) if (!components.includes(id)) components.push(id);
  });
  components.sort((a, b) => t.componentIds.indexOf(a) - t.componentIds.indexOf(b));
  const n = components.length;
  let downMin = 1;
  let threshold = "";
  if ((f.quorum === undefined) === (f.unhealthyFraction === undefined)) {
    t.problems.push({ path, expected: "exactly one of `quorum` (a count) or `unhealthyFraction` (a share of the watched components)", found: f.quorum === undefined ? "neither" : "both", hint: "e.g. `unhealthyFraction: 0.5` (half of them down) or `quorum: 2`" });
  } else if (f.quorum !== undefined) {
    downMin = f.quorum;
    threshold = `quorum of ${f.quorum}`;
    if (n > 0 && f.quorum > n) t.problems.push({ path: [...path, "quorum"], expected: `at most the number of watched components (${n})`, found: String(f.quorum), hint: "a quorum larger than the set can never be reached" });
  } else {
    const share = f.unhealthyFraction!;
    // Rounded first so 0.3 x 10 is 3, not 4.
    downMin = Math.max(1, Math.ceil(Number((share * n).toFixed(9))));
    threshold = `${Number((share * 100).toFixed(4))}% (${downMin} of ${n})`;
  }
  t.knobs(f.knobs, [...path, "knobs"]);
  const recheckMs = t.ms(f.recheck ?? GROUP_COORDINATION_DEFAULTS.recheck, [...path, "recheck"]);
  if (f.recheck !== undefined && recheckMs <= 0) t.problems.push({ path: [...path, "recheck"], expected: "a period longer than 0ms (a held command is re-checked once per period)", found: JSON.stringify(f.recheck), hint: `leave it out for the default (${GROUP_COORDINATION_DEFAULTS.recheck})` });
  const holdMaxMs = t.ms(f.holdMax ?? GROUP_COORDINATION_DEFAULTS.holdMax, [...path, "holdMax"]);
  return { watch: f.watch ? [...f.watch] : [`group ${f.watchGroup}`], components, downMin, threshold, knobs: [...f.knobs], action: f.action ?? GROUP_COORDINATION_DEFAULTS.action, recheckMs, holdMaxMs };
}

function resolveScopes(scopes: NonNullable<NonNullable<Coordination["lease"]>["scopes"]>, leaseTtlMs: number, path: Path, t: GroupCoordinationTools): LeaseScope[] {
  const seen: string[] = [];
  return scopes.map((s, i) => {
    if (seen.includes(s.id)) t.problems.push({ path: [...path, i, "id"], expected: "a scope id not used by another scope", found: JSON.stringify(s.id), hint: "give each scope its own id" });
    seen.push(s.id);
    t.knobs(s.knobs, [...path, i, "knobs"]);
    const ttlMs = s.ttl !== undefined ? t.ms(s.ttl, [...path, i, "ttl"]) : leaseTtlMs;
    return { id: s.id, knobs: [...s.knobs], ttlMs };
  });
}

function resolveArbiter(a: NonNullable<Coordination["arbiter"]>[number], path: Path, t: GroupCoordinationTools): ArbiterRule {
  t.knobs(a.knobs, [...path, "knobs"]);
  if (a.merge === "priority" && a.agents === undefined) {
    t.problems.push({ path, expected: "`agents` (highest priority first) with `merge: priority`", found: "no `agents`", hint: `e.g. \`agents: [${t.agentIds.slice(0, 2).join(", ") || "hpa, cost"}]\`` });
  }
  a.agents?.forEach((id, i) => {
    if (!t.agentIds.includes(id)) t.agent(id, [...path, "agents", i]);
    else if (a.agents!.indexOf(id) !== i) t.problems.push({ path: [...path, "agents", i], expected: "each agent once", found: JSON.stringify(id), hint: `${id} is already listed at agents[${a.agents!.indexOf(id)}]` });
  });
  const staleAfterMs = a.staleAfter !== undefined ? t.ms(a.staleAfter, [...path, "staleAfter"]) : undefined;
  return { knobs: [...a.knobs], merge: a.merge, ...(a.agents ? { agents: [...a.agents] } : {}), ...(staleAfterMs !== undefined ? { staleAfterMs } : {}) };
}

/** The members of group `id`, or none with a problem at `path` naming the closest group. */
function groupMembers(id: string, path: Path, t: GroupCoordinationTools): string[] {
  const group = t.groups?.find((g) => g.id === id);
  if (group) return [...group.members];
  const ids = (t.groups ?? []).map((g) => g.id);
  const guess = closest(id, ids);
  t.problems.push({ path, expected: ids.length > 0 ? `the id of a group (${listed(ids)})` : "the id of a group (this scenario declares none under `groups`)", found: JSON.stringify(id), hint: guess ? `did you mean \`${guess}\`?` : ids.length > 0 ? undefined : "declare it under `groups:` (docs/scenario-format.md#groups)" });
  return [];
}

/** A bound's `group` + `knob` selector resolved to knob keys, or undefined when the bound uses `knobs` (problems for neither, both or a bad group or knob). */
function groupSelector(b: NonNullable<Coordination["bounds"]>[number], path: Path, t: GroupCoordinationTools): { label: string; keys: string[] } | undefined {
  if ((b.knobs === undefined) === (b.group === undefined)) {
    t.problems.push({ path, expected: "exactly one of `knobs` (knob patterns) or `group` with `knob`", found: b.knobs === undefined ? "neither" : "both", hint: "e.g. `knobs: [dom-*.replicas]` or `group: cells, knob: replicas`" });
    return b.group === undefined ? { label: "", keys: [] } : undefined;
  }
  if (b.group === undefined) {
    if (b.knob !== undefined) t.problems.push({ path: [...path, "knob"], expected: "`knob` only with `group`", found: JSON.stringify(b.knob), hint: "name the knobs in `knobs` as `component.knob`, or select them with `group`" });
    return undefined;
  }
  const members = groupMembers(b.group, [...path, "group"], t);
  if (b.knob === undefined) {
    t.problems.push({ path, expected: "`knob` with `group`: the knob of each member to bound", found: "no `knob`", hint: `e.g. \`{ group: ${b.group}, knob: replicas, aggregate: ${b.aggregate}, min: 60 }\`` });
    return { label: b.group, keys: [] };
  }
  const keys = members.map((m) => `${m}.${b.knob}`);
  const missing = keys.filter((k) => !t.knobKeys.includes(k));
  if (members.length > 0 && missing.length > 0) {
    const names = [...new Set(t.knobKeys.filter((k) => members.some((m) => k.startsWith(`${m}.`))).map((k) => k.slice(k.indexOf(".") + 1)))];
    const guess = closest(b.knob, names);
    t.problems.push({ path: [...path, "knob"], expected: `a knob every member of ${b.group} has (${names.length > 0 ? listed(names) : "they have none"})`, found: `${JSON.stringify(b.knob)}, which ${missing.map((k) => k.slice(0, k.indexOf("."))).slice(0, 3).join(", ")}${missing.length > 3 ? ", ..." : ""} lack${missing.length === 1 ? "s" : ""}`, hint: guess && guess !== b.knob ? `did you mean \`${guess}\`?` : undefined });
  }
  return { label: `${b.group}.${b.knob}`, keys: keys.filter((k) => t.knobKeys.includes(k)) };
}
