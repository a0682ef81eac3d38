// Resolves a scenario's `expect` list against the resolved scenario: parses thresholds, windows
// and comparisons, checks that components, knobs and actors exist (with "did you mean" hints),
// and names each expectation in words. Collects every problem. Pure.
import { InputError } from "../core/errors.js";
import { knobsOf } from "../agents/declarative/resolve.js";
import { closest } from "../scenario/problems.js";
import type { ExpectationFile } from "../scenario/expect-schema.js";
import type { Path, Unlocated } from "../scenario/resolve-tools.js";
import type { Scenario } from "../scenario/types.js";
import type { Comparison, EventMatcher, Expectation, Operator, Relative, TimeWindow, Trigger } from "./expectation.js";
import { parseThreshold, parseWindow } from "./threshold.js";
import { checkGroupRead, groupNeedsAggregate } from "../scenario/resolve-groups.js";
import { derivedOf, derivedTable } from "../expr/derived.js";
import { recordCatalogue } from "./record-catalogue.js";
import { compileWhere, whereDataKeys } from "./where.js";
import { agentStatePaths } from "../agents/state-names.js";
import { parseDuration } from "../core/units.js";

/** An expectation before the loader attaches its line: it carries its path in the file instead. */
export type UnlocatedExpectation = Expectation & { path: Path };

/** Resolves `files` (found at `["expect", i]`) for `scenario`. */
export function resolveExpectations(files: readonly ExpectationFile[], scenario: Scenario): { expectations: UnlocatedExpectation[]; problems: Unlocated[]; warnings: Unlocated[] } {
  const problems: Unlocated[] = [];
  /** Expectations that can never match anything this scenario logs: reported, never fatal. */
  const warnings: Unlocated[] = [];
  const expectations: UnlocatedExpectation[] = [];
  const componentIds = scenario.components.map((c) => c.id);
  const actorIds = [...scenario.agents.map((a) => a.id), ...(scenario.faults ?? []).map((f) => f.id)];

  const guard = <T>(path: Path, f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push({ path, expected: e.expected, found: e.found, hint: e.hint });
      return undefined;
    }
  };
  const component = (id: string, path: Path): boolean => {
    if (componentIds.includes(id)) return true;
    const guess = closest(id, componentIds);
    problems.push({ path, expected: `a component id (${componentIds.join(", ")})`, found: JSON.stringify(id), hint: guess ? `did you mean \`${guess}\`?` : undefined });
    return false;
  };
  const actor = (id: string, path: Path): void => {
    if (actorIds.includes(id)) return;
    const guess = closest(id, actorIds);
    problems.push({ path, expected: `an agent or fault id (${actorIds.join(", ") || "none declared"})`, found: JSON.stringify(id), hint: guess ? `did you mean \`${guess}\`?` : undefined });
  };
  // Log records name agents, faults, workloads and components (health changes) as actors.
  const logActorIds = [...actorIds, ...scenario.workloads.map((w) => w.id), ...componentIds, "engine"];
  const logActor = (id: string, path: Path): void => {
    if (logActorIds.includes(id)) return;
    const guess = closest(id, logActorIds);
    problems.push({ path, expected: `an agent, fault, workload or component id (${logActorIds.join(", ")})`, found: JSON.stringify(id), hint: guess ? `did you mean \`${guess}\`?` : undefined });
  };
  const knob = (text: string, path: Path): void => {
    const dot = text.indexOf(".");
    const id = dot < 0 ? text : text.slice(0, dot);
    const name = dot < 0 ? "" : text.slice(dot + 1);
    if (!component(id, path)) return;
    const spec = scenario.components.find((c) => c.id === id)!;
    if (spec.kind === "documentStore") {
      if (name === "") problems.push({ path, expected: "`store.document`", found: JSON.stringify(text), hint: `name the document, e.g. \`${id}.<document>\`` });
      return;
    }
    const knobs = knobsOf(spec) ?? [];
    if (knobs.includes(name)) return;
    const guess = closest(name, knobs);
    problems.push({ path, expected: `a knob of ${id} (${knobs.join(", ") || "it has none"}) as \`${id}.<knob>\``, found: JSON.stringify(text), hint: guess ? `did you mean \`${id}.${guess}\`?` : undefined });
  };
  const window = (text: string | undefined, path: Path): TimeWindow | undefined => (text === undefined ? undefined : guard(path, () => parseWindow(text, scenario.durationMs, path.join("."))));

  const catalogue = recordCatalogue(scenario);
  const statesOf = new Map<string, string[]>();
  const agentStates = (agentId: string): string[] => {
    let states = statesOf.get(agentId);
    if (!states) {
      const spec = scenario.agents.find((a) => a.id === agentId)!;
      const crashable = (scenario.faults ?? []).some((f) => f.effect === "agentCrash" && f.target === agentId);
      // Building a machine only to list its states must never crash loading: a kind that reads
      // more than component specs while being built is then checked at run time only.
      let paths: string[] | undefined;
      try {
        paths = agentStatePaths(spec, scenario.components);
      } catch {
        paths = undefined;
      }
      states = paths === undefined ? [] : [...paths, ...(crashable ? ["crashed"] : [])];
      statesOf.set(agentId, states);
    }
    return states;
  };
  const names = new Map<string, number>();
  files.forEach((file, i) => {
    if (file.name !== undefined && !names.has(file.name)) names.set(file.name, i);
  });

  /** An event matcher checked against the catalogue: an unknown type or data key warns (it can never match). */
  const eventMatcher = (file: { event: string; actor?: string; target?: string; data?: Record<string, string | number | boolean>; where?: string }, path: Path): { matcher: EventMatcher; neverMatches?: string } => {
    if (file.actor !== undefined) logActor(file.actor, [...path, "actor"]);
    if (file.target !== undefined) component(file.target, [...path, "target"]);
    const data = file.data && Object.keys(file.data).length > 0 ? file.data : undefined;
    const matcher: EventMatcher = { event: file.event, actor: file.actor, target: file.target, data, ...(file.where !== undefined ? { where: file.where } : {}) };
    if (file.where !== undefined) {
      const compiled = compileWhere(file.where, [...path, "where"]);
      if (!compiled.ok) problems.push(...compiled.problems);
    }
    const keys = catalogue.get(file.event);
    if (!keys) {
      const types = [...catalogue.keys()].sort();
      const guess = closest(file.event, types);
      warnings.push({ path: [...path, "event"], expected: `a record type this scenario can log (${types.join(", ")})`, found: `${JSON.stringify(file.event)}, which no record of this scenario has, so this never matches`, hint: guess ? `did you mean \`${guess}\`?` : undefined });
      return { matcher, neverMatches: `no record of this scenario has type ${file.event}` };
    }
    for (const key of Object.keys(data ?? {})) {
      if (keys.has(key)) continue;
      const known = [...keys];
      const guess = closest(key, known);
      warnings.push({ path: [...path, "data", key], expected: `a data key of ${file.event} records (${known.join(", ")})`, found: `${JSON.stringify(key)}, which ${file.event} records never carry, so this never matches`, hint: guess ? `did you mean \`${guess}\`?` : undefined });
      return { matcher, neverMatches: `${file.event} records never carry the data key ${key}` };
    }
    for (const { key, offset } of file.where !== undefined ? whereDataKeys(file.where) : []) {
      if (keys.has(key)) continue;
      const known = [...keys];
      const guess = closest(key, known);
      warnings.push({ path: [...path, "where"], offset, expected: `a data key of ${file.event} records (${known.join(", ")})`, found: `${JSON.stringify(key)}, which ${file.event} records never carry, so this never matches`, hint: guess ? `did you mean \`${guess}\`?` : undefined });
      return { matcher, neverMatches: `${file.event} records never carry the data key ${key}` };
    }
    return { matcher };
  };

  /** A plain event expectation's `within`: a window (`10m..2h`); a bare span needs `after`. */
  const eventWindow = (text: string | undefined, path: Path): TimeWindow | undefined => {
    if (text !== undefined && !text.includes("..")) {
      problems.push({ path, expected: "a time window such as `10m..2h`, `..30m` or `1h..` (a bare duration is a span after a trigger and needs `after`)", found: JSON.stringify(text), hint: `write \`..${text.trim()}\` for "before ${text.trim()}", or add \`after:\` for "within ${text.trim()} after something"` });
      return undefined;
    }
    return window(text, path);
  };

  /** `after` + `within`: the trigger and the span after it (`5m` = `0s..5m`; no `within`: the rest of the run). */
  const relative = (after: string | { event: string; actor?: string; target?: string; data?: Record<string, string | number | boolean>; where?: string }, within: string | undefined, path: Path): Relative | undefined => {
    const span = within === undefined ? { fromMs: 0, toMs: scenario.durationMs } : guard([...path, "within"], () => parseSpan(within, [...path, "within"].join(".")));
    const trigger = triggerOf(after, [...path, "after"], path);
    return span && trigger ? { trigger, ...span } : undefined;
  };

  const triggerOf = (after: string | { event: string; actor?: string; target?: string; data?: Record<string, string | number | boolean>; where?: string }, at: Path, self: Path): Trigger | undefined => {
    if (typeof after !== "string") {
      const m = eventMatcher(after, at);
      return { kind: "event", matcher: m.matcher, words: matcherWords(m), neverMatches: m.neverMatches };
    }
    const index = names.get(after);
    const other = index === undefined ? undefined : files[index];
    const usable = other !== undefined && index !== self[1] && ("event" in other || ("agent" in other && other.state !== undefined));
    if (!usable) {
      const candidates = files.filter((f, j) => j !== self[1] && f.name !== undefined && ("event" in f || ("agent" in f && f.state !== undefined))).map((f) => f.name!);
      const guess = closest(after, candidates);
      problems.push({
        path: at,
        expected: `the \`name\` of another event or agent-state expectation (${candidates.join(", ") || "none is named"}), or an event matcher such as \`{ event: fault.started, actor: db-brownout }\``,
        found: other === undefined ? JSON.stringify(after) : index === self[1] ? `${JSON.stringify(after)}, this expectation itself` : `${JSON.stringify(after)}, which is not an event or agent-state expectation`,
        hint: guess ? `did you mean \`${guess}\`?` : "name the expectation to wait for with `name:`, or write the event inline",
      });
      return undefined;
    }
    const otherPath: Path = ["expect", index!];
    if ("event" in other) {
      // The referenced expectation's own problems and warnings are reported where it stands.
      const m = silently(() => eventMatcher(other, otherPath));
      const w = other.after === undefined && other.within?.includes("..") ? silently(() => window(other.within, otherPath)) : undefined;
      return { kind: "event", matcher: m.matcher, words: after, window: w, neverMatches: m.neverMatches };
    }
    if ("agent" in other && other.state !== undefined) {
      if (!scenario.agents.some((a) => a.id === other.agent)) return undefined;
      const w = other.after === undefined && other.within?.includes("..") ? silently(() => window(other.within, otherPath)) : undefined;
      const minStayMs = other.for === undefined ? 0 : (silently(() => guard(otherPath, () => parseDuration(other.for, "for"))) ?? 0);
      return { kind: "agentState", matcher: { agent: other.agent, state: other.state }, words: after, window: w, minStayMs };
    }
    return undefined;
  };

  /** Runs `f` and drops the problems and warnings it adds (they belong to another expectation). */
  const silently = <T>(f: () => T): T => {
    const p = problems.length;
    const w = warnings.length;
    const value = f();
    problems.length = p;
    warnings.length = w;
    return value;
  };

  const agentExpectation = (file: Extract<ExpectationFile, { agent: string }>, path: Path): UnlocatedExpectation | undefined => {
    const agentIds = scenario.agents.map((a) => a.id);
    if (!agentIds.includes(file.agent)) {
      const guess = closest(file.agent, agentIds);
      problems.push({ path: [...path, "agent"], expected: `an agent id (${agentIds.join(", ") || "none declared"})`, found: JSON.stringify(file.agent), hint: guess ? `did you mean \`${guess}\`?` : undefined });
      return undefined;
    }
    if ((file.state === undefined) === (file.never === undefined) || (file.never !== undefined && (file.entered !== undefined || file.after !== undefined))) {
      problems.push({
        path,
        expected: "either `state` (with optional `entered`, `after`) or `never`, with a state of the agent",
        found: file.state === undefined && file.never === undefined ? "neither `state` nor `never`" : file.state !== undefined && file.never !== undefined ? "both `state` and `never`" : "`never` with `entered` or `after`",
        hint: `e.g. \`{ agent: ${file.agent}, state: ${agentStates(file.agent)[0] ?? "idle"}, entered: ">= 1" }\` or \`{ agent: ${file.agent}, never: ${agentStates(file.agent)[0] ?? "idle"} }\``,
      });
      return undefined;
    }
    const mode = file.never !== undefined ? "never" : "entered";
    const state = (file.never ?? file.state)!;
    const statePath: Path = [...path, mode === "never" ? "never" : "state"];
    const states = agentStates(file.agent);
    if (states.length > 0 && !states.some((p) => p === state || p.endsWith(`.${state}`))) {
      const leaves = [...new Set(states.map((p) => p.slice(p.lastIndexOf(".") + 1)))];
      const guess = closest(state, [...leaves, ...states]);
      const kind = scenario.agents.find((a) => a.id === file.agent)!.kind;
      problems.push({ path: statePath, expected: `a state of ${file.agent} (${kind}: ${states.join(", ")})`, found: JSON.stringify(state), hint: guess ? `did you mean \`${guess}\`?` : undefined });
      return undefined;
    }
    const minStayMs = file.for === undefined ? 0 : guard([...path, "for"], () => parseDuration(file.for, [...path, "for"].join(".")));
    if (minStayMs === undefined) return undefined;
    const after = file.after === undefined ? undefined : relative(file.after, file.within, path);
    if (file.after !== undefined && !after) return undefined;
    const absolute = after ? undefined : eventWindow(file.within, [...path, "within"]);
    const entered = file.entered ?? ">= 1";
    const stay = file.for ? ` for at least ${file.for}` : "";
    const words =
      mode === "never"
        ? `${file.agent} never ${state}${stay}${file.within ? ` within ${file.within}` : ""}`
        : `${file.agent} entered ${state}${stay} ${entered.trim()}${after ? ` within ${file.within ?? "the rest of the run"} after ${after.trigger.words}` : file.within ? ` within ${file.within}` : ""}`;
    return { kind: "agentState", name: words, path, line: 0, col: 0, agent: file.agent, state, mode, comparison: parseComparison(mode === "never" ? "== 0" : entered), minStayMs, window: absolute, after };
  };

  files.forEach((file, i) => {
    const path: Path = ["expect", i];
    const named = (words: string) => file.name ?? words;
    if ("finding" in file) {
      if (file.knob !== undefined) knob(file.knob, [...path, "knob"]);
      file.actors?.forEach((a, j) => actor(a, [...path, "actors", j]));
      const mustOccur = file.must !== "not occur";
      const words = `${file.finding} must ${mustOccur ? "" : "not "}occur${file.knob ? ` on ${file.knob}` : ""}${file.actors ? ` between ${file.actors.join(", ")}` : ""}${file.within ? ` within ${file.within}` : ""}`;
      expectations.push({ kind: "finding", name: named(words), path, line: 0, col: 0, finding: file.finding, mustOccur, knob: file.knob, actors: file.actors, window: window(file.within, [...path, "within"]) });
    } else if ("threshold" in file) {
      const isKnob = (id: string, name: string) => (scenario.groups?.some((g) => g.id === id) ? false : (scenario.components.some((c) => c.id === id) ? (knobsOf(scenario.components.find((c) => c.id === id)!) ?? []) : []).includes(name));
      // A derived signal (sim/expr/derived.ts) of a component or group is read from the side telemetry, like an aggregate.
      const isDerived = (id: string, name: string) => derivedOf(derivedTable(scenario.components, scenario.groups), id, name) !== undefined;
      const parsed = guard([...path, "threshold"], () => parseThreshold(file.threshold, "threshold", isKnob, isDerived));
      if (!parsed) return;
      const derived = parsed.metric.kind === "aggregate" && isDerived(parsed.component, parsed.metric.name);
      // A group id reads the group's aggregates (`cells.sum.replicas`); a component id its signals.
      const group = scenario.groups?.some((g) => g.id === parsed.component) ?? false;
      if (group && !derived && parsed.metric.kind !== "aggregate") {
        problems.push(groupNeedsAggregate(parsed.component, parsed.metric.kind === "signal" ? parsed.metric.signal : parsed.metric.kind, [...path, "threshold"]));
        return;
      }
      if (derived) {
        // Read from the side telemetry, like a group aggregate (evaluate.ts).
      } else if (parsed.metric.kind === "aggregate") {
        if (!checkGroupRead(parsed.component, parsed.metric.name, [...path, "threshold"], scenario.groups ?? [], scenario.components, problems)) return;
      } else if (!component(parsed.component, [...path, "threshold"])) return;
      expectations.push({
        kind: "threshold",
        name: named(file.threshold.trim()),
        path,
        line: 0,
        col: 0,
        text: file.threshold.trim(),
        component: parsed.component,
        metric: parsed.metric,
        aggregator: parsed.aggregator,
        comparison: parsed.comparison,
        unit: parsed.unit,
        window: window(parsed.window, [...path, "threshold"]),
      });
    } else if ("cascadeDepth" in file) {
      expectations.push({ kind: "cascadeDepth", name: named(`cascade depth ${file.cascadeDepth.trim()}`), path, line: 0, col: 0, comparison: parseComparison(file.cascadeDepth) });
    } else if ("cost" in file) {
      if (file.component !== undefined) component(file.component, [...path, "component"]);
      const words = `${file.component ? `${file.component} ` : "total "}cost ${file.cost.trim()} dollars${file.within ? ` within ${file.within}` : ""}`;
      expectations.push({ kind: "cost", name: named(words), path, line: 0, col: 0, comparison: parseComparison(file.cost), component: file.component, window: window(file.within, [...path, "within"]) });
    } else if ("rejected" in file) {
      if (file.knob !== undefined) knob(file.knob, [...path, "knob"]);
      if (file.actor !== undefined) actor(file.actor, [...path, "actor"]);
      const words = `rejected commands${file.actor ? ` of ${file.actor}` : ""}${file.knob ? ` on ${file.knob}` : ""}${file.policy ? ` by ${file.policy}` : ""} ${file.rejected.trim()}`;
      expectations.push({ kind: "rejected", name: named(words), path, line: 0, col: 0, comparison: parseComparison(file.rejected), knob: file.knob, actor: file.actor, policy: file.policy });
    } else if ("event" in file) {
      const matcher = eventMatcher(file, path);
      const count = file.count ?? ">= 1";
      const after = file.after === undefined ? undefined : relative(file.after, file.within, path);
      const words = `${matcherWords(matcher)}${!after && file.within ? ` within ${file.within}` : ""} ${count.trim()}${after ? ` within ${file.within ?? "the rest of the run"} after ${after.trigger.words}` : ""}`;
      const absolute = file.after !== undefined ? undefined : eventWindow(file.within, [...path, "within"]);
      expectations.push({ kind: "event", name: named(words), path, line: 0, col: 0, ...matcher.matcher, comparison: parseComparison(count), window: absolute, after, neverMatches: matcher.neverMatches });
    } else if ("agent" in file) {
      const resolved = agentExpectation(file, path);
      if (resolved) expectations.push({ ...resolved, name: named(resolved.name) });
    } else {
      component(file.component, [...path, "component"]);
      const mode = file.never !== undefined ? "never" : "always";
      const state = file.never ?? file.always;
      if (state === undefined || (file.never !== undefined && file.always !== undefined)) {
        problems.push({ path, expected: "exactly one of `never` or `always` with a state (healthy, unhealthy, unavailable, degraded)", found: state === undefined ? "neither" : "both", hint: "e.g. `{ component: web, never: unhealthy }`" });
        return;
      }
      expectations.push({ kind: "state", name: named(`${file.component} ${mode} ${state}${file.within ? ` within ${file.within}` : ""}`), path, line: 0, col: 0, component: file.component, mode, state, window: window(file.within, [...path, "within"]) });
    }
  });
  return { expectations, problems, warnings };
}

/** `<= 40` -> { op: "<=", value: 40 }; the schema has already checked the shape. Pure. */
export function parseComparison(text: string): Comparison {
  const m = /^\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text)!;
  return { op: m[1] as Operator, value: Number(m[2]) };
}

/** `5m` -> [0, 5m]; `30s..5m` -> [30s, 5m]: a span after a trigger, both ends included. Pure. */
export function parseSpan(text: string, where = "within"): { fromMs: number; toMs: number } {
  if (!text.includes("..")) return { fromMs: 0, toMs: parseDuration(text.trim(), where) };
  const [from, to] = text.split("..").map((x) => x.trim());
  if (to === "") throw new InputError(where, "a span after the trigger with an end, such as `5m` or `30s..5m`", JSON.stringify(text), "leave out `within` for \"any time after\"");
  const fromMs = from === "" ? 0 : parseDuration(from, where);
  const toMs = parseDuration(to, where);
  if (fromMs > toMs) throw new InputError(where, "a span whose start is not after its end", JSON.stringify(text));
  return { fromMs, toMs };
}

function matcherWords(m: { matcher: EventMatcher }): string {
  const { event, actor, target, data, where } = m.matcher;
  const filters = [actor ? `by ${actor}` : "", target ? `on ${target}` : "", data ? `with ${Object.entries(data).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(", ")}` : "", where !== undefined ? `where ${where}` : ""].filter((x) => x !== "");
  return `${event} records${filters.length ? ` ${filters.join(" ")}` : ""}`;
}
