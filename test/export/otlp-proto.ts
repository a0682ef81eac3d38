// OTLP/JSON checked against the official protobuf definitions: the static protobufjs code that
// @opentelemetry/otlp-transformer generates from opentelemetry-proto (collector/trace/v1). A
// request is built from the JSON, verified, encoded to the wire format, decoded and turned back
// into JSON; any field the definitions do not have, or a value of the wrong type, comes back
// different.
import { createRequire } from "node:module";

// The last otlp-transformer line that ships generated code for traces (0.216); the package has no
// exports map, so the file is reached by its path.
const require = createRequire(import.meta.url);
const root = require("@opentelemetry/otlp-transformer/build/src/generated/root.js") as ProtoRoot;

interface ProtoMessageType {
  fromObject(object: unknown): object;
  verify(message: object): string | null;
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  toObject(message: object, options: { longs: StringConstructor; enums: NumberConstructor; bytes: StringConstructor }): unknown;
}

interface ProtoRoot {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: ProtoMessageType } } } } };
}

const ExportTraceServiceRequest = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

// OTLP/JSON writes trace and span ids as hex where the protobuf JSON mapping uses base64.
const ID_FIELDS = new Set(["traceId", "spanId", "parentSpanId"]);

/** What the round trip through the protobuf definitions gave, and what it should equal. */
export interface ProtoRoundTrip {
  /** protobufjs `verify` of the message built from the JSON: null when every field has its type. */
  verifyError: string | null;
  /** Bytes of the binary (protobuf) encoding. */
  wireBytes: number;
  /** The decoded message back in OTLP/JSON form (ids hex, 64-bit integers as strings, enums as numbers). */
  decoded: unknown;
  /** The input with empty repeated fields removed (protobuf does not tell empty from absent). */
  expected: unknown;
}

/** Round-trips one OTLP/JSON ExportTraceServiceRequest through the official message definitions. */
export function protoRoundTrip(request: unknown): ProtoRoundTrip {
  const message = ExportTraceServiceRequest.fromObject(mapIds(request, (hex) => Buffer.from(hex, "hex").toString("base64")));
  const verifyError = ExportTraceServiceRequest.verify(message);
  const wire = ExportTraceServiceRequest.encode(message).finish();
  const back = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(wire), { longs: String, enums: Number, bytes: String });
  return {
    verifyError,
    wireBytes: wire.length,
    decoded: withoutEmptyArrays(mapIds(back, (b64) => Buffer.from(b64, "base64").toString("hex"))),
    expected: withoutEmptyArrays(request),
  };
}

function mapIds(value: unknown, f: (id: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapIds(v, f));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ID_FIELDS.has(k) && typeof v === "string" ? f(v) : mapIds(v, f)]));
}

function withoutEmptyArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyArrays);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => !(Array.isArray(v) && v.length === 0))
      .map(([k, v]) => [k, withoutEmptyArrays(v)]),
  );
}
