// The zod schema of a statechart agent written in YAML (`kind: statechart`): the shape of states,
// transitions, guards, actions and value expressions. Guards, actions and values come out as the
// chart types of sim/agents/declarative/chart.ts; transition shorthands, delays and references
// (states, context keys, components, knobs) are handled by sim/agents/declarative/resolve.ts.
// Guards, actions and value expressions are one-key mappings (`{ signal: {...} }`). zod unions
// report "invalid input" for every branch when a nested field is wrong, so these are dispatched
// on the key (or the YAML type) first and then validated by the one schema that applies, which
// keeps each error at its own path with what was expected there.
import { z } from "zod";
import { InputError, describeValue } from "../core/errors.js";
import { parseDuration, parseRate } from "../core/units.js";
import { ALL_SIGNAL_NAMES, isSignalName, type SignalName } from "../model/signals.js";
import {
  COMPARE_OPS,
  type ChartAction,
  type ChartGuard,
  type ChartValue,
  type CompareOp,
  type ContextValue,
  type Operand,
  type ValueSource,
} from "../agents/declarative/chart.js";
import { closest } from "./problems.js";
import { LOG_LEVELS, LOG_TEMPLATE_CHARS_MAX, templateProblem } from "../agents/declarative/log.js";
import { AGGREGATE_FORMS, aggregateCandidates, isAggregateLike, parseAggregateName } from "../model/groups.js";

type Path = (string | number)[];
type Ctx = { addIssue(issue: never): void };
type Issue = z.core.$ZodIssue;

/** Where a value expression can start from (besides a literal). */
export const VALUE_SOURCES = ["signal", "knob", "knobVersion", "document", "context", "cel"] as const;

const ID = /^[A-Za-z][A-Za-z0-9_-]*$/;
const id = z.string().regex(ID, "an id of letters, digits, - and _, starting with a letter");
const knobName = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, "a knob name such as `replicas` or `weight.web-a`");
const contextKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a context key of letters, digits and _");
const literal = z.union([z.number(), z.string(), z.boolean()]);

function addProblem(ctx: Ctx, path: Path, expected: string, found: string, hint?: string): void {
  ctx.addIssue({ code: "custom", message: `expected ${expected}`, path, params: { expected, found, hint } } as never);
}

/** Re-reports issues of a nested parse under `prefix`, so they keep their full YAML path. */
function forward(ctx: Ctx, issues: readonly Issue[], prefix: Path = []): void {
  for (const issue of issues) ctx.addIssue({ ...issue, path: [...prefix, ...issue.path] } as never);
}

function hintFor(word: string, candidates: readonly string[]): string | undefined {
  const c = closest(word, candidates);
  return c ? `did you mean \`${c}\`?` : undefined;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `value` without its undefined fields, so resolved charts hold only what was written. Pure. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function found(value: unknown): string {
  return value === undefined ? "nothing (this field is required)" : describeValue(value).replace(/^an object$/, "a mapping");
}

/**
 * A strict object whose unknown keys are reported with the keys it does accept and a
 * did-you-mean hint (plain zod only says "unrecognized key").
 */
function strict<S extends z.core.$ZodLooseShape>(what: string, shape: S) {
  const schema = z.strictObject(shape);
  const keys = Object.keys(shape);
  return z.unknown().transform((value, ctx): z.output<typeof schema> => {
    let failed = false;
    if (isMapping(value)) {
      for (const key of Object.keys(value)) {
        if (keys.includes(key)) continue;
        addProblem(ctx, [key], `a key of ${what} (${keys.join(", ")})`, `unknown key \`${key}\``, hintFor(key, keys));
        failed = true;
      }
    } else {
      addProblem(ctx, [], `${what} written as a mapping`, found(value));
      return z.NEVER;
    }
    const result = schema.safeParse(value);
    if (!result.success) {
      forward(ctx, result.error.issues.filter((i) => !(i.code === "unrecognized_keys" && i.path.length === 0)));
      return z.NEVER;
    }
    return failed ? z.NEVER : result.data;
  });
}

/** Parses `value` with `schema`, forwarding its issues under `prefix`; undefined when it fails. */
function parseWith<T>(ctx: Ctx, schema: z.ZodType<T>, value: unknown, prefix: Path = []): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  forward(ctx, result.error.issues, prefix);
  return undefined;
}

/** A one-key mapping `{ <type>: <body> }` dispatched on its key, e.g. `{ signal: {...} }`. */
function tagged<T>(noun: string, variants: Record<string, z.ZodType<T>>, hint: string) {
  const names = Object.keys(variants);
  const what = `${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun}`;
  return z.unknown().transform((value, ctx): T => {
    if (!isMapping(value) || Object.keys(value).length === 0) {
      addProblem(ctx, [], `${what}: a mapping with one key, one of ${names.join(", ")}`, isMapping(value) ? "an empty mapping" : found(value), hint);
      return z.NEVER;
    }
    const keys = Object.keys(value);
    const unknown = keys.filter((k) => !names.includes(k));
    for (const key of unknown) addProblem(ctx, [key], `${what} type (${names.join(", ")})`, `unknown key \`${key}\``, hintFor(key, names) ?? hint);
    if (unknown.length > 0) return z.NEVER;
    if (keys.length > 1) {
      addProblem(ctx, [keys[1]], `one ${noun} per mapping`, `${keys.map((k) => `\`${k}\``).join(" and ")} together`, hint);
      return z.NEVER;
    }
    const parsed = parseWith(ctx, variants[keys[0]], value[keys[0]], [keys[0]]);
    return parsed === undefined ? z.NEVER : parsed;
  });
}

// YAML reads an unquoted `>` as the start of a folded block and `!=` as a tag, so operators
// must be quoted; the hint says so because the parser's own message would not.
const op = z.unknown().transform((value, ctx): CompareOp => {
  if (typeof value === "string" && (COMPARE_OPS as readonly string[]).includes(value.trim())) return value.trim() as CompareOp;
  const text = typeof value === "string" ? value.trim() : "";
  const flipped = [...text].reverse().join("");
  const typo = (COMPARE_OPS as readonly string[]).includes(flipped) ? `did you mean \`${flipped}\`?` : text === "=" ? "did you mean `==`?" : text ? hintFor(text, COMPARE_OPS) : undefined;
  addProblem(ctx, [], `one of ${COMPARE_OPS.map((o) => `"${o}"`).join(", ")}`, found(value), typo ?? 'quote the operator, e.g. op: ">" (unquoted, > starts a YAML block and ! a tag)');
  return z.NEVER;
});

const comparisonShape = {
  op: op.describe('The comparison: ">", ">=", "<", "<=", "==" or "!=" (quoted in YAML).'),
  value: literal.optional().describe("The literal to compare with (a number; strings and booleans only with == and !=). Exactly one of value and param."),
  param: contextKey.optional().describe("A context key whose value is compared with. Exactly one of value and param."),
};
const guardComponent = id.describe("Id of the component read.");

/** The right-hand side of a comparison: exactly one of `value` or `param`. */
function operand(ctx: Ctx, c: { value?: ContextValue; param?: string }): Operand | undefined {
  if ((c.value === undefined) === (c.param === undefined)) {
    addProblem(ctx, c.value === undefined ? [] : ["param"], "exactly one of `value` (a literal) or `param` (a context key)", c.value === undefined ? "neither" : "both", "e.g. { ..., op: \">\", value: 80 } or { ..., op: \">\", param: threshold }");
    return undefined;
  }
  return c.value !== undefined ? { value: c.value } : { param: c.param! };
}

/**
 * A signal name, or an aggregate name of a group (`sum.replicas`, `count`, `fraction.unhealthy`;
 * sim/model/groups.ts). Whether the component is a group is checked by the resolver.
 */
function signalOrAggregateProblem(name: string): { expected: string; hint?: string } | undefined {
  if (isSignalName(name) || parseAggregateName(name)) return undefined;
  if (isAggregateLike(name)) return { expected: `an aggregate of a group (${AGGREGATE_FORMS.join(", ")})`, hint: hintFor(name, aggregateCandidates(name)) };
  return { expected: `a signal (${ALL_SIGNAL_NAMES.join(", ")})`, hint: hintFor(name, ALL_SIGNAL_NAMES) };
}
const signalName = z
  .string()
  .superRefine((name, ctx) => {
    const problem = signalOrAggregateProblem(name);
    if (problem) addProblem(ctx, [], problem.expected, JSON.stringify(name), problem.hint);
  })
  .describe("The signal compared (docs/model.md), e.g. `latencyMsP95`; when `component` is a group, an aggregate such as `sum.replicas`, `avg.latencyMsP95`, `count`, `countHealthy` or `fraction.unhealthy` (docs/scenario-format.md#groups).");

const signalGuard = strict("a signal guard", { component: guardComponent, name: signalName, ...comparisonShape }).transform((g, ctx): ChartGuard => {
  const rhs = operand(ctx, g);
  return rhs ? { type: "signal", component: g.component, name: g.name, op: g.op, rhs } : z.NEVER;
});
const knobGuard = (type: "knob" | "knobVersion") =>
  strict(`a ${type} guard`, { component: guardComponent, knob: knobName.describe(type === "knob" ? "The knob whose current value is compared, e.g. `replicas`." : "The knob whose version (times written, 0 at start) is compared."), ...comparisonShape }).transform((g, ctx): ChartGuard => {
    const rhs = operand(ctx, g);
    return rhs ? { type, component: g.component, knob: g.knob, op: g.op, rhs } : z.NEVER;
  });
const contextGuard = strict("a context guard", { key: contextKey.describe("The context key whose remembered value is compared."), ...comparisonShape }).transform((g, ctx): ChartGuard => {
  const rhs = operand(ctx, g);
  return rhs ? { type: "context", key: g.key, op: g.op, rhs } : z.NEVER;
});
const leaseGuard = strict("a leaseHeld guard", {
  component: guardComponent,
  knob: knobName.describe("The knob whose lease is read."),
  by: z.enum(["self", "other", "any"]).optional().describe("Who must hold the lease: `self`, `other` (anyone else) or `any`. Default `any`."),
}).transform(
  (g): ChartGuard => ({ type: "leaseHeld", component: g.component, knob: g.knob, by: g.by ?? "any" }),
);
const intentGuard = strict("an intentPublished guard", { component: guardComponent, knob: knobName.describe("The knob another agent's live intent must be on.") }).transform((g): ChartGuard => ({ type: "intentPublished", component: g.component, knob: g.knob }));
const probability = z.number().min(0, "a probability between 0 and 1").max(1, "a probability between 0 and 1");
const randomGuard = strict("a random guard", { p: probability.describe("Probability (0-1) that the guard holds, drawn from the agent's own seeded stream.") }).transform((g): ChartGuard => ({ type: "random", p: g.p }));

const GUARD_HINT = "a guard is one mapping such as { signal: { component: web, name: latencyMsP95, op: \">\", value: 80 } }; combine guards with all: [...], any: [...] or not: {...}";

/** The guards of `all` / `any`: a non-empty list. */
const guardList = z.array(z.lazy(() => guardSchema)).min(1, "a list of at least one guard");

const guardVariants: Record<ChartGuard["type"], z.ZodType<ChartGuard>> = {
  signal: signalGuard,
  knob: knobGuard("knob"),
  knobVersion: knobGuard("knobVersion"),
  context: contextGuard,
  leaseHeld: leaseGuard,
  intentPublished: intentGuard,
  random: randomGuard,
  cel: z.string().min(1, "a CEL condition such as \"web.latencyMsP95 > 250.0\"").transform((text): ChartGuard => ({ type: "cel", text })),
  all: guardList.transform((guards): ChartGuard => ({ type: "all", guards })),
  any: guardList.transform((guards): ChartGuard => ({ type: "any", guards })),
  not: z.lazy(() => guardSchema).transform((guard): ChartGuard => ({ type: "not", guard })),
};

/** Guard types of the library, in documentation order. */
export const GUARD_TYPES = Object.keys(guardVariants) as ChartGuard["type"][];

/** A guard of the library; `all`, `any` and `not` nest guards. */
export const guardSchema: z.ZodType<ChartGuard> = tagged<ChartGuard>("guard", guardVariants, GUARD_HINT);

/** Splits `web.replicas` / `lb.weight.web-a` at the first dot into component and name. */
function splitRef(ctx: Ctx, path: Path, ref: string, what: string): { component: string; name: string } | undefined {
  const dot = ref.indexOf(".");
  const component = dot < 0 ? ref : ref.slice(0, dot);
  const name = dot < 0 ? "" : ref.slice(dot + 1);
  if (!ID.test(component) || name === "") {
    addProblem(ctx, path, what === "document" ? "a reference `store.document` such as `plans.plan`" : `a reference \`component.${what}\` such as \`web.${what === "signal" ? "latencyMsP95" : "replicas"}\``, JSON.stringify(ref));
    return undefined;
  }
  return { component, name };
}

const valueExpression = strict("a value expression", {
  signal: z.string().optional().describe("Source: a signal as `component.signal`, e.g. `web.latencyMsP95`, or a group aggregate as `group.aggregate`, e.g. `cells.sum.replicas`."),
  knob: z.string().optional().describe("Source: a knob's current value as `component.knob`, e.g. `web.replicas`."),
  knobVersion: z.string().optional().describe("Source: a knob's version (times written) as `component.knob`."),
  document: z.string().optional().describe("Source: the newest live version number of a document as `store.document`, e.g. `plans.plan` (0 when none)."),
  context: contextKey.optional().describe("Source: a remembered context key."),
  cel: z.string().min(1).optional().describe("Source: a CEL expression producing a number, e.g. `max(2.0, web.replicas * web.cpuUtilization / params.target)` (docs/scenario-format.md#expressions-cel)."),
  plus: z.number().optional().describe("Added to the source (first)."),
  times: z.number().optional().describe("Multiplies the result (after plus)."),
  round: z.enum(["nearest", "up", "down"]).optional().describe("Rounds the result (after times): `nearest`, `up` or `down`. Default: no rounding."),
  min: z.number().optional().describe("Clamps the result to at least this (last)."),
  max: z.number().optional().describe("Clamps the result to at most this (last)."),
}).transform((v, ctx): ChartValue => {
  const sources = VALUE_SOURCES.filter((s) => v[s] !== undefined);
  if (sources.length !== 1) {
    addProblem(ctx, sources.length > 1 ? [sources[1]] : [], `exactly one source: ${VALUE_SOURCES.join(", ")}`, sources.length ? sources.join(" and ") : "none",
      "e.g. { knob: web.replicas, plus: 2 } or { signal: web.latencyMsP95, times: 0.5 }");
    return z.NEVER;
  }
  const kind = sources[0];
  let source: ValueSource;
  if (kind === "context") source = { kind, key: v.context! };
  else if (kind === "cel") source = { kind, text: v.cel! };
  else if (kind === "document") {
    const ref = splitRef(ctx, [kind], v.document!, "document");
    if (!ref) return z.NEVER;
    source = { kind, store: ref.component, document: ref.name };
  } else {
    const ref = splitRef(ctx, [kind], v[kind]!, kind === "signal" ? "signal" : "knob");
    if (!ref) return z.NEVER;
    if (kind === "signal") {
      const problem = signalOrAggregateProblem(ref.name);
      if (problem) {
        addProblem(ctx, [kind], problem.expected, JSON.stringify(ref.name), problem.hint);
        return z.NEVER;
      }
      source = { kind, component: ref.component, name: ref.name };
    } else source = { kind, component: ref.component, knob: ref.name };
  }
  if (v.min !== undefined && v.max !== undefined && v.min > v.max) {
    addProblem(ctx, ["min"], `min at most max (${v.max})`, String(v.min));
    return z.NEVER;
  }
  return defined({ source, plus: v.plus, times: v.times, round: v.round, min: v.min, max: v.max });
});

/** A value: a literal (number, or a string/boolean for `remember`) or a value expression. */
export const valueSchema: z.ZodType<ChartValue> = z.unknown().transform((value, ctx): ChartValue => {
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") {
    if (typeof value === "number" && !Number.isFinite(value)) {
      addProblem(ctx, [], "a finite number", found(value));
      return z.NEVER;
    }
    return { source: { kind: "literal", value } };
  }
  if (!isMapping(value)) {
    addProblem(ctx, [], "a number or a value expression such as { knob: web.replicas, plus: 2 }", found(value));
    return z.NEVER;
  }
  return parseWith(ctx, valueExpression, value) ?? z.NEVER;
});

const duration = z.string().transform((text, ctx): number => {
  try {
    return parseDuration(text);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    addProblem(ctx, [], e.expected, e.found, e.hint);
    return z.NEVER;
  }
});

const actionReason = z.string().min(1).optional().describe("The reason logged with the command. Default: generated from the state, the trigger and what the guard observed.");
const setAction = strict("a set action", {
  target: id.describe("Id of the component whose knob the command writes."),
  knob: knobName.describe("The knob written, e.g. `replicas` or `weight.web-a`."),
  value: valueSchema.describe("The value written: a literal or a value expression such as `{ knob: web.replicas, plus: 2 }`."),
  reason: actionReason,
  expectedVersionFrom: contextKey.optional().describe("A context key whose value is sent as `expectedVersion` (the fencing token the compareAndSet policy checks)."),
  idempotencyKey: z.string().min(1).optional().describe("Sent as the command's idempotency key (checked by the idempotency policy)."),
}).transform((a): ChartAction => defined({ type: "set", ...a }));
const rememberAction = strict("a remember action", {
  key: contextKey.describe("The context key assigned (declared in `context`)."),
  value: valueSchema.describe("The value assigned, of the key's type: a literal or a value expression."),
}).transform((a): ChartAction => ({ type: "remember", key: a.key, value: a.value }));
const publishIntentAction = strict("a publishIntent action", {
  target: id.describe("Id of the component whose knob the intent is about."),
  knob: knobName.describe("The knob the agent is about to set."),
  value: valueSchema.describe("The value it is about to set: a literal or a value expression."),
  ttl: duration.describe("How long the intent stays live, a duration such as `1m`."),
  reason: actionReason,
}).transform(
  (a): ChartAction => defined({ type: "publishIntent", target: a.target, knob: a.knob, value: a.value, ttlMs: a.ttl, reason: a.reason }),
);

// `log: "text"` or `log: { message, level }`; the message's `${...}` references are parsed here
// and checked against the context and components by the resolver (sim/agents/declarative/log.ts).
const logMessage = z.string().min(1, "a non-empty message").max(LOG_TEMPLATE_CHARS_MAX, `a message of at most ${LOG_TEMPLATE_CHARS_MAX} characters`).superRefine((text, ctx) => {
  const problem = templateProblem(text);
  if (problem) addProblem(ctx, [], problem.expected, problem.found, problem.hint);
});
const logObject = strict("a log action", {
  message: logMessage.describe("The annotation's text; `${key}` inserts a context value, `${web.latencyMsP95}` a signal or knob (read as a cause), `${because}` what the transition's guard observed, `${state}` the state."),
  level: z.enum(LOG_LEVELS).optional().describe("`info` or `warn`. Default `info`."),
});
const logAction = z.unknown().transform((value, ctx): ChartAction => {
  if (typeof value === "string") {
    const message = parseWith(ctx, logMessage, value);
    return message === undefined ? z.NEVER : { type: "log", message, level: "info" };
  }
  const parsed = parseWith(ctx, logObject, value);
  return parsed === undefined ? z.NEVER : { type: "log", message: parsed.message, level: parsed.level ?? "info" };
});
const sendLoadAction = strict("a sendLoad action", {
  to: id.describe("Id of the component the requests are sent to (as a workload's target)."),
  rate: z.unknown().describe("Requests per second: a rate such as `500/s` or `12000/m`, a number (per second) or a value expression such as `{ context: probeRps }`.").transform((value, ctx): ChartValue => {
    if (typeof value === "string") {
      try {
        return { source: { kind: "literal", value: parseRate(value) } };
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        addProblem(ctx, [], e.expected, e.found, e.hint);
        return z.NEVER;
      }
    }
    return parseWith(ctx, valueSchema, value) ?? z.NEVER;
  }),
  for: duration.describe("How long the requests are sent, a duration such as `2m` (longer than 0)."),
  reason: actionReason,
}).transform((a): ChartAction => defined({ type: "sendLoad", to: a.to, rps: a.rate, forMs: a.for, reason: a.reason }));
const actionVariants: Record<ChartAction["type"], z.ZodType<ChartAction>> = { set: setAction, remember: rememberAction, publishIntent: publishIntentAction, log: logAction, sendLoad: sendLoadAction };

/** Action types of the library, in documentation order. */
export const ACTION_TYPES = Object.keys(actionVariants) as ChartAction["type"][];

/** An action of the library. */
export const actionSchema: z.ZodType<ChartAction> = tagged<ChartAction>(
  "action",
  actionVariants,
  "an action is one mapping such as { set: { target: web, knob: replicas, value: 4 } } or { remember: { key: k, value: 1 } }",
);

/** One action or a list of them. */
const actionsSchema = z.unknown().transform((value, ctx): ChartAction | ChartAction[] => {
  return (Array.isArray(value) ? parseWith(ctx, z.array(actionSchema), value) : parseWith(ctx, actionSchema, value)) ?? z.NEVER;
});

const transitionObject = strict("a transition", {
  target: z.string().optional().describe("The state to go to; absent = stay (timers keep running); the current state = re-enter it (timers restart)."),
  guard: guardSchema.optional().describe("A guard of the library (signal, knob, knobVersion, context, leaseHeld, intentPublished, random, cel, all, any, not); absent = always taken."),
  actions: actionsSchema.optional().describe("One action (set, remember, publishIntent, log, sendLoad) or a list, run in order."),
});

/** A transition as written: a state name, or `{ target?, guard?, actions? }` with one action or a list. */
export type TransitionFile = string | z.output<typeof transitionObject>;

const transitionSchema = z.unknown().transform((value, ctx): TransitionFile => {
  if (typeof value === "string") return value;
  return parseWith(ctx, transitionObject, value) ?? z.NEVER;
});

/** One transition or a list of them (tried in order; the first whose guard holds is taken). */
export const transitionsSchema = z.unknown().transform((value, ctx): TransitionFile | TransitionFile[] => {
  return (Array.isArray(value) ? parseWith(ctx, z.array(transitionSchema), value) : parseWith(ctx, transitionSchema, value)) ?? z.NEVER;
});

/** A state: `on: { wake: ... }` and `after: { <duration>: ... }`. Delays are parsed by the resolver. */
export const stateSchema = strict("a state", {
  on: strict("`on`", { wake: transitionsSchema.optional().describe("Transitions tried when the engine sends `wake` (every evaluationPeriod).") })
    .optional()
    .describe("Event transitions: `{ wake: <transitions> }`."),
  after: z.record(z.string(), transitionsSchema).optional().describe("Delayed transitions by delay (`90s`, `2m`): armed when the state is entered, cancelled when it is left."),
}).describe(
  "A state: `on: { wake: <transitions> }` and `after: { <duration>: <transitions> }`; `{}` waits forever. Transitions are a state name, `{ target?, guard?, actions? }` or a list of them tried in order (docs/agents.md).",
);

/** A statechart agent as written in a scenario file (`kind: statechart`). */
export const statechartAgentSchema = z.strictObject({
  id: id.describe("The agent's id, unique among components, workloads, agents and faults; the `actor` of its events in the log."),
  kind: z.literal("statechart").describe("An agent written as a flat statechart whose guards and actions come from a fixed library; data, never code (docs/agents.md)."),
  onBehalfOf: z.string().min(1).optional().describe("The team, user or service the agent acts for, logged as `onBehalfOf` on its events. Default: none."),
  /** How often the engine sends `wake`; omitted or `0s` = never. */
  evaluationPeriod: duration.optional().describe("How often the engine sends the `wake` event, a duration such as `30s`. Default: never (omitted or `0s`); the agent then acts only on its `after` timers."),
  context: z.record(z.string(), literal).optional().describe("The keys the agent may remember and compare, with initial values (numbers, strings or booleans); every key used must be declared here. Default: none."),
  params: z.record(z.string(), literal).optional().describe("Constants the agent's CEL expressions read as `params.<key>` (numbers, strings or booleans). Default: none."),
  initial: z.string().describe("The name of the state the agent starts in."),
  states: z.record(z.string(), stateSchema).describe("The states by name (letters, digits, - and _); flat: no nesting, no parallel regions."),
}).describe("A statechart agent written in YAML (docs/agents.md).");

/** A statechart agent after schema validation: guards, actions and values in chart form; transitions and delays as written; references not yet checked. */
export type StatechartAgentFile = z.output<typeof statechartAgentSchema>;
