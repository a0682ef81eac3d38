// Component labels and top-level `groups`: their file format (zod), their resolved form on the
// Scenario, and the checks of a group reference (`<group>.<aggregate>`) that agents and
// expectations share. Aggregates themselves are named and computed by sim/model/groups.ts.
import { z } from "zod";
import { knobMatcher } from "../engine/coordination/knob-pattern.js";
import { aggregateCandidates, aggregateText, AGGREGATE_FORMS, AGGREGATE_OPS, GROUP_STATES, isAggregateLike, lacksProblem, memberLacks, parseAggregateName, type AggregateName } from "../model/groups.js";
import { id } from "./fields.js";
import { derivedField } from "../expr/derived.js";
import { isSignalName } from "../model/signals.js";
import { hintFor, listed } from "./problems.js";
import type { Path, Unlocated } from "./resolve-tools.js";
import { budgetProblems } from "./budgets.js";
import type { ComponentSpec } from "./types.js";

/** Most labels one component may carry. */
export const LABELS_MAX = 32;
const LABEL_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,62}$/;
const LABEL_VALUE = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,62})?$/;
const labelKey = z.string().regex(LABEL_KEY, "a label key of letters, digits, _, - and . (at most 63), starting with a letter");
const labelValue = z.string().regex(LABEL_VALUE, "a label value of letters, digits, _, - and . (at most 63), such as `a` or `edge` (quote numbers: \"1\")");
const labelMap = z.record(labelKey, labelValue).refine((l) => Object.keys(l).length <= LABELS_MAX, `at most ${LABELS_MAX} labels`);

/** The `labels` field every component kind has: string keys and values that groups select by. */
export const labelsField = labelMap
  .optional()
  .describe(`Labels of the component: key -> value, e.g. \`{ zone: a, tier: edge }\` (letters, digits, _, - and ., at most 63 each; at most ${LABELS_MAX}). Groups select components by them (\`groups: [{ id: zone-a, labels: { zone: a } }]\`). Default: none.`);

/** One entry of the top-level `groups` list as written. */
export const groupSchema = z
  .strictObject({
    id: id.describe("The group's id, used where a component id would be to read its aggregates (`<group>.sum.replicas`); must differ from every component id."),
    description: z.string().optional().describe("What the group stands for, shown in reports."),
    members: z.array(id).optional().describe("Selector: the member component ids, e.g. `[web-a, web-b]`. Exactly one of members, pattern and labels."),
    pattern: z.string().regex(/^[A-Za-z0-9*_-]+$/, "a pattern of letters, digits, -, _ and *, such as `edge-*`").optional().describe("Selector: component ids matching this glob, where `*` matches any run of characters, e.g. `edge-*` or `*-db`. Exactly one of members, pattern and labels."),
    labels: labelMap.optional().describe("Selector: the components carrying every one of these labels, e.g. `{ zone: a }`. Exactly one of members, pattern and labels."),
    derived: derivedField,
  })
  .describe("A named set of components whose aggregate signals (`<group>.sum.<signal or knob>`, `avg`, `min`, `max`, `count`, `countHealthy`, `fraction.<state>`) are read like a component's signals (docs/scenario-format.md#groups).");

/** The top-level `groups` field. */
export const groupsSchema = z.array(groupSchema).describe("Named sets of components by id list, id pattern or labels; their aggregates are usable wherever a signal is (docs/scenario-format.md#groups). Default: none.");

export type GroupFile = z.infer<typeof groupSchema>;

/** A resolved group: its members (component ids, never empty) and the aggregates sampled as telemetry series under its id. */
export interface GroupSpec {
  id: string;
  description?: string;
  /** Member component ids: as listed for `members`, in scenario order for `pattern` and `labels`. */
  members: string[];
  /** Aggregate names sampled each telemetry sample (`count`, `countHealthy`, `fraction.*` always; `sum|avg|min|max.<name>` for each name the scenario reads). */
  sampled: string[];
  /** Derived signals of the group (sim/expr/derived.ts): name -> CEL number expression; absent when it declares none. */
  derived?: Readonly<Record<string, string>>;
}

/** The aggregate names a scenario reads, by group id (`cells` -> {`sum.replicas`}). */
export type ReferencedAggregates = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Resolves `groups` against the components (`byId`, scenario order): each has exactly one
 * selector that matches at least one component, ids differ from component ids and each other,
 * and the aggregates `referenced` are sampled. Collects problems; returns undefined when the
 * file declares no groups.
 */
export function resolveGroups(files: readonly GroupFile[] | undefined, components: readonly ComponentSpec[], referenced: ReferencedAggregates, problems: Unlocated[]): GroupSpec[] | undefined {
  if (files === undefined) return undefined;
  const componentIds = components.map((c) => c.id);
  const seen = new Set<string>();
  return files.map((g, i): GroupSpec => {
    const path: Path = ["groups", i];
    if (componentIds.includes(g.id)) problems.push({ path: [...path, "id"], expected: "a group id that is not a component id", found: `${JSON.stringify(g.id)}, a component`, hint: `aggregates are read as \`<group>.sum.replicas\` where a component's signals are \`<component>.replicas\`, so the two share one namespace; rename the group, e.g. \`${g.id}-group\`` });
    else if (seen.has(g.id)) problems.push({ path: [...path, "id"], expected: "a unique group id", found: JSON.stringify(g.id), hint: "another group already uses this id" });
    seen.add(g.id);
    const selectors = (["members", "pattern", "labels"] as const).filter((k) => g[k] !== undefined);
    let members: string[] = [];
    if (selectors.length !== 1) {
      problems.push({ path: selectors.length > 1 ? [...path, selectors[1]] : path, expected: "exactly one selector: members, pattern or labels", found: selectors.length === 0 ? "none" : selectors.join(" and "), hint: "e.g. `{ id: cells, pattern: \"cell-*\" }`, `{ id: zone-a, labels: { zone: a } }` or `{ id: pair, members: [web-a, web-b] }`" });
    } else if (g.members !== undefined) {
      if (g.members.length === 0) problems.push({ path: [...path, "members"], expected: "at least one member component id", found: "an empty list", hint: `list components, e.g. \`members: [${componentIds.slice(0, 2).join(", ")}]\`` });
      g.members.forEach((m, j) => {
        if (!componentIds.includes(m)) problems.push({ path: [...path, "members", j], expected: `the id of a component (${listed(componentIds)})`, found: JSON.stringify(m), hint: hintFor(m, componentIds) });
        else if (g.members!.indexOf(m) !== j) problems.push({ path: [...path, "members", j], expected: "each member once", found: `${JSON.stringify(m)} again` });
      });
      members = [...g.members];
    } else if (g.pattern !== undefined) {
      const matcher = knobMatcher([g.pattern]);
      members = componentIds.filter((c) => matcher.matches(c));
      if (members.length === 0) problems.push({ path: [...path, "pattern"], expected: "a pattern matching at least one component id (`*` matches any run of characters)", found: `${JSON.stringify(g.pattern)}, which matches none`, hint: hintFor(g.pattern, componentIds) ?? `component ids are ${listed(componentIds)}` });
    } else if (g.labels !== undefined) {
      const wanted = Object.entries(g.labels);
      members = components.filter((c) => wanted.every(([k, v]) => c.labels?.[k] === v)).map((c) => c.id);
      if (wanted.length === 0) problems.push({ path: [...path, "labels"], expected: "at least one label, e.g. `{ zone: a }`", found: "an empty mapping" });
      else if (members.length === 0) problems.push({ path: [...path, "labels"], expected: "labels that some component carries", found: `${JSON.stringify(g.labels)}, which no component carries`, hint: labelsHint(wanted, components) });
    }
    const names = new Set(["count", "countHealthy", ...GROUP_STATES.map((s) => `fraction.${s}`)]);
    for (const text of referenced.get(g.id) ?? []) {
      const agg = parseAggregateName(text);
      if (agg && agg.kind !== "count" && agg.kind !== "countHealthy" && agg.kind !== "fraction") for (const op of AGGREGATE_OPS) names.add(`${op}.${agg.name}`);
    }
    return { id: g.id, ...(g.description !== undefined ? { description: g.description } : {}), members, sampled: [...names], ...(g.derived !== undefined ? { derived: { ...g.derived } } : {}) };
  });
}

/** A hint for a labels selector that matches nothing: the values components carry for its keys. */
function labelsHint(wanted: [string, string][], components: readonly ComponentSpec[]): string {
  for (const [key, value] of wanted) {
    const values = [...new Set(components.flatMap((c) => (c.labels?.[key] !== undefined ? [c.labels[key]] : [])))];
    if (values.length === 0) return `no component has a label \`${key}\`; add \`labels: { ${key}: ${value} }\` to the components`;
    if (!values.includes(value)) return `components carry ${key}: ${listed(values)}`;
  }
  return "no single component carries all of these labels";
}

/**
 * Checks a read of `<group>.<text>` at `path`: `group` is a group, `text` an aggregate name, and
 * every member has what it reads. Returns the parsed aggregate with the members, or undefined
 * after recording a problem. Pure apart from `problems`.
 */
export function checkGroupRead(group: string, text: string, path: Path, groups: readonly GroupSpec[], components: readonly ComponentSpec[], problems: Unlocated[]): { aggregate: AggregateName; members: string[] } | undefined {
  const g = groups.find((x) => x.id === group);
  const groupIds = groups.map((x) => x.id);
  if (!g) {
    problems.push({ path, expected: `the id of a group (${groupIds.length > 0 ? listed(groupIds) : "none declared"}) before an aggregate name such as \`${text}\``, found: JSON.stringify(group), hint: hintFor(group, groupIds) ?? "declare it under top-level `groups`, or read a component's signal by its plain name (e.g. `replicas`)" });
    return undefined;
  }
  const aggregate = parseAggregateName(text);
  if (!aggregate && isSignalName(text)) {
    problems.push(groupNeedsAggregate(group, text, path));
    return undefined;
  }
  if (!aggregate) {
    problems.push({ path, expected: `an aggregate of group ${group}: ${AGGREGATE_FORMS.join(", ")}`, found: JSON.stringify(text), hint: hintFor(text, aggregateCandidates(text)) ?? "e.g. `sum.replicas`, `avg.latencyMsP95` or `fraction.unhealthy`" });
    return undefined;
  }
  const specs = g.members.map((m) => components.find((c) => c.id === m)).filter((c): c is ComponentSpec => c !== undefined);
  const lacking = memberLacks(aggregate, specs);
  if (lacking.length > 0) {
    problems.push({ path, ...lacksProblem(group, aggregate, lacking) });
    return undefined;
  }
  return { aggregate, members: [...g.members] };
}

/**
 * A problem for reading `<id>.<name>` where `id` is a group but `name` is a plain signal (or the
 * reverse is handled by checkGroupRead). Pure.
 */
export function groupNeedsAggregate(group: string, name: string, path: Path): Unlocated {
  return { path, expected: `an aggregate of group ${group} (${AGGREGATE_FORMS.join(", ")})`, found: JSON.stringify(name), hint: `a group has no signals of its own; did you mean \`avg.${name}\` or \`sum.${name}\`?` };
}

/** Whether `text` could be meant as an aggregate name (so a group reference is likely). Pure. */
export { isAggregateLike };

/**
 * The aggregates a scenario file reads, by group id: `{ signal: ... }` reads in statechart
 * agents (any object `{ type|kind: "signal", component, name }` whose name is an aggregate) and
 * thresholds on `<group>.<aggregate>`. Whether the ids are groups is checked elsewhere. Pure.
 */
export function referencedAggregates(agents: readonly unknown[], thresholds: readonly string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (group: string, name: string) => {
    if (parseAggregateName(name) === null) return;
    if (!out.has(group)) out.set(group, new Set());
    out.get(group)!.add(name);
  };
  const walk = (v: unknown, depth: number): void => {
    if (depth > 64 || v === null || typeof v !== "object") return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    if ((o.type === "signal" || o.kind === "signal") && typeof o.component === "string" && typeof o.name === "string") add(o.component, o.name);
    for (const x of Object.values(o)) walk(x, depth + 1);
  };
  walk(agents, 0);
  for (const text of thresholds) {
    const m = /^\s*([A-Za-z][A-Za-z0-9_-]*)\.([A-Za-z][A-Za-z0-9_.-]*?)\s*(?::|\s|<|>|=|!)/.exec(text);
    if (m) add(m[1], m[2]);
  }
  return out;
}

/** Most member reads all groups' sampled aggregates may take per telemetry sample (sum over groups of members x sampled names). */
export const GROUP_READS_PER_SAMPLE_MAX = 1_000_000;

/**
 * Budget problems of resolved groups: the member reads each telemetry sample costs, and the
 * group telemetry's size (groups x aggregate names, checked like the components' telemetry). Pure.
 */
export function groupBudgetProblems(groups: readonly GroupSpec[], durationMs: number, stepMs: number, sampleEveryMs: number): Unlocated[] {
  const out: Unlocated[] = [];
  const reads = groups.reduce((n, g) => n + g.members.length * g.sampled.length, 0);
  if (reads > GROUP_READS_PER_SAMPLE_MAX) out.push({ path: ["groups"], expected: `groups whose sampled aggregates read at most ${GROUP_READS_PER_SAMPLE_MAX.toLocaleString("en-US")} member values per sample (members x aggregates, summed over groups)`, found: `${reads.toLocaleString("en-US")} reads`, hint: "use fewer or smaller groups, or read fewer different aggregates of large groups" });
  const names = new Set(groups.flatMap((g) => g.sampled)).size;
  for (const b of budgetProblems(durationMs, stepMs, sampleEveryMs, groups.length, names)) if (b.field === "sampleEvery") out.push({ path: ["groups"], expected: `group ${b.expected.replace("components", "groups").replace("signals", "aggregates")}`, found: b.found.replace("components", "groups"), hint: b.hint });
  return out;
}
