// Error types shared by every stage: bad input is an InputError that names the thing, what was
// expected and what was found; a broken invariant is a bug and says how to reproduce it.

/** Bad input from a user or a scenario file: what was wrong, where, and how to fix it. */
export class InputError extends Error {
  /** Where the bad value lives, e.g. `components[1].replicas` or `sim/model: service "web"`. */
  readonly path: string;
  readonly expected: string;
  readonly found: string;
  readonly hint?: string;

  constructor(path: string, expected: string, found: string, hint?: string) {
    super(`${path}: expected ${expected}, found ${found}${hint ? ` (hint: ${hint})` : ""}`);
    this.name = "InputError";
    this.path = path;
    this.expected = expected;
    this.found = found;
    this.hint = hint;
  }
}

/**
 * A simulator bug: an invariant that must hold did not. The message carries the seed and the
 * sequence number so the failure can be replayed exactly.
 */
export class InvariantError extends Error {
  constructor(message: string, context: { seed?: string | number; seq?: number; t?: number }) {
    const where = [
      context.seed !== undefined ? `seed=${context.seed}` : "",
      context.seq !== undefined ? `seq=${context.seq}` : "",
      context.t !== undefined ? `t=${context.t}ms` : "",
    ]
      .filter(Boolean)
      .join(" ");
    super(`invariant violated: ${message}${where ? ` [reproduce with ${where}]` : ""}`);
    this.name = "InvariantError";
  }
}

/** Renders any value compactly for "found ..." parts of error messages. Pure. */
export function describeValue(value: unknown): string {
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return String(value);
}

/** Throws an InputError unless `value` is a finite number. Returns the number. */
export function requireFinite(path: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InputError(path, "a finite number", describeValue(value));
  }
  return value;
}

/** Throws an InputError unless `value` is a finite number >= min (and <= max when given). */
export function requireInRange(path: string, value: unknown, min: number, max = Infinity): number {
  const n = requireFinite(path, value);
  if (n < min || n > max) {
    const range = max === Infinity ? `a number >= ${min}` : `a number in [${min}, ${max}]`;
    throw new InputError(path, range, describeValue(n));
  }
  return n;
}

/** Throws an InputError unless `value` is an integer >= min (and <= max when given). */
export function requireInteger(path: string, value: unknown, min: number, max = Infinity): number {
  const n = requireInRange(path, value, min, max);
  if (!Number.isInteger(n)) throw new InputError(path, "a whole number", describeValue(n));
  return n;
}
