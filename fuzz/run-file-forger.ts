// Forged run files for the "run-files" fuzz target: a fast-check arbitrary of edit plans (hostile
// values in every header and record field, records added, removed, reordered, the telemetry line
// dropped or damaged) and the pure function that applies one plan to an honest run file's text.
// Plans name fields and records by index into what the honest file holds, so the forger follows
// the run-file format instead of hard-coding its header.
import fc from "fast-check";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { canonicalJson } from "../sim/log/canonical-json.js";
import type { EventRecord, JsonValue } from "../sim/log/record.js";
import { rechain } from "../test/export/forged-run.js";

/** Break-outs for HTML text and attributes, SVG, DOT, XML, script contexts, terminals and JSON consumers. */
export const HOSTILE_STRINGS: readonly string[] = [
  `<img src=x onerror="location.href='/pwned'">`,
  `"><script>location.href='/pwned'</script>`,
  `' onmouseover='alert(1)' x='`,
  `</title></text></svg><svg onload=alert(1)>`,
  `<svg><a href="javascript:alert(1)"><text>x</text></a></svg>`,
  `</script><script>alert(1)</script>`,
  `</SCRIPT ><!--<script>`,
  `javascript:alert(1)`,
  ` JaVaScRiPt:alert(1)`,
  `<a href=javascript:alert(1)>x</a>`,
  `<iframe srcdoc="<script>alert(1)</script>">`,
  `<math><mi xlink:href="javascript:alert(1)">x</mi></math>`,
  `<style>*{background:url(//evil)}</style>`,
  `<base href="//evil/">`,
  `<meta http-equiv="refresh" content="0;url=//evil">`,
  `]]><x/><![CDATA[`,
  `<!-- -->`,
  `&lt;b&gt;&amp;&#39;&quot;`,
  `\\" ]; evil [label="x`,
  `"; evil -> n0; x="`,
  `} digraph evil { a -> b`,
  `<b>x</b>&amp;\n-> n0;`,
  `\n// comment\nn0 -> n1;`,
  `\r\n\u2028\u2029\u0085`,
  `\u0000\u0001\u0008\u000b\u000c\u001f\u007f`,
  `\u001b[2J\u001b]0;owned\u0007\u001b[31mred`,
  `\ufeff\ufffe\uffff\u200b\u202e`,
  `𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩‍👩‍👧 ﷽`,
  `NaN`,
  `Infinity`,
  `-Infinity`,
  `1e309`,
  `-0`,
  `0x1f`,
  `__proto__`,
  `constructor`,
  `toString`,
  `hasOwnProperty`,
  `#1`,
  `#999999999`,
  `#-1`,
  `seq-1`,
  `engine`,
  `health.changed`,
  `%s%n%x`,
  `\${7*7}{{7*7}}`,
  ``,
  ` `,
];

/** Numbers that break arithmetic, formatting and allocation. */
const HOSTILE_NUMBERS: readonly number[] = [0, -1, 1, 0.5, -0.5, 1e308, -1e308, 5e-324, 2 ** 53 + 2, -(2 ** 53) - 2, 2 ** 31, 2 ** 32 + 1, 1e21, 123456789.123, 86_400_000 * 365 * 1000];

/** A hostile or arbitrary string: the list above, random unicode, markup soup, or a very long repeat. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 24 }) },
  {
    weight: 2,
    arbitrary: fc.string({ unit: fc.constantFrom("<", ">", '"', "'", "&", "\\", "/", "\n", "\r", "\t", "\u0000", "\u001b", " ", "=", ";", "{", "}", "[", "]", "-", "#", ":", "a", "on", "script", "svg", "javascript:", "CDATA"), maxLength: 24 }),
  },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...HOSTILE_STRINGS), { minLength: 2, maxLength: 4 }).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...HOSTILE_STRINGS), fc.integer({ min: 100, max: 20_000 })).map(([s, n]) => (s || "x").repeat(Math.ceil(n / Math.max(1, s.length)))) },
);

/** A hostile or arbitrary number (JSON has no NaN or Infinity: those arrive as strings or as 1e309 overflow). */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));

/** Any JSON value, biased to hostile strings, numbers and keys; nested a few levels at most. */
export const hostileJson: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(hostileString, tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** A field of a record: the EventRecord fields, or one no record has. */
const recordField = fc.constantFrom("seq", "t", "type", "actor", "target", "onBehalfOf", "data", "causes", "prev", "hash", "extra", "__proto__");

/** Event types the code paths branch on, so forged data meets type-specific readers. */
const EVENT_TYPES = [
  "run.started",
  "run.ended",
  "command.rejected",
  "command.held",
  "command.duplicate",
  "document.put",
  "document.deleted",
  "fault.started",
  "fault.ended",
  "health.changed",
  "workload.changed",
  "intent.published",
  "lease.acquired",
  "replicas.scaled",
  "knob.changed",
  "config.pushed",
];

/** A value for a record's `t`: plausible, huge, negative or of the wrong type. */
const forgedTime: fc.Arbitrary<JsonValue> = fc.oneof({ weight: 4, arbitrary: fc.oneof(fc.nat({ max: 3_600_000 }), fc.constantFrom(...HOSTILE_NUMBERS)) }, { weight: 1, arbitrary: hostileJson });

/** A value for `causes`: earlier seqs mostly (as indices to reduce modulo the position), sometimes anything. */
const forgedCauses = fc.oneof({ weight: 4, arbitrary: fc.array(fc.nat({ max: 10_000 }), { maxLength: 5 }).map((xs) => ({ earlier: xs })) }, { weight: 1, arbitrary: hostileJson.map((value) => ({ value })) });

/** One edit of the records. `index` and `other` pick records modulo the log's length. */
export type RecordEdit =
  | { kind: "set"; index: number; field: string; value: JsonValue }
  | { kind: "delete"; index: number; field: string }
  | { kind: "t"; index: number; value: JsonValue }
  | { kind: "type"; index: number; value: string }
  | { kind: "causes"; index: number; causes: { earlier: number[] } | { value: JsonValue } }
  | { kind: "data"; index: number; path: (number | string)[]; value: JsonValue }
  | { kind: "data-key"; index: number; key: string; value: JsonValue }
  | { kind: "strings"; index: number; value: string }
  | { kind: "insert"; index: number; other: number; type: string; value: string }
  | { kind: "remove"; index: number }
  | { kind: "swap"; index: number; other: number }
  | { kind: "duplicate"; index: number };

const index = fc.nat({ max: 100_000 });

export const recordEdit: fc.Arbitrary<RecordEdit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("set" as const), index, field: recordField, value: hostileJson }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), index, field: recordField }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("t" as const), index, value: forgedTime }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("type" as const), index, value: fc.oneof(fc.constantFrom(...EVENT_TYPES), hostileString) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("causes" as const), index, causes: forgedCauses }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("data" as const), index, path: fc.array(fc.oneof(fc.nat({ max: 20 }), hostileString), { minLength: 1, maxLength: 3 }), value: hostileJson }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("data-key" as const), index, key: hostileString, value: hostileJson }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("strings" as const), index, value: hostileString }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("insert" as const), index, other: index, type: fc.oneof(fc.constantFrom(...EVENT_TYPES), hostileString), value: hostileString }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("swap" as const), index, other: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("duplicate" as const), index }) },
);

/**
 * One edit of the header: a field (picked among the honest header's own, or a new one) set to a
 * value, or removed. `sameType` values replace a string with a hostile string and a number with a
 * hostile number (when the field holds one), so a header can be hostile and still well-typed.
 */
export type HeaderEdit = { field: number | string; value: JsonValue; sameType?: { string: string; number: number } } | { field: number | string; remove: true };

const headerEdit: fc.Arbitrary<HeaderEdit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ field: fc.nat({ max: 100 }), value: hostileJson, sameType: fc.record({ string: hostileString, number: hostileNumber }) }) },
  { weight: 2, arbitrary: fc.record({ field: fc.nat({ max: 100 }), value: hostileJson }) },
  { weight: 1, arbitrary: fc.record({ field: fc.nat({ max: 100 }), remove: fc.constant(true as const) }) },
  { weight: 1, arbitrary: fc.record({ field: hostileString, value: hostileJson }) },
);

/** What to do to the embedded scenario text (a string field of the header holding YAML): hostile prose where YAML allows any. */
export type ScenarioEdit = { kind: "keep" } | { kind: "description"; value: string } | { kind: "append"; value: string };

const scenarioEdit: fc.Arbitrary<ScenarioEdit> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: "keep" as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("description" as const), value: hostileString }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("append" as const), value: hostileString }) },
);

/** What happens to the telemetry line (the last line when it is not a record). */
export type TelemetryEdit =
  | { kind: "keep" }
  | { kind: "drop" }
  | { kind: "truncate"; at: number; redigest: boolean }
  | { kind: "field"; field: number | string; value: JsonValue; redigest: boolean };

const telemetryEdit: fc.Arbitrary<TelemetryEdit> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: "keep" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "drop" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: fc.nat({ max: 1_000_000 }), redigest: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("field" as const), field: fc.oneof(fc.nat({ max: 10 }), hostileString), value: fc.oneof(hostileJson, fc.constantFrom(-1, 0, 1, 1e9, 2 ** 32, 1e308)), redigest: fc.constant(true) }) },
);

/** A complete forgery: which honest file, and every edit to make to it. */
export interface Forgery {
  base: number;
  header: HeaderEdit[];
  scenario: ScenarioEdit;
  records: RecordEdit[];
  /** Set every record's seq to its position after the edits (else reorderings leave seqs that verify names). */
  renumber: boolean;
  telemetry: TelemetryEdit;
  /** Recompute prev and hash of every record (~0.7), so the forgery passes the chain check. */
  rechain: boolean;
  /** After rechaining, point the header's final-hash field at the new head (and its event count at the new length). */
  refinalize: boolean;
  /** Which record `explain` and `export --event` ask for (modulo the record count). */
  explainSeq: number;
}

/** True with probability `p` (to a hundredth). */
function chance(p: number): fc.Arbitrary<boolean> {
  return fc.integer({ min: 0, max: 99 }).map((x) => x < p * 100);
}

/** Forgery plans. */
export const forgery: fc.Arbitrary<Forgery> = fc.record({
  base: fc.nat({ max: 1000 }),
  header: fc.oneof({ weight: 3, arbitrary: fc.constant<HeaderEdit[]>([]) }, { weight: 1, arbitrary: fc.array(headerEdit, { minLength: 1, maxLength: 3 }) }),
  scenario: scenarioEdit,
  records: fc.array(recordEdit, { minLength: 0, maxLength: 12 }),
  renumber: chance(0.85),
  telemetry: telemetryEdit,
  rechain: chance(0.7),
  refinalize: chance(0.9),
  explainSeq: fc.nat({ max: 100_000 }),
});

type Json = { [key: string]: JsonValue };

/** An honest run file split into its parts, as the forger edits it. */
export interface RunFileParts {
  header: Json;
  records: EventRecord[];
  /** The telemetry line's text, when the file has one. */
  telemetryLine?: string;
}

/** Splits run-file text into header, records and telemetry line (the last line when it is not a record). Pure. */
export function splitRunFile(text: string): RunFileParts {
  const lines = text.split("\n").filter((l) => l !== "");
  const header = JSON.parse(lines[0]) as Json;
  const rest = lines.slice(1).map((l) => JSON.parse(l) as Json);
  const last = rest[rest.length - 1];
  const hasTelemetry = last !== undefined && !("seq" in last) && !("hash" in last);
  return { header, records: (hasTelemetry ? rest.slice(0, -1) : rest) as unknown as EventRecord[], telemetryLine: hasTelemetry ? lines[lines.length - 1] : undefined };
}

/** The forged run file's text: `plan` applied to a copy of `honest`. Pure and deterministic. */
export function applyForgery(honest: RunFileParts, plan: Forgery): string {
  const header: Json = structuredClone(honest.header);
  const log = honest.records.map((r) => structuredClone(r) as unknown as Json);
  const honestHead = honest.records.length > 0 ? honest.records[honest.records.length - 1].hash : undefined;
  const pick = (i: number) => (log.length === 0 ? -1 : i % log.length);

  for (const e of plan.records) editRecords(log, e, pick);
  if (plan.renumber) log.forEach((r, i) => (r.seq = i));
  if (plan.rechain) rechain(log as unknown as EventRecord[]);

  let telemetryLine = honest.telemetryLine;
  const digestKey = telemetryLine === undefined ? undefined : Object.keys(header).find((k) => header[k] === digest(telemetryLine!));
  const t = plan.telemetry;
  if (telemetryLine !== undefined && t.kind !== "keep") {
    if (t.kind === "drop") telemetryLine = undefined;
    else if (t.kind === "truncate") telemetryLine = telemetryLine.slice(0, t.at % telemetryLine.length);
    else {
      const parsed = JSON.parse(telemetryLine) as Json;
      const inner = (Object.values(parsed)[0] ?? {}) as Json;
      const keys = Object.keys(inner);
      const field = typeof t.field === "number" && keys.length > 0 ? keys[t.field % keys.length] : String(t.field);
      put(inner, field, t.value);
      telemetryLine = canonicalJson(parsed);
    }
    if (telemetryLine !== undefined && t.kind !== "drop" && t.redigest && digestKey !== undefined) header[digestKey] = digest(telemetryLine);
  }

  const scenarioKey = Object.keys(header).find((k) => typeof header[k] === "string" && /^\s*(name|description|components):/m.test(header[k] as string));
  if (scenarioKey !== undefined && plan.scenario.kind !== "keep") header[scenarioKey] = editScenario(header[scenarioKey] as string, plan.scenario);

  if (plan.rechain && plan.refinalize && honestHead !== undefined) {
    const head = log.length > 0 ? (log[log.length - 1].hash as JsonValue) : "0".repeat(64);
    for (const k of Object.keys(header)) {
      if (header[k] === honestHead) header[k] = head;
      else if (header[k] === honest.records.length) header[k] = log.length;
    }
  }

  const keys = Object.keys(header);
  for (const e of plan.header) {
    const field = typeof e.field === "number" ? keys[e.field % keys.length] : e.field;
    if ("remove" in e) delete header[field];
    else if (e.sameType && typeof header[field] === "string") put(header, field, e.sameType.string);
    else if (e.sameType && typeof header[field] === "number") put(header, field, e.sameType.number);
    else put(header, field, e.value);
  }

  const lines = [JSON.stringify(header), ...log.map((r) => JSON.stringify(r))];
  if (telemetryLine !== undefined) lines.push(telemetryLine);
  return `${lines.join("\n")}\n`;
}

/** Sets an own property, even `__proto__` (as JSON.parse would), instead of changing the prototype. */
function put(object: Json, key: string, value: JsonValue): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

function digest(line: string): string {
  return bytesToHex(sha256(new TextEncoder().encode(line)));
}

function editRecords(log: Json[], e: RecordEdit, pick: (i: number) => number): void {
  const i = pick(e.index);
  if (e.kind === "insert") {
    const at = log.length === 0 ? 0 : (e.index % (log.length + 1));
    const model = log.length > 0 ? structuredClone(log[e.other % log.length]) : {};
    const record: Json = { ...model, type: e.type, actor: e.value, data: { ...((model.data as Json) ?? {}), reason: e.value }, causes: at > 0 ? [e.other % at] : [] };
    log.splice(at, 0, record);
    return;
  }
  if (i < 0) return;
  const r = log[i];
  switch (e.kind) {
    case "set":
      put(r, e.field, e.value);
      break;
    case "delete":
      delete r[e.field];
      break;
    case "t":
      r.t = e.value;
      break;
    case "type":
      r.type = e.value;
      break;
    case "causes":
      r.causes = "earlier" in e.causes ? (i === 0 ? [] : [...new Set(e.causes.earlier.map((c) => c % i))].sort((a, b) => a - b)) : e.causes.value;
      break;
    case "data": {
      if (r.data === null || typeof r.data !== "object" || Array.isArray(r.data)) r.data = {};
      let node = r.data as Json;
      e.path.forEach((step, k) => {
        const keys = Object.keys(node);
        const key = typeof step === "number" && keys.length > 0 ? keys[step % keys.length] : String(step);
        const next = Object.hasOwn(node, key) ? node[key] : undefined;
        if (k === e.path.length - 1) put(node, key, e.value);
        else if (next !== null && typeof next === "object" && !Array.isArray(next)) node = next;
        else {
          const fresh: Json = {};
          put(node, key, fresh);
          node = fresh;
        }
      });
      break;
    }
    case "data-key":
      if (r.data !== null && typeof r.data === "object" && !Array.isArray(r.data)) put(r.data as Json, e.key, e.value);
      break;
    case "strings":
      for (const f of ["actor", "target", "onBehalfOf", "type"]) if (typeof r[f] === "string") r[f] = `${r[f]}${e.value}`;
      r.data = poison(r.data, e.value);
      break;
    case "remove":
      log.splice(i, 1);
      break;
    case "swap": {
      const j = pick(e.other);
      [log[i], log[j]] = [log[j], log[i]];
      break;
    }
    case "duplicate":
      log.splice(i + 1, 0, structuredClone(r));
      break;
  }
}

/** `value` with every string (and key) suffixed by `evil`, recursively. */
function poison(value: JsonValue, evil: string): JsonValue {
  if (typeof value === "string") return `${value}${evil}`;
  if (Array.isArray(value)) return value.map((v) => poison(v, evil));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, evil)]));
  return value;
}

/**
 * YAML text with its top-level description (a line, or a block scalar and its indented lines)
 * replaced by `value` as a double-quoted (JSON) string, so the YAML stays valid; or with `value`
 * appended, which mostly does not.
 */
function editScenario(text: string, e: Exclude<ScenarioEdit, { kind: "keep" }>): string {
  if (e.kind === "append") return `${text}${e.value}`;
  const line = `description: ${JSON.stringify(e.value)}`;
  const re = /^description:.*(?:\n(?:[ \t]+.*|(?=\n[ \t])))*/m;
  return re.test(text) ? text.replace(re, () => line) : `${line}\n${text}`;
}
