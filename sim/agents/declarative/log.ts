// The `log` action's message templates: `scale-in vetoed: p95 ${web.latencyMsP95} > ${threshold}`.
// A template is plain text with `${...}` references to a context key, a component's signal or
// knob, `${because}` (what the transition's guard observed) or `${state}`; nothing is evaluated
// beyond those lookups, and the rendered text is bounded. Parsing and rendering are pure.
import { isSignalName } from "../../model/signals.js";
import { show } from "../io.js";
import type { ContextValue } from "./chart.js";

/** Levels of a log annotation. */
export const LOG_LEVELS = ["info", "warn"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Most characters of a message template as written. */
export const LOG_TEMPLATE_CHARS_MAX = 300;
/** Most characters of a rendered message: longer ones are cut and end with `…`. */
export const LOG_MESSAGE_CHARS_MAX = 500;
/** Most `${...}` references in one template. */
export const LOG_REFS_MAX = 16;
/** Names a template may use besides context keys and `component.name` references. */
export const LOG_RESERVED = ["because", "state"] as const;

/** One piece of a template: literal text, or a reference written `${name}`. */
export type TemplatePart = { text: string } | { ref: string };

// A context key (`breaches`, `because`, `state`) or `component.signal` / `component.knob` (`lb.weight.web-a`).
const REF = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z][A-Za-z0-9_.-]*)?$/;

/** A problem with a template: what was expected, what was found, a hint. */
export interface TemplateProblem {
  expected: string;
  found: string;
  hint?: string;
}

/**
 * Splits `template` into text and references; `$${` writes a literal `${`. Returns the parts, or
 * the first problem (an unclosed or malformed reference, too many references). Pure.
 */
export function parseTemplate(template: string): TemplatePart[] | TemplateProblem {
  const parts: TemplatePart[] = [];
  let text = "";
  let refs = 0;
  let i = 0;
  while (i < template.length) {
    if (template.startsWith("$${", i)) {
      text += "${";
      i += 3;
      continue;
    }
    if (!template.startsWith("${", i)) {
      text += template[i++];
      continue;
    }
    const close = template.indexOf("}", i + 2);
    if (close < 0) return { expected: "a reference closed by `}`", found: JSON.stringify(template.slice(i, i + 40)), hint: "write ${key} or ${component.signal}; `$${` writes a literal ${" };
    const name = template.slice(i + 2, close).trim();
    if (!REF.test(name)) {
      return { expected: "a reference ${key}, ${component.signal}, ${component.knob}, ${because} or ${state}", found: JSON.stringify(`\${${template.slice(i + 2, close)}}`), hint: "references only look values up; there are no expressions" };
    }
    if (++refs > LOG_REFS_MAX) return { expected: `at most ${LOG_REFS_MAX} references in one message`, found: `${refs} or more` };
    if (text) parts.push({ text });
    text = "";
    parts.push({ ref: name });
    i = close + 1;
  }
  if (text) parts.push({ text });
  return parts;
}

/** The problem with `template`, or null when it parses. Pure. */
export function templateProblem(template: string): TemplateProblem | null {
  const parsed = parseTemplate(template);
  return Array.isArray(parsed) ? null : parsed;
}

/** What a reference names once the context is known. */
export type ResolvedRef =
  | { kind: "context"; key: string }
  | { kind: "because" }
  | { kind: "state" }
  | { kind: "signal"; component: string; name: string }
  | { kind: "knob"; component: string; knob: string };

/**
 * What reference `name` reads: a dotted name is a component's signal when its second part is a
 * signal name, else its knob; `because` and `state` are reserved; anything else is a context key. Pure.
 */
export function classifyRef(name: string): ResolvedRef {
  const dot = name.indexOf(".");
  if (dot < 0) return name === "because" || name === "state" ? { kind: name } : { kind: "context", key: name };
  const component = name.slice(0, dot);
  const rest = name.slice(dot + 1);
  return isSignalName(rest) ? { kind: "signal", component, name: rest } : { kind: "knob", component, knob: rest };
}

/** How a template reads the world while it renders (the agent's AgentIO, recording causes). */
export interface TemplateReader {
  context(key: string): ContextValue | undefined;
  signal(component: string, name: string): number;
  knob(component: string, knob: string): number;
  because(): string;
  state(): string;
}

/** Renders parsed `parts` with `reader`, cut to LOG_MESSAGE_CHARS_MAX characters. Pure apart from the reader's reads. */
export function renderTemplate(parts: readonly TemplatePart[], reader: TemplateReader): string {
  let out = "";
  for (const part of parts) {
    if ("text" in part) out += part.text;
    else out += valueText(classifyRef(part.ref), reader);
    if (out.length > LOG_MESSAGE_CHARS_MAX) break;
  }
  return out.length > LOG_MESSAGE_CHARS_MAX ? `${out.slice(0, LOG_MESSAGE_CHARS_MAX - 1)}…` : out;
}

function valueText(ref: ResolvedRef, reader: TemplateReader): string {
  switch (ref.kind) {
    case "because":
      return reader.because();
    case "state":
      return reader.state();
    case "context": {
      const v = reader.context(ref.key);
      return typeof v === "number" ? show(v) : String(v);
    }
    case "signal":
      return show(reader.signal(ref.component, ref.name));
    case "knob":
      return show(reader.knob(ref.component, ref.knob));
  }
}

const compiled = new WeakMap<object, TemplatePart[]>();

/** The parts of a template the schema accepted, parsed once per action object. */
export function templateParts(action: object, template: string): TemplatePart[] {
  let parts = compiled.get(action);
  if (parts === undefined) {
    const parsed = parseTemplate(template);
    // The schema rejects templates that do not parse; keep the text as written rather than fail mid-run.
    parts = Array.isArray(parsed) ? parsed : [{ text: template }];
    compiled.set(action, parts);
  }
  return parts;
}
