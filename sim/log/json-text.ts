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
