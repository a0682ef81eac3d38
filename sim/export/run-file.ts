// The run file: NDJSON with one header line, then one line per hash-chained event record (record
// #k on line k + 2, so `verify` can name the line of a bad record), then one telemetry line.
// The header carries the scenario text and variant, so a saved run can be analysed (detectors,
// causal graph, exports) exactly like a live one, and re-run for comparisons. Since version 3
// nothing a verdict reads is outside the chain: record #0 binds the header (scenario text digest,
// variant, seed, engine) and the last record the telemetry digest; sim/export/run-file-check.ts
// compares them. Pure.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { InputError } from "../core/errors.js";
import { shortJson } from "../log/json-text.js";
import { Telemetry } from "../engine/telemetry.js";
import { littleEndianBytes, TELEMETRY_DIGEST_VALUES_MAX } from "../engine/telemetry-digest.js";
import type { EventRecord } from "../log/record.js";
import { canonicalJson } from "../log/canonical-json.js";
import { base64ToBytes, bytesToBase64 } from "./base64.js";
import type { RunSignature } from "./signing.js";

/** Format tag of the header line written today. */
export const RUN_FILE_FORMAT = "crossfire-run/3";
/** Header and telemetry outside the chain (a digest in the header): verifiable records, not analysed. */
export const RUN_FILE_FORMAT_V2 = "crossfire-run/2";
/** The first format: header and records only (still readable, e.g. by `verify`). */
export const RUN_FILE_FORMAT_V1 = "crossfire-run/1";

/** The first line of a run file. */
export interface RunFileHeader {
  format: typeof RUN_FILE_FORMAT | typeof RUN_FILE_FORMAT_V2 | typeof RUN_FILE_FORMAT_V1;
  scenario: string;
  /** The variant that ran (absent for a file without variants). */
  variant?: string;
  seed: string | number;
  events: number;
  finalHash: string;
  /** The model version that simulated the run (v3; also in record #0). */
  engine?: string;
  /** The scenario file's text as it was run (v2+). */
  scenarioText?: string;
  /** The scenario file's path as given on the command line (v2+; informative only, not checked). */
  scenarioFile?: string;
  /** SHA-256 of the telemetry line (v2 only; v3 binds the telemetry's digest in the chain instead). */
  telemetrySha256?: string;
  /** An Ed25519 signature of the final hash (v3, `crossfire run --sign`). */
  signature?: RunSignature;
}

/** A parsed run file. `telemetry` is absent for version 1 files and for runs too large to store it. */
export interface RunFile {
  header: RunFileHeader;
  log: EventRecord[];
  telemetry?: Telemetry;
}

/** What a run file records besides the log. */
export interface RunFileInput {
  scenario: string;
  variant?: string;
  seed: string | number;
  finalHash: string;
  scenarioText?: string;
  scenarioFile?: string;
  signature?: RunSignature;
}

/**
 * Telemetry up to this many values (8 MB as Float32, ~11 MB in base64) is stored in the file,
 * exactly the telemetry whose digest the chain binds; beyond it (a 24 h run of hundreds of
 * components) it is left out and re-derived when the file is opened, by re-running the embedded
 * scenario and checking the final hash.
 */
export const TELEMETRY_VALUES_STORED_MAX = TELEMETRY_DIGEST_VALUES_MAX;

/** Serializes a run as NDJSON text: header, records, telemetry (when small enough); newline-terminated. Pure. */
export function toRunFile(input: RunFileInput, log: readonly EventRecord[], telemetry?: Telemetry): string {
  const store = telemetry !== undefined && telemetry.count * telemetry.width <= TELEMETRY_VALUES_STORED_MAX;
  const telemetryLine = store ? canonicalJson({ telemetry: telemetryJson(telemetry) }) : undefined;
  const header: RunFileHeader = {
    format: RUN_FILE_FORMAT,
    scenario: input.scenario,
    ...(input.variant !== undefined ? { variant: input.variant } : {}),
    seed: input.seed,
    events: log.length,
    finalHash: input.finalHash,
    ...(typeof log[0]?.data.engine === "string" ? { engine: log[0].data.engine } : {}),
    ...(input.signature !== undefined ? { signature: input.signature } : {}),
    ...(input.scenarioFile !== undefined ? { scenarioFile: input.scenarioFile } : {}),
    ...(input.scenarioText !== undefined ? { scenarioText: input.scenarioText } : {}),
  };
  const lines = [canonicalJson(header as unknown as Parameters<typeof canonicalJson>[0])];
  for (const r of log) lines.push(canonicalJson(r));
  if (telemetryLine) lines.push(telemetryLine);
  return `${lines.join("\n")}\n`;
}

/** Parses run-file text. Throws InputError naming the line that is not valid JSON or not what was expected. Pure. */
export function parseRunFile(text: string, file = "<run>"): RunFile {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0 || lines[0].trim() === "") throw new InputError(`${file}:1:1`, `a ${RUN_FILE_FORMAT} header line`, "an empty file", "is this a run file written by `crossfire run --out`?");
  const parse = (line: string, n: number): Record<string, unknown> => {
    try {
      const value = JSON.parse(line);
      if (value && typeof value === "object" && !Array.isArray(value)) return value;
    } catch (e) {
      throw new InputError(`${file}:${n}:1`, "one JSON object per line", `invalid JSON (${(e as Error).message})`);
    }
    throw new InputError(`${file}:${n}:1`, "one JSON object per line", "a JSON value that is not an object");
  };
  const header = parse(lines[0], 1) as unknown as RunFileHeader;
  if (header.format !== RUN_FILE_FORMAT && header.format !== RUN_FILE_FORMAT_V2 && header.format !== RUN_FILE_FORMAT_V1) {
    throw new InputError(`${file}:1:1`, `a header with format "${RUN_FILE_FORMAT}"`, JSON.stringify((header as { format?: unknown }).format), "is this a run file written by `crossfire run --out`?");
  }
  const shape = headerShapeProblem(header as unknown as Record<string, unknown>);
  if (shape !== null) throw new InputError(`${file}:1:1`, `a header whose ${shape.field} is ${shape.expected}`, shortJson(shape.found), "the header was changed after the file was written");
  let end = lines.length;
  let telemetry: Telemetry | undefined;
  if (header.format !== RUN_FILE_FORMAT_V1 && end > 1 && lines[end - 1].startsWith('{"telemetry":')) {
    const line = lines[end - 1];
    // Version 2 kept the line's digest in the (unchained) header; version 3 checks the decoded
    // telemetry against the digest in the chain (run-file-check.ts).
    if (header.format === RUN_FILE_FORMAT_V2 && header.telemetrySha256 !== undefined && bytesToHex(sha256(new TextEncoder().encode(line))) !== header.telemetrySha256) {
      throw new InputError(`${file}:${end}:1`, "the telemetry line the header's telemetrySha256 describes", "a line with a different digest", "the file was changed after it was written");
    }
    telemetry = telemetryFromJson((parse(line, end) as { telemetry: TelemetryJson }).telemetry, `${file}:${end}:1`);
    end--;
  }
  const log: EventRecord[] = [];
  for (let i = 1; i < end; i++) log.push(parse(lines[i], i + 1) as unknown as EventRecord);
  return { header, log, telemetry };
}

/** What each header field must be when present (`required` ones always are): a forged header can hold any JSON. */
const HEADER_FIELDS: readonly { field: keyof RunFileHeader; expected: string; ok: (v: unknown) => boolean; required?: boolean }[] = [
  { field: "scenario", expected: "a string", ok: (v) => typeof v === "string", required: true },
  { field: "variant", expected: "a string", ok: (v) => typeof v === "string" },
  { field: "seed", expected: "a string or a whole number", ok: (v) => typeof v === "string" || Number.isSafeInteger(v), required: true },
  { field: "events", expected: "a whole number >= 0", ok: (v) => Number.isSafeInteger(v) && (v as number) >= 0, required: true },
  { field: "finalHash", expected: "a string", ok: (v) => typeof v === "string", required: true },
  { field: "scenarioText", expected: "a string", ok: (v) => typeof v === "string" },
  { field: "scenarioFile", expected: "a string", ok: (v) => typeof v === "string" },
  { field: "telemetrySha256", expected: "a string", ok: (v) => typeof v === "string" },
  { field: "engine", expected: "a string", ok: (v) => typeof v === "string" },
];

/** The first header field of the wrong type (or missing when required), or null. Pure. */
function headerShapeProblem(header: Record<string, unknown>): { field: string; expected: string; found: unknown } | null {
  for (const { field, expected, ok, required } of HEADER_FIELDS) {
    const value = Object.hasOwn(header, field) ? header[field] : undefined;
    if (value === undefined ? required === true : !ok(value)) return { field, expected, found: value };
  }
  return null;
}

interface TelemetryJson {
  components: string[];
  signals: string[];
  count: number;
  /** Little-endian Float64 sample times, base64. */
  times: string;
  /** Little-endian Float32 values (row-major, as in Telemetry), base64: exact, so detectors see the same numbers. */
  values: string;
  /** Group aggregates (Telemetry.groups) in the same form; absent for scenarios without groups. */
  groups?: TelemetryJson;
}

function telemetryJson(t: Telemetry): TelemetryJson {
  return {
    components: [...t.componentIds],
    signals: [...t.signalNames],
    count: t.count,
    times: bytesToBase64(littleEndianBytes(t.times.subarray(0, t.count))),
    values: bytesToBase64(littleEndianBytes(t.values.subarray(0, t.count * t.width))),
    ...(t.groups !== null ? { groups: telemetryJson(t.groups) } : {}),
  };
}

/**
 * The telemetry a telemetry line holds. Every field is checked before anything is allocated: a
 * forged line can say any count, so the arrays are sized only once the decoded bytes agree with it.
 */
function telemetryFromJson(json: TelemetryJson, where: string): Telemetry {
  const damaged = (expected: string, found: string) => new InputError(where, expected, found, "the telemetry line is truncated or damaged");
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw damaged("a telemetry object", shortJson(json));
  for (const key of ["components", "signals"] as const) {
    const names = json[key] as unknown;
    if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) throw damaged(`telemetry ${key} as a list of names`, shortJson(names));
  }
  if (!Number.isSafeInteger(json.count) || json.count < 0) throw damaged("a telemetry sample count (a whole number >= 0)", shortJson(json.count));
  const bytes = (key: "times" | "values"): Uint8Array => {
    const text = json[key] as unknown;
    if (typeof text !== "string") throw damaged(`telemetry ${key} as base64 text`, shortJson(text));
    try {
      return base64ToBytes(text);
    } catch {
      throw damaged(`telemetry ${key} as base64 text`, "characters that are not base64");
    }
  };
  const times = bytes("times");
  const values = bytes("values");
  const width = json.components.length * json.signals.length;
  if (times.length !== json.count * 8 || values.length !== json.count * width * 4) {
    throw damaged(`telemetry of ${json.count} samples of ${width} values`, `${times.length} time bytes and ${values.length} value bytes`);
  }
  const t = new Telemetry(json.components, json.signals, json.count);
  const tv = new DataView(times.buffer, times.byteOffset, times.byteLength);
  for (let i = 0; i < json.count; i++) t.times[i] = tv.getFloat64(i * 8, true);
  const vv = new DataView(values.buffer, values.byteOffset, values.byteLength);
  for (let i = 0; i < json.count * t.width; i++) t.values[i] = vv.getFloat32(i * 4, true);
  t.count = json.count;
  if (json.groups !== undefined) {
    const groups = telemetryFromJson(json.groups, where);
    if (groups.count !== t.count || groups.groups !== null) throw damaged(`group telemetry of ${t.count} samples`, `${groups.count} samples`);
    t.groups = groups;
  }
  return t;
}
