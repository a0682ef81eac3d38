// A run as an OpenTelemetry trace in OTLP/JSON (ExportTraceServiceRequests, one per line), so
// Jaeger, Grafana Tempo or an OpenTelemetry Collector can show it: one trace per run, a span per
// log record, cause edges as parents and span links, findings as spans of their own. Pure and
// deterministic: ids come from the final hash and sim time is laid on an epoch the caller passes
// (the CLI reads the clock, never this module). docs/exports.md has the map.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import type { Finding } from "../detect/finding.js";
import type { EventRecord, JsonValue } from "../log/record.js";
import { describeRecord, knobOf } from "./describe.js";
import { jsonText } from "../log/json-text.js";

/** 2025-01-01T00:00:00Z in Unix milliseconds: simulated time 0 when the caller passes no epoch. */
export const OTLP_EPOCH_MS = 1_735_689_600_000;

/**
 * Version of this mapping from runs to spans, reported as the instrumentation scope's version.
 * 2.0.0: snake_case attribute keys, `schemaUrl`, labelled links, requests split by size.
 */
export const OTLP_MAPPING_VERSION = "2.0.0";

/**
 * The semantic-conventions schema the standard attributes follow (`service.name`,
 * `service.namespace`, `opentracing.ref_type`), on every ResourceSpans and ScopeSpans.
 */
export const OTLP_SCHEMA_URL = "https://opentelemetry.io/schemas/1.26.0";

/**
 * Largest line `toOtlpJsonLines` writes, newline included: 1 MiB, the default maximum line size
 * of the OpenTelemetry Collector's `otlpjsonfile` receiver (its file consumer's `max_log_size`).
 */
export const OTLP_LINE_BYTES_MAX = 1_048_576;

/** OTLP `SpanKind.SPAN_KIND_INTERNAL`. */
export const SPAN_KIND_INTERNAL = 1;
/** OTLP `StatusCode.STATUS_CODE_ERROR`. */
export const STATUS_CODE_ERROR = 2;

/** An OTLP AnyValue in its JSON form: exactly one member; 64-bit integers are decimal strings. */
export type OtlpAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: OtlpAnyValue[] } }
  | { kvlistValue: { values: OtlpKeyValue[] } };

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpSpanEvent {
  timeUnixNano: string;
  name: string;
  attributes: OtlpKeyValue[];
}

export interface OtlpSpanLink {
  traceId: string;
  spanId: string;
  attributes: OtlpKeyValue[];
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  events?: OtlpSpanEvent[];
  links?: OtlpSpanLink[];
  status?: { code: number; message?: string };
}

export interface OtlpScopeSpans {
  scope: { name: string; version: string };
  spans: OtlpSpan[];
  schemaUrl: string;
}

export interface OtlpResourceSpans {
  resource: { attributes: OtlpKeyValue[] };
  scopeSpans: OtlpScopeSpans[];
  schemaUrl: string;
}

/** The OTLP/JSON `ExportTraceServiceRequest` message. */
export interface OtlpTraceRequest {
  resourceSpans: OtlpResourceSpans[];
}

/** What the export reads: a finished run (live or loaded from a run file) and its findings. */
export interface OtlpInput {
  scenario: string;
  variant?: string;
  seed: string | number;
  finalHash: string;
  log: readonly EventRecord[];
  findings?: readonly Finding[];
}

export interface OtlpOptions {
  /**
   * Unix milliseconds that simulated time 0 maps to: a whole number >= 0 (default OTLP_EPOCH_MS,
   * 2025-01-01T00:00:00Z). `otlpEpochEndingAt` gives the epoch that makes the run end at a time.
   */
  epochMs?: number;
  /**
   * One resource per actor with `service.name` = the actor and `service.namespace` = "crossfire"
   * (Jaeger then colours and filters spans by agent; the root and finding spans are the
   * `crossfire` service), instead of one resource `service.name` = "crossfire". Default false.
   */
  servicePerActor?: boolean;
  /** Instrumentation scope version (default OTLP_MAPPING_VERSION). */
  scopeVersion?: string;
  /**
   * Export spans for at most this many records (default: all), the earliest first. A prefix of
   * the log keeps every parent in the export (causes are earlier records); the root span says
   * how many were left out in `crossfire.spans_omitted`. Tracing back ends limit trace sizes
   * (Grafana Tempo: 5 MB per trace by default, roughly 2,500 of these spans).
   */
  spansMax?: number;
  /** `toOtlpRequests` / `toOtlpJsonLines`: the largest line in bytes, newline included (default OTLP_LINE_BYTES_MAX). */
  lineBytesMax?: number;
}

// OpenTelemetry SDKs keep at most 128 links per span by default; a finding's witnesses can be more.
const FINDING_LINKS_MAX = 128;

/**
 * The run as one OTLP/JSON ExportTraceServiceRequest (`toOtlpRequests` splits it into requests
 * of at most 1 MiB each). Pure; the same input and options give a deep-equal object (and
 * `JSON.stringify` of it the same bytes). Throws a RangeError on an epoch before 1970.
 *
 * - traceId: the first 32 hex digits of the final hash (so the hash `crossfire run` prints finds
 *   the trace); spanId of record `seq`: the first 16 hex digits of sha256(`${finalHash}:${seq}`).
 * - The root span is the run (`run.started` .. `run.ended`; `run.ended` is an event on it).
 * - Every other record is a span named `${actor} ${type}`, kind INTERNAL. Its parent is the span
 *   of its latest cause (highest seq: what it reacted to last); its other causes are links with
 *   `opentracing.ref_type` = `follows_from` (Jaeger's OTLP translator turns them into FOLLOWS_FROM
 *   references) and `crossfire.link.kind` = `cause`. A record without causes
 *   (a fault, a workload change) is a child of the root. `run.started` as a cause means "the
 *   initial state" and is left out of the links.
 * - Spans are instants (end = start) except `fault.started` (ends at its `fault.ended`, which
 *   becomes an event on it and whose seq is an alias of its span), `command.held` and
 *   `intent.published` (end at their `untilMs`).
 * - Status ERROR: `command.rejected`, `fault.started`, `health.changed` to unhealthy, and findings
 *   of severity warning or critical.
 * - A finding is a span `finding ${kind}` from its first to its last witness, a child of the
 *   root, linked (`follows_from`, `crossfire.link.kind` = `witness`) to its first 128 witnesses;
 *   its first witness's span carries a
 *   `crossfire.finding` event pointing back at it.
 */
export function toOtlpJson(input: OtlpInput, options: OtlpOptions = {}): OtlpTraceRequest {
  const { log, finalHash } = input;
  const epochMs = options.epochMs ?? OTLP_EPOCH_MS;
  if (!Number.isSafeInteger(epochMs) || epochMs < 0) throw new RangeError(`epochMs: expected whole Unix milliseconds >= 0 (1970 or later; OTLP times are unsigned), found ${epochMs}`);
  const epochNs = BigInt(epochMs) * 1_000_000n;
  const nanos = (tMs: number) => (epochNs + BigInt(Math.round(tMs)) * 1_000_000n).toString();
  const traceId = traceIdOf(finalHash);
  const rootId = spanIdOf(finalHash, "run");
  const endMs = log.reduce((m, r) => Math.max(m, r.t), 0);

  // Which span stands for each seq: the root for run markers, the start span for a fault's end.
  const spanOfSeq = new Map<number, string>();
  const recordOfSeq = new Map(log.map((r) => [r.seq, r]));
  const faultEnds = new Map<number, EventRecord>();
  const folded = new Set<number>();
  const spansMax = options.spansMax ?? Infinity;
  let recordSpans = 0;
  let omitted = 0;
  for (const r of log) {
    if (r.type === "run.started" || r.type === "run.ended") {
      spanOfSeq.set(r.seq, rootId);
    } else if (r.type === "fault.ended" && r.causes.length > 0 && recordOfSeq.get(r.causes[0])?.type === "fault.started" && spanOfSeq.has(r.causes[0])) {
      faultEnds.set(r.causes[0], r);
      folded.add(r.seq);
      spanOfSeq.set(r.seq, spanIdOf(finalHash, r.causes[0]));
    } else if (recordSpans < spansMax) {
      spanOfSeq.set(r.seq, spanIdOf(finalHash, r.seq));
      recordSpans++;
    } else {
      omitted++;
    }
  }

  const root: OtlpSpan = {
    traceId,
    spanId: rootId,
    name: `crossfire run ${input.scenario}${input.variant !== undefined ? ` [${input.variant}]` : ""}`,
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: nanos(0),
    endTimeUnixNano: nanos(endMs),
    attributes: [
      str("crossfire.actor", "engine"),
      str("crossfire.scenario", input.scenario),
      ...(input.variant !== undefined ? [str("crossfire.variant", input.variant)] : []),
      str("crossfire.seed", String(input.seed)),
      str("crossfire.final_hash", finalHash),
      int("crossfire.events", log.length),
      ...(omitted > 0 ? [int("crossfire.spans_omitted", omitted)] : []),
    ],
    events: [],
  };
  // With servicePerActor, the run's own spans (root, findings) form the `crossfire` service.
  const spans: { actor: string; span: OtlpSpan }[] = [{ actor: "crossfire", span: root }];
  const bySpanId = new Map<string, OtlpSpan>([[rootId, root]]);

  for (const r of log) {
    if (r.type === "run.started" || r.type === "run.ended") {
      root.events!.push({ timeUnixNano: nanos(r.t), name: r.type, attributes: recordAttributes(r) });
      continue;
    }
    if (folded.has(r.seq) || !spanOfSeq.has(r.seq)) continue;
    const spanId = spanOfSeq.get(r.seq)!;
    const causeSpans = causeSpanIds(r, recordOfSeq, spanOfSeq, spanId);
    const parentSpanId = causeSpans.length > 0 ? causeSpans[causeSpans.length - 1] : rootId;
    const links = causeSpans.slice(0, -1).map((s) => link(traceId, s, "cause"));
    const end = spanEndMs(r, faultEnds.get(r.seq), endMs);
    const span: OtlpSpan = {
      traceId,
      spanId,
      parentSpanId,
      name: `${r.actor} ${r.type}`,
      kind: SPAN_KIND_INTERNAL,
      startTimeUnixNano: nanos(r.t),
      endTimeUnixNano: nanos(end),
      attributes: [...recordAttributes(r), str("crossfire.description", describeRecord(r))],
      ...(links.length > 0 ? { links } : {}),
    };
    const ended = faultEnds.get(r.seq);
    if (ended) span.events = [{ timeUnixNano: nanos(ended.t), name: "fault.ended", attributes: recordAttributes(ended) }];
    const status = errorStatus(r);
    if (status) span.status = status;
    spans.push({ actor: r.actor, span });
    bySpanId.set(spanId, span);
  }

  (input.findings ?? []).forEach((f, i) => {
    const spanId = spanIdOf(finalHash, `finding:${i}`);
    const witnessSpans = [...new Set(f.witnesses.map((w) => spanOfSeq.get(w)).filter((s): s is string => s !== undefined))];
    const attributes = [
      str("crossfire.finding.kind", f.kind),
      str("crossfire.finding.severity", f.severity),
      str("crossfire.finding.subjects", f.subjects.join(" ")),
      ...(f.knob !== undefined ? [str("crossfire.knob", f.knob)] : []),
      str("crossfire.finding.actors", f.actors.join(" ")),
      str("crossfire.finding.witnesses", f.witnesses.join(" ")),
      str("crossfire.finding.root_causes", f.rootCauses.join(" ")),
      str("crossfire.finding.explanation", f.explanation.join("\n")),
      ...Object.keys(f.metrics)
        .sort()
        .map((k) => num(`crossfire.finding.metrics.${snakeCase(k)}`, f.metrics[k])),
    ];
    const span: OtlpSpan = {
      traceId,
      spanId,
      parentSpanId: rootId,
      name: `finding ${f.kind}${f.knob !== undefined ? ` ${f.knob}` : ""}`,
      kind: SPAN_KIND_INTERNAL,
      startTimeUnixNano: nanos(f.from),
      endTimeUnixNano: nanos(Math.max(f.from, f.to)),
      attributes,
      ...(witnessSpans.length > 0
        ? { links: witnessSpans.slice(0, FINDING_LINKS_MAX).map((s) => link(traceId, s, "witness")) }
        : {}),
      ...(f.severity !== "info" ? { status: { code: STATUS_CODE_ERROR, message: f.explanation[0] ?? f.kind } } : {}),
    };
    spans.push({ actor: "crossfire", span });
    const first = witnessSpans.length > 0 ? bySpanId.get(witnessSpans[0]) : undefined;
    if (first) {
      (first.events ??= []).push({
        timeUnixNano: first.startTimeUnixNano,
        name: "crossfire.finding",
        attributes: [str("crossfire.finding.kind", f.kind), str("crossfire.finding.severity", f.severity), str("crossfire.finding.span_id", spanId), str("crossfire.finding.explanation", f.explanation.join("\n"))],
      });
    }
  });
  if (root.events!.length === 0) delete root.events;

  const runAttributes = [
    str("crossfire.scenario", input.scenario),
    ...(input.variant !== undefined ? [str("crossfire.variant", input.variant)] : []),
    str("crossfire.seed", String(input.seed)),
    str("crossfire.final_hash", finalHash),
  ];
  const scope = { name: "crossfire", version: options.scopeVersion ?? OTLP_MAPPING_VERSION };
  const resourceSpans = (attributes: OtlpKeyValue[], resourceSpans: OtlpSpan[]): OtlpResourceSpans => ({
    resource: { attributes },
    scopeSpans: [{ scope, spans: resourceSpans, schemaUrl: OTLP_SCHEMA_URL }],
    schemaUrl: OTLP_SCHEMA_URL,
  });
  if (!options.servicePerActor) {
    return { resourceSpans: [resourceSpans([str("service.name", "crossfire"), ...runAttributes], spans.map((s) => s.span))] };
  }
  const byActor = new Map<string, OtlpSpan[]>();
  for (const { actor, span } of spans) {
    if (!byActor.has(actor)) byActor.set(actor, []);
    byActor.get(actor)!.push(span);
  }
  return {
    resourceSpans: [...byActor.entries()].map(([actor, actorSpans]) => resourceSpans([str("service.name", actor), str("service.namespace", "crossfire"), ...runAttributes], actorSpans)),
  };
}

/**
 * `toOtlpJson` split into requests whose JSON, plus a newline, is at most `options.lineBytesMax`
 * bytes of UTF-8 (default 1 MiB): the spans in order, each request repeating the resource and
 * scope of the spans it carries. One request when the whole fits; a single span larger than the
 * limit gets a request of its own. Pure.
 */
export function toOtlpRequests(input: OtlpInput, options: OtlpOptions = {}): OtlpTraceRequest[] {
  return splitOtlpRequest(toOtlpJson(input, options), options.lineBytesMax ?? OTLP_LINE_BYTES_MAX);
}

/** `toOtlpRequests` as JSON Lines, one request per line, each line at most 1 MiB: the file the CLI writes. Pure. */
export function toOtlpJsonLines(input: OtlpInput, options: OtlpOptions = {}): string {
  return toOtlpRequests(input, options)
    .map((r) => `${JSON.stringify(r)}\n`)
    .join("");
}

/** The epoch (Unix ms of simulated time 0) at which the run in `log` ends at `endUnixMs`. Pure. */
export function otlpEpochEndingAt(log: readonly EventRecord[], endUnixMs: number): number {
  return endUnixMs - log.reduce((m, r) => Math.max(m, r.t), 0);
}

/**
 * `request` as requests of at most `bytesMax` bytes of JSON plus newline each, packing spans in
 * order. Sizes are counted exactly: a group's bytes are its envelope (resource, scope and
 * schemaUrl with no spans) plus its spans and the commas between them.
 */
function splitOtlpRequest(request: OtlpTraceRequest, bytesMax: number): OtlpTraceRequest[] {
  const empty = utf8Length(JSON.stringify({ resourceSpans: [] })) + 1;
  if (utf8Length(JSON.stringify(request)) + 1 <= bytesMax) return [request];
  const out: OtlpTraceRequest[] = [];
  let current: OtlpResourceSpans[] = [];
  let bytes = empty;
  for (const rs of request.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      const envelope = utf8Length(JSON.stringify({ ...rs, scopeSpans: [{ ...ss, spans: [] }] }));
      let group: OtlpScopeSpans | undefined;
      for (const span of ss.spans) {
        const spanBytes = utf8Length(JSON.stringify(span));
        const cost = group ? spanBytes + (group.spans.length > 0 ? 1 : 0) : envelope + (current.length > 0 ? 1 : 0) + spanBytes;
        if (bytes + cost > bytesMax && current.length > 0) {
          out.push({ resourceSpans: current });
          current = [];
          bytes = empty;
          group = undefined;
        }
        if (!group) {
          group = { ...ss, spans: [] };
          bytes += envelope + (current.length > 0 ? 1 : 0);
          current.push({ ...rs, scopeSpans: [group] });
        } else if (group.spans.length > 0) {
          bytes += 1;
        }
        group.spans.push(span);
        bytes += spanBytes;
      }
    }
  }
  if (current.length > 0) out.push({ resourceSpans: current });
  return out;
}

/** Bytes of `text` in UTF-8 (JSON.stringify escapes lone surrogates, so pairs are whole). */
function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** The trace id of a run: the first 32 hex digits of its final hash, or of sha256 of it if that is not hex. Pure. */
export function traceIdOf(finalHash: string): string {
  const lower = finalHash.toLowerCase();
  // An all-zero id is invalid in OTLP; only the genesis hash of an empty log starts that way.
  if (/^[0-9a-f]{32}/.test(lower) && !/^0{32}/.test(lower)) return lower.slice(0, 32);
  return hex(`crossfire:trace:${finalHash}`).slice(0, 32);
}

/** The span id of record `seq` (or of a named span such as "run") in the run ending at `finalHash`. Pure. */
export function spanIdOf(finalHash: string, key: number | string): string {
  return hex(`${finalHash}:${key}`).slice(0, 16);
}

function hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/**
 * The spans of `r`'s causes in cause order, each once at the position of its latest cause (a
 * fault's start and end share a span), without `run.started` (the initial state) and `r` itself.
 */
function causeSpanIds(r: EventRecord, recordOfSeq: ReadonlyMap<number, EventRecord>, spanOfSeq: ReadonlyMap<number, string>, own: string): string[] {
  const mapped: string[] = [];
  for (const c of r.causes) {
    const span = spanOfSeq.get(c);
    if (span !== undefined && span !== own && recordOfSeq.get(c)?.type !== "run.started") mapped.push(span);
  }
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = mapped.length - 1; i >= 0; i--) {
    if (seen.has(mapped[i])) continue;
    seen.add(mapped[i]);
    out.push(mapped[i]);
  }
  return out.reverse();
}

/**
 * A link to an earlier span of the trace. `opentracing.ref_type` is the one link attribute Jaeger
 * reads (as the reference type; `follows_from`: the linked span led to this one without waiting
 * for it); `crossfire.link.kind` says what the link is and reaches Tempo and collectors. Links are
 * half of a large export's bytes, so they carry nothing more (the span's `crossfire.causes` lists
 * every cause's seq).
 */
function link(traceId: string, spanId: string, kind: "cause" | "witness"): OtlpSpanLink {
  return { traceId, spanId, attributes: [str("opentracing.ref_type", "follows_from"), str("crossfire.link.kind", kind)] };
}

function spanEndMs(r: EventRecord, faultEnd: EventRecord | undefined, runEndMs: number): number {
  if (r.type === "fault.started") return faultEnd ? faultEnd.t : Math.max(r.t, runEndMs);
  if ((r.type === "command.held" || r.type === "intent.published" || r.type === "load.sent") && typeof r.data.untilMs === "number") {
    return Math.max(r.t, Math.min(r.data.untilMs, Math.max(runEndMs, r.t)));
  }
  return r.t;
}

function errorStatus(r: EventRecord): OtlpSpan["status"] | undefined {
  if (r.type === "command.rejected") return { code: STATUS_CODE_ERROR, message: `${jsonText(r.data.policy ?? "rejected")}: ${jsonText(r.data.reason ?? "")}` };
  if (r.type === "fault.started") return { code: STATUS_CODE_ERROR, message: describeRecord(r) };
  if (r.type === "health.changed" && r.data.healthy === false) return { code: STATUS_CODE_ERROR, message: describeRecord(r) };
  return undefined;
}

// Data members with a name of their own; every other member is `crossfire.data.<key>`.
const NAMED_DATA: Record<string, string> = { from: "crossfire.from", to: "crossfire.to", reason: "crossfire.reason", policy: "crossfire.policy" };

function recordAttributes(r: EventRecord): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [int("crossfire.seq", r.seq), str("crossfire.type", r.type), str("crossfire.actor", r.actor)];
  if (r.onBehalfOf !== undefined) out.push(str("crossfire.on_behalf_of", r.onBehalfOf));
  if (r.target !== undefined) out.push(str("crossfire.target", r.target));
  const knob = knobOf(r);
  if (knob !== undefined) out.push(str("crossfire.knob", knob));
  for (const key of Object.keys(r.data).sort()) {
    const value = anyValue(r.data[key]);
    if (value) out.push({ key: NAMED_DATA[key] ?? `crossfire.data.${snakeCase(key)}`, value });
  }
  out.push({ key: "crossfire.causes", value: { arrayValue: { values: r.causes.map((c) => ({ intValue: String(c) })) } } });
  out.push(str("crossfire.hash", r.hash));
  return out;
}

/**
 * `key` in snake_case, as OpenTelemetry attribute names are (`latencyMsP95` -> `latency_ms_p95`).
 * Keys inside map values are data, not attribute names, and are kept as they are.
 */
export function snakeCase(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}

/** A JSON value as an OTLP AnyValue; null has none (the attribute is left out). */
function anyValue(v: JsonValue): OtlpAnyValue | undefined {
  if (v === null) return undefined;
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  if (typeof v === "number") return Number.isSafeInteger(v) ? { intValue: String(v) } : Number.isFinite(v) ? { doubleValue: v } : { stringValue: String(v) };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue).filter((x): x is OtlpAnyValue => x !== undefined) } };
  return {
    kvlistValue: {
      values: Object.keys(v)
        .sort()
        .flatMap((k) => {
          const value = anyValue(v[k]);
          return value ? [{ key: k, value }] : [];
        }),
    },
  };
}

function str(key: string, value: string): OtlpKeyValue {
  return { key, value: { stringValue: value } };
}

function int(key: string, value: number): OtlpKeyValue {
  return { key, value: { intValue: String(value) } };
}

function num(key: string, value: number): OtlpKeyValue {
  if (!Number.isFinite(value)) return str(key, String(value));
  return { key, value: Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: value } };
}
