// Parsing and formatting of the units scenario files use: durations (`250ms`, `1h30m`) become
// integer milliseconds of simulated time, rates (`200/s`) become requests per second.
import { InputError, describeValue } from "./errors.js";

const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;
const RATE = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(ms|s|m|h)\s*$/;

/**
 * Parses a duration like `250ms`, `30s`, `5m`, `1h30m` or `1.5s` into integer milliseconds.
 * Units must appear largest first and at most once. Pure; throws InputError on bad input.
 */
export function parseDuration(text: unknown, path = "duration"): number {
  if (typeof text !== "string") {
    throw new InputError(path, "a duration string such as `30s`, `5m` or `1h30m`", describeValue(text),
      typeof text === "number" ? `write the unit, e.g. \`${text}ms\` or \`${text}s\`` : undefined);
  }
  const s = text.trim();
  if (s.length === 0) throw new InputError(path, "a duration such as `30s`", "an empty string");
  DURATION_PART.lastIndex = 0;
  let total = 0;
  let lastUnitMs = Infinity;
  while (DURATION_PART.lastIndex < s.length) {
    const at = DURATION_PART.lastIndex;
    const m = DURATION_PART.exec(s);
    if (!m) {
      throw new InputError(path, "a duration made of <number><unit> parts with units ms, s, m, h, d",
        JSON.stringify(text), `could not read ${JSON.stringify(s.slice(at))}; e.g. \`1h30m\`, \`250ms\``);
    }
    const unitMs = DURATION_UNIT_MS[m[2]];
    if (unitMs >= lastUnitMs) {
      throw new InputError(path, "units from largest to smallest, each at most once", JSON.stringify(text),
        "write e.g. `1h30m`, not `30m1h`");
    }
    lastUnitMs = unitMs;
    // Exact decimal arithmetic: 1.001 * 1000 is 1000.9999999999999 in binary floating point, and
    // a fraction of a millisecond must be refused rather than rounded away.
    const [whole, fraction = ""] = m[1].split(".");
    const scaled = BigInt(whole + fraction) * BigInt(unitMs);
    const divisor = 10n ** BigInt(fraction.length);
    if (scaled % divisor !== 0n) {
      throw new InputError(path, "a whole number of milliseconds", JSON.stringify(text), "simulated time has 1 ms resolution");
    }
    total += Number(scaled / divisor);
  }
  if (!Number.isInteger(total)) {
    throw new InputError(path, "a whole number of milliseconds", JSON.stringify(text), "simulated time has 1 ms resolution");
  }
  if (!Number.isSafeInteger(total)) throw new InputError(path, "a duration below 2^53 ms", JSON.stringify(text));
  return total;
}

/** Parses a rate like `200/s` or `12000/m` into events per second. Pure; throws InputError. */
export function parseRate(text: unknown, path = "rate"): number {
  if (typeof text === "number" && Number.isFinite(text) && text >= 0) return text;
  if (typeof text !== "string") {
    throw new InputError(path, "a rate such as `200/s` or `12000/m`", describeValue(text));
  }
  const m = RATE.exec(text);
  if (!m) throw new InputError(path, "a rate such as `200/s` or `12000/m`", JSON.stringify(text), "write <number>/<ms|s|m|h>");
  return (Number(m[1]) * 1000) / DURATION_UNIT_MS[m[2]];
}

/** Formats simulated milliseconds as `hh:mm:ss` (or `hh:mm:ss.mmm` when not whole seconds). Pure. */
export function formatTime(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  const h = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  const rest = abs % 1000;
  const base = `${sign}${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
  return rest === 0 ? base : `${base}.${String(rest).padStart(3, "0")}`;
}

/** Formats milliseconds as the shortest duration string that parseDuration reads back. Pure. */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0ms";
  let rest = ms;
  let out = "";
  for (const [unit, size] of [["h", 3_600_000], ["m", 60_000], ["s", 1000], ["ms", 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
