// Resolves a schema-valid statechart agent into its chart: expands transition shorthands, parses
// `after` delays, and checks every reference (states, context keys and their types, components,
// knobs). Collects all problems with their YAML paths instead of stopping at the first. Pure.
import { InputError } from "../../core/errors.js";
import { parseDuration } from "../../core/units.js";
import { componentKnobs } from "../../model/component-knobs.js";
import { ALL_SIGNAL_NAMES } from "../../model/signals.js";
import type { TransitionFile, StatechartAgentFile } from "../../scenario/declarative-schema.js";
import { closest, type Problem } from "../../scenario/problems.js";
import type { ComponentSpec, StatechartAgentSpec } from "../../scenario/types.js";
import type { GroupSpec } from "../../scenario/resolve-groups.js";
import { sendLoadProblems, templateRefs } from "./resolve-actions.js";
import { compileAgentExpr } from "./cel.js";
import type { CelRead, ChartAction, ChartDelay, ChartGuard, ChartState, ChartTransition, ChartValue, CompareOp, ContextValue, GroupRead, Operand } from "./chart.js";
import { isSignalName } from "../../model/signals.js";

type Path = (string | number)[];
type Unlocated = Omit<Problem, "line" | "col">;

/** What the scenario resolver lends: its component lookup and its reference check. */
export interface ResolveTools {
  /** The component with this id, if any. */
  component(id: string): ComponentSpec | undefined;
  /** Records a problem when `id` is not a component id (with the known ids and a hint). */
  reference(id: string, path: Path): void;
  /** Every component, for CEL expressions (absent: CEL expressions see none). */
  components?(): readonly ComponentSpec[];
  /**
   * Group reads (`<group>.<aggregate>`, sim/model/groups.ts): whether `id` is a group, and the
   * checked read of aggregate `name` of group `id` (undefined after recording a problem at `path`).
   * Absent when the scenario declares no groups.
   */
  group?: { has(id: string): boolean; read(id: string, name: string, path: Path): GroupRead | undefined };
  /** Every resolved group, for CEL expressions (absent: CEL expressions see none). */
  groups?(): readonly GroupSpec[];
}

const STATE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const CONTEXT_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
type ValueType = "number" | "string" | "boolean";

/**
 * The knobs a component has, as the world model creates them (test/agents/declarative-load.test.ts
 * compares the two). The return type keeps undefined for callers that handle an unknown kind. Pure.
 */
export function knobsOf(spec: ComponentSpec): string[] | undefined {
  // The kind's own module says which knobs a component has (sim/model/kinds/), so a new kind's
  // knobs are checked here without editing this file.
  return Object.keys(componentKnobs(spec));
}

/**
 * Resolves statechart agent `file` found at `path`. Returns the spec and the problems found
 * (the spec is meaningless when there are problems). Pure apart from calling `tools.reference`.
 */
export function resolveStatechartAgent(file: StatechartAgentFile, path: Path, tools: ResolveTools): { spec: StatechartAgentSpec; problems: Unlocated[] } {
  const problems: Unlocated[] = [];
  const context: Record<string, ContextValue> = { ...(file.context ?? {}) };
  const contextKeys = Object.keys(context);
  const stateNames = Object.keys(file.states);
  const typeOf = (v: ContextValue): ValueType => typeof v as ValueType;

  const params = file.params;
  for (const key of Object.keys(params ?? {})) {
    if (!CONTEXT_KEY.test(key)) problems.push({ path: [...path, "params", key], expected: "a param name of letters, digits and _ (no dots)", found: JSON.stringify(key) });
  }
  /** Compiles a CEL expression at `at`; returns its reads, or undefined after recording its problems. */
  const cel = (text: string, at: Path, result: "bool" | "number"): { reads: CelRead[]; cost: number } | undefined => {
    const compiled = compileAgentExpr(text, tools.components?.() ?? [], context, params, at, result, tools.groups?.());
    if ("problems" in compiled) {
      problems.push(...compiled.problems);
      return undefined;
    }
    return compiled;
  };
  for (const key of contextKeys) {
    if (!CONTEXT_KEY.test(key)) problems.push({ path: [...path, "context", key], expected: "a context key of letters, digits and _ (no dots)", found: JSON.stringify(key) });
  }
  if (stateNames.length === 0) problems.push({ path: [...path, "states"], expected: "at least one state", found: "no states", hint: "e.g. states: { idle: { on: { wake: ... } } }" });
  for (const name of stateNames) {
    if (!STATE_NAME.test(name)) problems.push({ path: [...path, "states", name], expected: "a state name of letters, digits, - and _, starting with a letter", found: JSON.stringify(name) });
  }
  const stateRef = (name: string, at: Path) => {
    if (!Object.hasOwn(file.states, name)) problems.push({ path: at, expected: `the name of a state (${stateNames.join(", ")})`, found: JSON.stringify(name), hint: hintFor(name, stateNames) });
  };
  stateRef(file.initial, [...path, "initial"]);

  /** Checks a context key exists (and has type `type` when given); returns its type. */
  const contextRef = (key: string, at: Path, type?: ValueType): ValueType | undefined => {
    if (!Object.hasOwn(context, key)) {
      problems.push({ path: at, expected: contextKeys.length ? `a key declared in context (${contextKeys.join(", ")})` : "a key declared in the agent's context", found: JSON.stringify(key), hint: hintFor(key, contextKeys) ?? `declare it, e.g. context: { ${key}: 0 }` });
      return undefined;
    }
    const actual = typeOf(context[key]);
    if (type && actual !== type) problems.push({ path: at, expected: `a context key holding a ${type}`, found: `${JSON.stringify(key)}, which holds a ${actual} (${JSON.stringify(context[key])})` });
    return actual;
  };

  const knobRef = (component: string, knob: string, componentAt: Path, knobAt: Path) => {
    tools.reference(component, componentAt);
    const spec = tools.component(component);
    const knobs = spec && knobsOf(spec);
    if (!spec || !knobs || knobs.includes(knob)) return;
    if (knobs.length === 0) problems.push({ path: componentAt, expected: "a component with knobs", found: `${JSON.stringify(component)}, a ${spec.kind}, which has none` });
    else problems.push({ path: knobAt, expected: `a knob of ${component} (${knobs.join(", ")})`, found: JSON.stringify(knob), hint: hintFor(knob, knobs) });
  };

  const operand = (rhs: Operand, op: CompareOp, at: Path, lhs: ValueType) => {
    if ("param" in rhs) {
      const t = contextRef(rhs.param, [...at, "param"]);
      if (t && t !== lhs) problems.push({ path: [...at, "param"], expected: `a context key holding a ${lhs}`, found: `${JSON.stringify(rhs.param)}, which holds a ${t}` });
    } else if (typeOf(rhs.value) !== lhs) {
      problems.push({ path: [...at, "value"], expected: `a ${lhs}`, found: JSON.stringify(rhs.value) });
    }
    if (op !== "==" && op !== "!=" && lhs !== "number") problems.push({ path: [...at, "op"], expected: "== or != to compare strings and booleans", found: JSON.stringify(op) });
  };

  /** Checks a read of signal `name` of `component` (or of an aggregate when it is a group); returns the group read, if any. */
  const signalRead = (component: string, name: string, componentAt: Path, nameAt: Path): GroupRead | undefined => {
    if (tools.group?.has(component)) return tools.group.read(component, name, nameAt);
    if (isSignalName(name)) {
      tools.reference(component, componentAt);
      return undefined;
    }
    // An aggregate name (`sum.replicas`) needs a group before it.
    if (tools.group) return tools.group.read(component, name, componentAt);
    problems.push({ path: componentAt, expected: `the id of a group before an aggregate name such as \`${name}\``, found: JSON.stringify(component), hint: "no groups are declared: add one under top-level `groups`, e.g. `groups: [{ id: cells, pattern: \"cell-*\" }]`" });
    return undefined;
  };

  const guard = (g: ChartGuard, at: Path): ChartGuard => {
    const here: Path = [...at, g.type];
    switch (g.type) {
      case "signal": {
        const group = signalRead(g.component, g.name, [...here, "component"], [...here, "name"]);
        operand(g.rhs, g.op, here, "number");
        return group ? { ...g, group } : g;
      }
      case "knob":
      case "knobVersion":
        knobRef(g.component, g.knob, [...here, "component"], [...here, "knob"]);
        operand(g.rhs, g.op, here, "number");
        return g;
      case "context": {
        const t = contextRef(g.key, [...here, "key"]);
        if (t) operand(g.rhs, g.op, here, t);
        return g;
      }
      case "leaseHeld":
      case "intentPublished":
        knobRef(g.component, g.knob, [...here, "component"], [...here, "knob"]);
        return g;
      case "random":
        return g;
      case "cel": {
        const compiled = cel(g.text, here, "bool");
        if (compiled) Object.assign(g, compiled);
        return g;
      }
      case "all":
      case "any":
        return { ...g, guards: g.guards.map((child, i) => guard(child, [...here, i])) };
      case "not":
        return { ...g, guard: guard(g.guard, here) };
    }
  };

  /** `v` with the members of a group aggregate it reads attached (checked by `value`). */
  const grouped = (v: ChartValue, at: Path): ChartValue => {
    const s = v.source;
    if (s.kind !== "signal" || !tools.group?.has(s.component)) return v;
    const group = tools.group.read(s.component, s.name, [...at, "signal"]);
    return group ? { ...v, source: { ...s, group } } : v;
  };

  /** Checks a value expression's references; returns the type it produces. */
  const value = (v: ChartValue, at: Path): ValueType | undefined => {
    const s = v.source;
    const modified = v.plus !== undefined || v.times !== undefined || v.round !== undefined || v.min !== undefined || v.max !== undefined;
    switch (s.kind) {
      case "literal":
        return typeOf(s.value);
      case "signal":
        // Group reads are checked (once) by `grouped`.
        if (!tools.group?.has(s.component)) signalRead(s.component, s.name, [...at, "signal"], [...at, "signal"]);
        return "number";
      case "knob":
      case "knobVersion":
        knobRef(s.component, s.knob, [...at, s.kind], [...at, s.kind]);
        return "number";
      case "document": {
        tools.reference(s.store, [...at, "document"]);
        const spec = tools.component(s.store);
        if (spec && spec.kind !== "documentStore") problems.push({ path: [...at, "document"], expected: "a reference `store.document` to a documentStore", found: `${JSON.stringify(s.store)}, a ${spec.kind}` });
        return "number";
      }
      case "context": {
        const type = contextRef(s.key, [...at, "context"], modified ? "number" : undefined);
        return modified ? "number" : type;
      }
      case "cel": {
        const compiled = cel(s.text, [...at, "cel"], "number");
        if (compiled) Object.assign(s, compiled);
        return "number";
      }
    }
  };
  const numericValue = (v: ChartValue, at: Path) => {
    const t = value(v, at);
    if (t && t !== "number") {
      const literal = v.source.kind === "literal" ? v.source.value : undefined;
      problems.push({ path: at, expected: "a number or a value expression such as { knob: web.replicas, plus: 2 }", found: JSON.stringify(literal ?? t),
        hint: typeof literal === "string" && literal.includes(".") ? `to read it, write { knob: ${literal} } or { signal: ${literal} }` : undefined });
    }
  };

  const action = (a: ChartAction, at: Path): ChartAction => {
    const here: Path = [...at, a.type];
    switch (a.type) {
      case "set":
        knobRef(a.target, a.knob, [...here, "target"], [...here, "knob"]);
        numericValue(a.value, [...here, "value"]);
        if (a.expectedVersionFrom !== undefined) contextRef(a.expectedVersionFrom, [...here, "expectedVersionFrom"], "number");
        return { ...a, value: grouped(a.value, [...here, "value"]) };
      case "remember": {
        const declared = contextRef(a.key, [...here, "key"]);
        const produced = value(a.value, [...here, "value"]);
        if (declared && produced && declared !== produced) problems.push({ path: [...here, "value"], expected: `a ${declared} (context key ${a.key} holds a ${declared})`, found: `a ${produced}` });
        return { ...a, value: grouped(a.value, [...here, "value"]) };
      }
      case "publishIntent":
        knobRef(a.target, a.knob, [...here, "target"], [...here, "knob"]);
        numericValue(a.value, [...here, "value"]);
        if (a.ttlMs <= 0) problems.push({ path: [...here, "ttl"], expected: "a ttl longer than 0ms", found: `${a.ttlMs}ms` });
        return { ...a, value: grouped(a.value, [...here, "value"]) };
      case "log":
        for (const ref of templateRefs(a.message)) {
          if (ref.kind === "context") contextRef(ref.key, here);
          else if (ref.kind === "signal") tools.reference(ref.component, here);
          else if (ref.kind === "knob") {
            tools.reference(ref.component, here);
            const spec = tools.component(ref.component);
            const knobs = spec ? (knobsOf(spec) ?? []) : undefined;
            if (knobs && !knobs.includes(ref.knob)) {
              problems.push({ path: here, expected: `\${${ref.component}.<a signal>} or \${${ref.component}.<a knob: ${knobs.join(", ") || "none"}>}`, found: JSON.stringify(`\${${ref.component}.${ref.knob}}`), hint: hintFor(ref.knob, [...ALL_SIGNAL_NAMES, ...knobs]) ?? "signals: docs/model.md" });
            }
          }
          else if (Object.hasOwn(context, ref.kind)) problems.push({ path: here, expected: `\${${ref.kind}} to mean one thing`, found: `a context key also named ${JSON.stringify(ref.kind)}`, hint: `\${${ref.kind}} is reserved (${ref.kind === "because" ? "what the guard observed" : "the current state"}); rename the context key` });
        }
        return a;
      case "sendLoad":
        problems.push(...sendLoadProblems(a, here));
        tools.reference(a.to, [...here, "to"]);
        numericValue(a.rps, [...here, "rate"]);
        return { ...a, rps: grouped(a.rps, [...here, "rate"]) };
    }
  };

  const transition = (t: TransitionFile, at: Path): ChartTransition => {
    if (typeof t === "string") {
      stateRef(t, at);
      return { target: t, actions: [] };
    }
    if (t.target !== undefined) stateRef(t.target, [...at, "target"]);
    const checkedGuard = t.guard !== undefined ? guard(t.guard, [...at, "guard"]) : undefined;
    const written = t.actions === undefined ? [] : Array.isArray(t.actions) ? t.actions : [t.actions];
    const actions = Array.isArray(t.actions) ? written.map((a, i) => action(a, [...at, "actions", i])) : written.map((a) => action(a, [...at, "actions"]));
    return { ...(t.target !== undefined ? { target: t.target } : {}), ...(checkedGuard !== undefined ? { guard: checkedGuard } : {}), actions };
  };
  const transitions = (ts: TransitionFile | TransitionFile[], at: Path): ChartTransition[] =>
    Array.isArray(ts) ? ts.map((t, i) => transition(t, [...at, i])) : [transition(ts, at)];

  const states: Record<string, ChartState> = {};
  for (const [name, s] of Object.entries(file.states)) {
    const at: Path = [...path, "states", name];
    const after: ChartDelay[] = [];
    const byDelay = new Map<number, string>();
    for (const [text, ts] of Object.entries(s.after ?? {})) {
      const delayAt: Path = [...at, "after", text];
      let delayMs: number | undefined;
      try {
        delayMs = parseDuration(text, text);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        problems.push({ path: delayAt, expected: `a delay: ${e.expected}`, found: e.found, hint: e.hint ?? "e.g. `30s`, `2m`, `1h30m`" });
      }
      if (delayMs !== undefined && delayMs <= 0) {
        problems.push({ path: delayAt, expected: "a delay longer than 0ms", found: JSON.stringify(text), hint: "a zero delay would fire the instant it is armed; use a transition on wake" });
      } else if (delayMs !== undefined && byDelay.has(delayMs)) {
        problems.push({ path: delayAt, expected: "each delay once per state", found: `${JSON.stringify(text)}, the same delay as ${JSON.stringify(byDelay.get(delayMs))}`, hint: "put the transitions in one list under one delay" });
      } else if (delayMs !== undefined) {
        byDelay.set(delayMs, text);
      }
      after.push({ delayMs: delayMs ?? 0, transitions: transitions(ts, [...at, "after", text]) });
    }
    after.sort((a, b) => a.delayMs - b.delayMs);
    states[name] = { wake: s.on?.wake === undefined ? [] : transitions(s.on.wake, [...at, "on", "wake"]), after };
  }

  return {
    spec: { id: file.id, kind: "statechart", evaluationPeriodMs: file.evaluationPeriod ?? 0, context, ...(params !== undefined ? { params: { ...params } } : {}), initial: file.initial, states },
    problems,
  };
}

function hintFor(word: string, candidates: string[]): string | undefined {
  const c = closest(word, candidates);
  return c ? `did you mean \`${c}\`?` : undefined;
}
