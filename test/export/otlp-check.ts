// A checker for OTLP/JSON trace exports: a JSON Schema of ExportTraceServiceRequest as the
// OTLP/JSON encoding writes it (lowerCamelCase fields, hex ids, 64-bit integers as decimal
// strings, enums as numbers, no unknown fields), checked with ajv, plus the rules a schema cannot
// say: every parent and link points at a span in the export, end >= start, ids unique, and
// attribute names as OpenTelemetry names them (lowercase dot-separated snake_case).
import Ajv from "ajv";

const hex = (n: number) => ({ type: "string", pattern: `^[0-9a-f]{${n}}$` });
const nanos = { type: "string", pattern: "^\\d+$" };

/** JSON Schema (draft-07) of opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest in OTLP/JSON. */
export const OTLP_TRACE_REQUEST_SCHEMA = {
  $id: "otlp-trace-request",
  type: "object",
  required: ["resourceSpans"],
  additionalProperties: false,
  properties: {
    resourceSpans: { type: "array", items: { $ref: "#/definitions/ResourceSpans" } },
  },
  definitions: {
    AnyValue: {
      type: "object",
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: false,
      properties: {
        stringValue: { type: "string" },
        boolValue: { type: "boolean" },
        intValue: { type: "string", pattern: "^-?\\d+$" },
        doubleValue: { type: "number" },
        bytesValue: { type: "string" },
        arrayValue: { type: "object", additionalProperties: false, properties: { values: { type: "array", items: { $ref: "#/definitions/AnyValue" } } } },
        kvlistValue: { type: "object", additionalProperties: false, properties: { values: { type: "array", items: { $ref: "#/definitions/KeyValue" } } } },
      },
    },
    KeyValue: {
      type: "object",
      required: ["key", "value"],
      additionalProperties: false,
      properties: { key: { type: "string", minLength: 1 }, value: { $ref: "#/definitions/AnyValue" } },
    },
    Attributes: { type: "array", items: { $ref: "#/definitions/KeyValue" } },
    ResourceSpans: {
      type: "object",
      required: ["resource", "scopeSpans"],
      additionalProperties: false,
      properties: {
        resource: {
          type: "object",
          additionalProperties: false,
          properties: { attributes: { $ref: "#/definitions/Attributes" }, droppedAttributesCount: { type: "integer", minimum: 0 } },
        },
        scopeSpans: { type: "array", items: { $ref: "#/definitions/ScopeSpans" } },
        schemaUrl: { type: "string" },
      },
    },
    ScopeSpans: {
      type: "object",
      required: ["spans"],
      additionalProperties: false,
      properties: {
        scope: {
          type: "object",
          additionalProperties: false,
          properties: { name: { type: "string" }, version: { type: "string" }, attributes: { $ref: "#/definitions/Attributes" }, droppedAttributesCount: { type: "integer", minimum: 0 } },
        },
        spans: { type: "array", items: { $ref: "#/definitions/Span" } },
        schemaUrl: { type: "string" },
      },
    },
    Span: {
      type: "object",
      required: ["traceId", "spanId", "name", "kind", "startTimeUnixNano", "endTimeUnixNano"],
      additionalProperties: false,
      properties: {
        traceId: hex(32),
        spanId: hex(16),
        traceState: { type: "string" },
        parentSpanId: { anyOf: [hex(16), { const: "" }] },
        flags: { type: "integer", minimum: 0 },
        name: { type: "string", minLength: 1 },
        kind: { type: "integer", minimum: 0, maximum: 5 },
        startTimeUnixNano: nanos,
        endTimeUnixNano: nanos,
        attributes: { $ref: "#/definitions/Attributes" },
        droppedAttributesCount: { type: "integer", minimum: 0 },
        events: {
          type: "array",
          items: {
            type: "object",
            required: ["timeUnixNano", "name"],
            additionalProperties: false,
            properties: { timeUnixNano: nanos, name: { type: "string", minLength: 1 }, attributes: { $ref: "#/definitions/Attributes" }, droppedAttributesCount: { type: "integer", minimum: 0 } },
          },
        },
        droppedEventsCount: { type: "integer", minimum: 0 },
        links: {
          type: "array",
          items: {
            type: "object",
            required: ["traceId", "spanId"],
            additionalProperties: false,
            properties: { traceId: hex(32), spanId: hex(16), traceState: { type: "string" }, attributes: { $ref: "#/definitions/Attributes" }, droppedAttributesCount: { type: "integer", minimum: 0 }, flags: { type: "integer", minimum: 0 } },
          },
        },
        droppedLinksCount: { type: "integer", minimum: 0 },
        status: {
          type: "object",
          additionalProperties: false,
          properties: { message: { type: "string" }, code: { type: "integer", enum: [0, 1, 2] } },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true });
const validateShape = ajv.compile(OTLP_TRACE_REQUEST_SCHEMA);

interface Attributed {
  attributes?: { key: string }[];
}

interface SpanLike extends Attributed {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  events?: (Attributed & { timeUnixNano: string })[];
  links?: (Attributed & { traceId: string; spanId: string })[];
}

// OpenTelemetry attribute naming: namespaces and names in lowercase snake_case, joined by dots.
const ATTRIBUTE_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

/** Every problem with `request` as an OTLP/JSON trace export (empty when it is fine). */
export function checkOtlpTraceRequest(request: unknown): string[] {
  if (!validateShape(request)) {
    return (validateShape.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
  }
  const problems: string[] = [];
  const resourceSpans = (request as { resourceSpans: { resource?: Attributed; scopeSpans: { scope?: Attributed; spans: SpanLike[] }[] }[] }).resourceSpans;
  const spans = resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
  const named = [
    ...resourceSpans.flatMap((rs) => [rs.resource, ...rs.scopeSpans.map((ss) => ss.scope)]),
    ...spans.flatMap((s) => [s, ...(s.events ?? []), ...(s.links ?? [])]),
  ];
  const badNames = new Set(named.flatMap((x) => (x?.attributes ?? []).map((a) => a.key)).filter((k) => !ATTRIBUTE_NAME.test(k)));
  for (const k of badNames) problems.push(`attribute ${JSON.stringify(k)} is not a lowercase dot-separated snake_case name`);
  const ids = new Set<string>();
  for (const s of spans) {
    const key = `${s.traceId}/${s.spanId}`;
    if (ids.has(key)) problems.push(`span ${s.spanId} appears twice`);
    ids.add(key);
    if (/^0+$/.test(s.traceId) || /^0+$/.test(s.spanId)) problems.push(`span ${s.spanId}: all-zero ids are invalid`);
  }
  for (const s of spans) {
    if (BigInt(s.endTimeUnixNano) < BigInt(s.startTimeUnixNano)) problems.push(`span ${s.spanId} ends (${s.endTimeUnixNano}) before it starts (${s.startTimeUnixNano})`);
    if (s.parentSpanId && !ids.has(`${s.traceId}/${s.parentSpanId}`)) problems.push(`span ${s.spanId} has parent ${s.parentSpanId}, which is not in the export`);
    if (s.parentSpanId === s.spanId) problems.push(`span ${s.spanId} is its own parent`);
    for (const l of s.links ?? []) if (!ids.has(`${l.traceId}/${l.spanId}`)) problems.push(`span ${s.spanId} links to ${l.spanId}, which is not in the export`);
  }
  return problems;
}
