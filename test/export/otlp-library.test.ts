// Every library scenario's OTLP export, every variant: each line at most 1 MiB (what the
// Collector's otlpjsonfile receiver reads by default), every span in exactly one line, each line
// a request the official OTLP protobuf definitions decode and re-encode to the same JSON.
import { readdirSync, readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { OTLP_LINE_BYTES_MAX, OTLP_SCHEMA_URL, toOtlpJson, toOtlpJsonLines, type OtlpSpan, type OtlpTraceRequest } from "../../sim/export/otlp.js";
import { loadSuite } from "../../sim/scenario/load.js";
import { repoPath } from "../helpers/scenarios.js";
import { checkOtlpTraceRequest } from "./otlp-check.js";
import { protoRoundTrip } from "./otlp-proto.js";
import { checkedRun, exportInput } from "./runs.js";

const EPOCH_MS = Date.UTC(2026, 0, 1);

const cases = readdirSync(repoPath("scenarios"))
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .flatMap((f) => loadSuite(readFileSync(repoPath(`scenarios/${f}`), "utf8"), f).variants.map((v) => [`scenarios/${f}`, v.name] as const));

function spansOf(request: OtlpTraceRequest): OtlpSpan[] {
  return request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
}

describe("OTLP export of every library scenario", () => {
  it("covers every scenario file", () => {
    expect(new Set(cases.map(([f]) => f)).size).toBe(readdirSync(repoPath("scenarios")).filter((f) => f.endsWith(".yaml")).length);
  });

  it.each(cases)("%s [%s]: lines <= 1 MiB, every span once, each line decodes with the OTLP protobuf definitions", (file, variant) => {
    const input = exportInput(checkedRun(file, variant));
    for (const servicePerActor of [false, true]) {
      const options = { epochMs: EPOCH_MS, servicePerActor };
      const text = toOtlpJsonLines(input, options);
      expect(text.endsWith("\n")).toBe(true);
      const lines = text.slice(0, -1).split("\n");
      const requests = lines.map((line) => JSON.parse(line) as OtlpTraceRequest);
      for (const line of lines) expect(Buffer.byteLength(line, "utf8") + 1).toBeLessThanOrEqual(OTLP_LINE_BYTES_MAX);
      // Together the lines hold the whole trace, each span once and in order.
      const whole = toOtlpJson(input, options);
      expect(requests.flatMap(spansOf)).toEqual(spansOf(whole));
      const merged: OtlpTraceRequest = { resourceSpans: requests.flatMap((r) => r.resourceSpans) };
      expect(checkOtlpTraceRequest(merged)).toEqual([]);
      for (const request of requests) {
        for (const rs of request.resourceSpans) {
          expect(rs.schemaUrl).toBe(OTLP_SCHEMA_URL);
          expect(rs.scopeSpans.every((ss) => ss.schemaUrl === OTLP_SCHEMA_URL && ss.spans.length > 0)).toBe(true);
          expect(rs.resource.attributes.some((a) => a.key === "service.name")).toBe(true);
        }
        const trip = protoRoundTrip(request);
        expect(trip.verifyError).toBeNull();
        expect(trip.wireBytes).toBeGreaterThan(0);
        expect(trip.decoded).toEqual(trip.expected);
      }
    }
  });
});

describe("the protobuf round trip", () => {
  const request = toOtlpJson(exportInput(checkedRun("scenarios/retry-storm.yaml")), { epochMs: EPOCH_MS });
  const tampered = (mutate: (r: OtlpTraceRequest & Record<string, unknown>) => void) => {
    const copy = structuredClone(request) as OtlpTraceRequest & Record<string, unknown>;
    mutate(copy);
    const trip = protoRoundTrip(copy);
    return trip.verifyError === null && isDeepStrictEqual(trip.decoded, trip.expected);
  };

  it("passes the export and catches unknown fields, wrong types and bad ids", () => {
    expect(tampered(() => {})).toBe(true);
    expect(tampered((r) => ((spansOf(r)[0] as unknown as Record<string, unknown>).startTime = "1"))).toBe(false);
    expect(tampered((r) => ((spansOf(r)[0] as unknown as Record<string, unknown>).startTimeUnixNano = 5))).toBe(false);
    expect(tampered((r) => ((spansOf(r)[0].attributes[0].value as unknown as { intValue: number }).intValue = 1))).toBe(false);
    expect(tampered((r) => (spansOf(r)[0].spanId = spansOf(r)[0].spanId.toUpperCase()))).toBe(false);
    expect(tampered((r) => (r.resourceSpans[0].resource.attributes[0].key = 7 as unknown as string))).toBe(false);
    expect(tampered((r) => ((r.resourceSpans[0] as unknown as Record<string, unknown>).schema_url = OTLP_SCHEMA_URL))).toBe(false);
  });
});
