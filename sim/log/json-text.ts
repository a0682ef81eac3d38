// A logged value as text, for messages and labels built from record data. Pure.
import { canonicalJson } from "./canonical-json.js";

/**
 * `String(value)` for any value a run file can hold. `String()` and template literals throw on a
 * JSON object with a `toString` or `valueOf` member that is not a function (`{"toString": 1}`),
 * which a forged record's data may hold anywhere; such values are shown as canonical JSON
 * instead. Everything else reads exactly as `String(value)` does. Pure.
 */
export function jsonText(value: unknown): string {
  try {
    return String(value);
  } catch {
    try {
      return canonicalJson(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
}

/** `text` cut to `max` characters (ending `...`): messages quoting forged values stay bounded. Pure. */
export function elided(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/**
 * A short, safe description of a value found where another was expected: its JSON, elided to
 * `max` characters, or `missing` when there is none. Pure.
 */
export function shortJson(value: unknown, max = 40, missing = "nothing"): string {
  if (value === undefined) return missing;
  return elided(JSON.stringify(value) ?? jsonText(value), max);
}
