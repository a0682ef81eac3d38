// `${...}` substitution in scenario templates: a tiny load-time language of names, fields,
// indexes, integer arithmetic and two helpers (`pad`, `len`). Parsed and evaluated by hand, never
// with eval, and not CEL (CEL is for run-time expressions; this only writes the file's text).
import { closest } from "./problems.js";

/** Longest expression inside one `${...}`; a template's expressions are short names and sums. */
export const TEMPLATE_EXPR_CHARS_MAX = 200;
/** Widest `pad(n, width)`: zero-padding to more digits than any id needs is a mistake. */
export const TEMPLATE_PAD_WIDTH_MAX = 12;

/** Where names in an expression are looked up: loop variables, then `definitions` entries. */
export interface TemplateScope {
  /** The value bound to `name`, or undefined when nothing is (a bound null is null). */
  get(name: string): unknown;
  has(name: string): boolean;
  /** Every name in scope, for "did you mean" hints. */
  names(): string[];
}

/** A problem with one expression: what was expected, what was found and a hint. */
export class TemplateExprError extends Error {
  constructor(readonly expected: string, readonly found: string, readonly hint?: string) {
    super(`expected ${expected}, found ${found}`);
    this.name = "TemplateExprError";
  }
}

/** True when `text` holds a `${` placeholder (an escaped `$${` does not count). Pure. */
export function hasPlaceholder(text: string): boolean {
  return /(^|[^$])\$\{/.test(text);
}

const WHOLE = /^\$\{([^{}]*)\}$/;

/**
 * Substitutes every `${expr}` of `text`. A text that is exactly one `${expr}` becomes the
 * expression's value with its type (a number stays a number, a list stays a list); otherwise each
 * value (a string, number or boolean) is written into the text. `$${` writes a literal `${`.
 * Throws TemplateExprError. Pure.
 */
export function substitute(text: string, scope: TemplateScope): unknown {
  const whole = WHOLE.exec(text);
  if (whole) return evaluate(whole[1], scope);
  let out = "";
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf("${", i);
    if (start < 0) {
      out += text.slice(i);
      break;
    }
    if (start > 0 && text[start - 1] === "$") {
      out += text.slice(i, start - 1) + "${";
      i = start + 2;
      continue;
    }
    const end = text.indexOf("}", start + 2);
    if (end < 0) throw new TemplateExprError("`${` closed by `}`", JSON.stringify(text), "write `$${` for a literal `${`");
    out += text.slice(i, start);
    const value = evaluate(text.slice(start + 2, end), scope);
    if (value === null || typeof value === "object") {
      throw new TemplateExprError("a string, number or true/false to write into the text", Array.isArray(value) ? "a list" : value === null ? "null" : "a mapping", "a list or mapping can only be the whole value: write the field as exactly `${...}`, or pick a field such as `${item.id}`");
    }
    out += String(value);
    i = end + 1;
  }
  return out;
}

type Token = { kind: "num"; value: number } | { kind: "name"; value: string } | { kind: "op"; value: string };

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (c === " " || c === "\t") {
      i++;
    } else if (c >= "0" && c <= "9") {
      let j = i;
      while (j < expr.length && expr[j] >= "0" && expr[j] <= "9") j++;
      const value = Number(expr.slice(i, j));
      if (!Number.isSafeInteger(value)) throw new TemplateExprError("a whole number of at most 15 digits", expr.slice(i, j));
      tokens.push({ kind: "num", value });
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < expr.length && /[A-Za-z0-9_]/.test(expr[j])) j++;
      tokens.push({ kind: "name", value: expr.slice(i, j) });
      i = j;
    } else if ("+-*/%()[].,".includes(c)) {
      tokens.push({ kind: "op", value: c });
      i++;
    } else {
      throw new TemplateExprError("a name, a whole number or one of + - * / % ( ) [ ] . ,", `\`${c}\` in \`${expr}\``, c === "-" ? undefined : "template expressions are names (`item.zone`), whole numbers and integer arithmetic; ids with `-` are written around the `${}`: `site-${index}`");
    }
  }
  return tokens;
}

/**
 * Evaluates one expression (the text between `${` and `}`): names, `a.field`, `a[i]`, integer
 * `+ - * / %` (division rounds toward zero), parentheses, `pad(n, width)` (n zero-padded) and
 * `len(list)`. Throws TemplateExprError on an unknown name, a missing field, a non-integer operand,
 * division by zero or an overflow. Pure.
 */
export function evaluate(expr: string, scope: TemplateScope): unknown {
  const trimmed = expr.trim();
  if (trimmed === "") throw new TemplateExprError("an expression inside `${}`", "nothing", "e.g. `${index}` or `${item.zone}`");
  if (trimmed.length > TEMPLATE_EXPR_CHARS_MAX) throw new TemplateExprError(`an expression of at most ${TEMPLATE_EXPR_CHARS_MAX} characters`, `${trimmed.length} characters`);
  const tokens = tokenize(trimmed);
  let pos = 0;
  const peek = (value: string) => tokens[pos]?.kind === "op" && tokens[pos].value === value;
  const expect = (value: string) => {
    if (!peek(value)) throw new TemplateExprError(`\`${value}\``, pos < tokens.length ? `\`${String(tokens[pos].value)}\` in \`${trimmed}\`` : `the end of \`${trimmed}\``);
    pos++;
  };
  const integer = (v: unknown, op: string): number => {
    if (typeof v === "number" && Number.isSafeInteger(v)) return v;
    throw new TemplateExprError(`a whole number on each side of \`${op}\``, describeValue(v), typeof v === "string" ? "text and numbers join by writing them side by side: `site-${index + 1}`" : undefined);
  };
  const checked = (v: number): number => {
    if (!Number.isSafeInteger(v)) throw new TemplateExprError("a result within ±2^53", String(v), "template arithmetic is on whole numbers");
    return v;
  };
  const sum = (): unknown => {
    let left = product();
    while (peek("+") || peek("-")) {
      const op = tokens[pos++].value as string;
      const right = product();
      left = checked(op === "+" ? integer(left, op) + integer(right, op) : integer(left, op) - integer(right, op));
    }
    return left;
  };
  const product = (): unknown => {
    let left = unary();
    while (peek("*") || peek("/") || peek("%")) {
      const op = tokens[pos++].value as string;
      const a = integer(left, op);
      const b = integer(unary(), op);
      if (op !== "*" && b === 0) throw new TemplateExprError(`a divisor other than 0 for \`${op}\``, "0", undefined);
      left = checked(op === "*" ? a * b : op === "/" ? Math.trunc(a / b) : a % b);
    }
    return left;
  };
  const unary = (): unknown => {
    if (peek("-")) {
      pos++;
      return checked(-integer(unary(), "-") || 0);
    }
    return postfix();
  };
  const postfix = (): unknown => {
    let value = primary();
    let shown = pos > 0 ? String(tokens[pos - 1].value) : "";
    for (;;) {
      if (peek(".")) {
        pos++;
        const t = tokens[pos++];
        if (t?.kind !== "name") throw new TemplateExprError("a field name after `.`", t ? `\`${String(t.value)}\`` : "the end of the expression");
        value = field(value, t.value, shown);
        shown += `.${t.value}`;
      } else if (peek("[")) {
        pos++;
        const i = sum();
        expect("]");
        if (!Array.isArray(value)) throw new TemplateExprError(`a list before \`[...]\``, `${shown} is ${describeValue(value)}`);
        const n = integer(i, "[]");
        if (n < 0 || n >= value.length) throw new TemplateExprError(`an index from 0 to ${value.length - 1}`, String(n), `${shown} has ${value.length} items`);
        value = value[n];
        shown += `[${n}]`;
      } else {
        return value;
      }
    }
  };
  const primary = (): unknown => {
    const t = tokens[pos++];
    if (t === undefined) throw new TemplateExprError("a value", `the end of \`${trimmed}\``);
    if (t.kind === "num") return t.value;
    if (t.kind === "op") {
      if (t.value === "(") {
        const v = sum();
        expect(")");
        return v;
      }
      throw new TemplateExprError("a value", `\`${t.value}\` in \`${trimmed}\``);
    }
    if (peek("(")) return call(t.value);
    if (!scope.has(t.value)) {
      const names = scope.names();
      const guess = closest(t.value, names);
      throw new TemplateExprError(`a loop variable or a \`definitions\` entry${names.length > 0 ? ` (${names.slice(0, 8).join(", ")}${names.length > 8 ? ", ..." : ""})` : ""}`, `unknown name \`${t.value}\``, guess ? `did you mean \`${guess}\`?` : "loop variables are named by `as` (default `item`) and `index` (default `index`)");
    }
    return scope.get(t.value);
  };
  const call = (name: string): unknown => {
    expect("(");
    const args: unknown[] = [];
    if (!peek(")")) {
      args.push(sum());
      while (peek(",")) {
        pos++;
        args.push(sum());
      }
    }
    expect(")");
    if (name === "pad" && args.length === 2) {
      const n = integer(args[0], "pad");
      const width = integer(args[1], "pad");
      if (width < 1 || width > TEMPLATE_PAD_WIDTH_MAX) throw new TemplateExprError(`a pad width from 1 to ${TEMPLATE_PAD_WIDTH_MAX}`, String(width));
      return (n < 0 ? "-" : "") + String(Math.abs(n)).padStart(width, "0");
    }
    if (name === "len" && args.length === 1) {
      const v = args[0];
      if (Array.isArray(v)) return v.length;
      if (typeof v === "string") return v.length;
      if (v !== null && typeof v === "object") return Object.keys(v).length;
      throw new TemplateExprError("a list, mapping or string for `len`", describeValue(v));
    }
    throw new TemplateExprError("`pad(number, width)` or `len(list)`", `\`${name}\` with ${args.length} argument${args.length === 1 ? "" : "s"}`);
  };
  const value = sum();
  if (pos < tokens.length) throw new TemplateExprError("an operator or the end of the expression", `\`${String(tokens[pos].value)}\` in \`${trimmed}\``);
  return value;
}

function field(value: unknown, name: string, shown: string): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TemplateExprError(`a mapping before \`.${name}\``, `${shown} is ${describeValue(value)}`);
  }
  if (!Object.prototype.hasOwnProperty.call(value, name)) {
    const keys = Object.keys(value);
    const guess = closest(name, keys);
    throw new TemplateExprError(`a field of ${shown} (${keys.slice(0, 8).join(", ")})`, `no field \`${name}\``, guess ? `did you mean \`${guess}\`?` : undefined);
  }
  return (value as Record<string, unknown>)[name];
}

/** A short description of a template value for messages. Pure. */
export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  return String(v);
}
