// The OTLP/JSON trace export: valid against the ExportTraceServiceRequest shape (test/export/
// otlp-check.ts), byte-identical for the same run, cause chains as parent spans, faults and
// rejections as errors, findings as spans linked to their witnesses.
import { describe, expect, it } from "vitest";
import { EventLog } from "../../sim/log/chain.js";
import type { EventRecord } from "../../sim/log/record.js";
import {
  OTLP_EPOCH_MS,
  OTLP_SCHEMA_URL,
  otlpEpochEndingAt,
  snakeCase,
  spanIdOf,
  STATUS_CODE_ERROR,
  toOtlpJson,
  toOtlpJsonLines,
  toOtlpRequests,
  traceIdOf,
  type OtlpSpan,
  type OtlpTraceRequest,
} from "../../sim/export/otlp.js";
import { checkOtlpTraceRequest } from "./otlp-check.js";
import { checkedRun, exportInput } from "./runs.js";

const blind = checkedRun("scenarios/cost-vs-performance.yaml", "blind");
const coordinated = checkedRun("scenarios/cost-vs-performance.yaml", "coordinated");
const brownout = checkedRun("docs/examples/first-scenario.yaml", "brownout");
const nlb = checkedRun("test/incidents/nlb-sketch.yaml");

function spansOf(request: OtlpTraceRequest): OtlpSpan[] {
  return request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
}

function attr(span: { attributes?: { key: string; value: unknown }[] }, key: string): unknown {
  return span.attributes?.find((a) => a.key === key)?.value;
}

function spanOfSeq(request: OtlpTraceRequest, seq: number): OtlpSpan {
  const span = spansOf(request).find((s) => (attr(s, "crossfire.seq") as { intValue?: string } | undefined)?.intValue === String(seq));
  if (!span) throw new Error(`no span for #${seq}`);
  return span;
}

describe("toOtlpJson", () => {
  it.each([
    ["cost-vs-performance blind", blind],
    ["cost-vs-performance coordinated", coordinated],
    ["first-scenario brownout", brownout],
    ["nlb sketch", nlb],
  ])("%s: is a valid ExportTraceServiceRequest, in one resource or one per actor", (_name, c) => {
    const single = toOtlpJson(exportInput(c));
    expect(checkOtlpTraceRequest(single)).toEqual([]);
    expect(single.resourceSpans).toHaveLength(1);
    const perActor = toOtlpJson(exportInput(c), { servicePerActor: true });
    expect(checkOtlpTraceRequest(perActor)).toEqual([]);
    expect(spansOf(perActor).map((s) => s.spanId).sort()).toEqual(spansOf(single).map((s) => s.spanId).sort());
    // A span per record, except the run markers (the root span) and fault ends (events on their fault), plus one per finding.
    const folded = c.run.log.filter((r) => r.type === "run.started" || r.type === "run.ended" || r.type === "fault.ended").length;
    expect(spansOf(single)).toHaveLength(1 + c.run.log.length - folded + c.verdict.findings.length);
  });

  it("is byte-identical for two runs of the same scenario and seed", () => {
    const again = checkedRun("scenarios/cost-vs-performance.yaml", "blind");
    const a = toOtlpJsonLines(exportInput(blind));
    expect(toOtlpJsonLines(exportInput(again))).toBe(a);
    expect(a.endsWith("}\n")).toBe(true);
    expect(a.indexOf("\n")).toBe(a.length - 1);
    expect(JSON.parse(a)).toEqual(toOtlpJson(exportInput(blind)));
  });

  it("names the trace by the final hash and each span by (final hash, seq)", () => {
    const request = toOtlpJson(exportInput(blind));
    const spans = spansOf(request);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([blind.run.finalHash.slice(0, 32)]));
    expect(spanOfSeq(request, 5).spanId).toBe(spanIdOf(blind.run.finalHash, 5));
    const other = toOtlpJson({ ...exportInput(blind), finalHash: "f".repeat(64) });
    expect(spanOfSeq(other, 5).spanId).not.toBe(spanOfSeq(request, 5).spanId);
  });

  it("maps sim time onto 2025-01-01T00:00:00Z as decimal nanosecond strings", () => {
    expect(OTLP_EPOCH_MS).toBe(Date.UTC(2025, 0, 1));
    const request = toOtlpJson(exportInput(blind));
    const first = spanOfSeq(request, 1);
    expect(blind.run.log[1].t).toBe(60_000);
    expect(first.startTimeUnixNano).toBe("1735689660000000000");
    expect(first.endTimeUnixNano).toBe(first.startTimeUnixNano);
    const shifted = toOtlpJson(exportInput(blind), { epochMs: 0 });
    expect(spanOfSeq(shifted, 1).startTimeUnixNano).toBe("60000000000");
    const root = spansOf(request).find((s) => s.parentSpanId === undefined)!;
    expect(root.startTimeUnixNano).toBe("1735689600000000000");
    expect(BigInt(root.endTimeUnixNano) - BigInt(root.startTimeUnixNano)).toBe(BigInt(blind.run.endTimeMs) * 1_000_000n);
  });

  it("ends the run at a given time with otlpEpochEndingAt, and refuses epochs before 1970", () => {
    const endUnixMs = Date.UTC(2026, 4, 17, 12, 0, 0);
    const request = toOtlpJson(exportInput(blind), { epochMs: otlpEpochEndingAt(blind.run.log, endUnixMs) });
    const root = spansOf(request).find((s) => s.parentSpanId === undefined)!;
    expect(root.endTimeUnixNano).toBe(String(BigInt(endUnixMs) * 1_000_000n));
    expect(spansOf(request).every((s) => BigInt(s.endTimeUnixNano) <= BigInt(endUnixMs) * 1_000_000n)).toBe(true);
    expect(() => toOtlpJson(exportInput(blind), { epochMs: -1 })).toThrow(/1970 or later/);
    expect(() => toOtlpJson(exportInput(blind), { epochMs: 0.5 })).toThrow(RangeError);
  });

  it("names attributes in snake_case and carries the semantic-conventions schema URL", () => {
    expect(snakeCase("latencyMsP95")).toBe("latency_ms_p95");
    expect(snakeCase("untilMs")).toBe("until_ms");
    expect(snakeCase("errorRate")).toBe("error_rate");
    expect(snakeCase("already_snake")).toBe("already_snake");
    expect(snakeCase("HTTPStatus")).toBe("http_status");
    const request = toOtlpJson(exportInput(brownout));
    const keys = new Set(spansOf(request).flatMap((s) => s.attributes.map((a) => a.key)));
    expect(keys).toContain("crossfire.data.error_rate");
    expect([...keys].filter((k) => /[A-Z]/.test(k))).toEqual([]);
    for (const rs of request.resourceSpans) {
      expect(rs.schemaUrl).toBe(OTLP_SCHEMA_URL);
      expect(rs.scopeSpans.map((ss) => ss.schemaUrl)).toEqual([OTLP_SCHEMA_URL]);
    }
    expect(checkOtlpTraceRequest({ resourceSpans: [{ ...request.resourceSpans[0], resource: { attributes: [{ key: "crossfire.onBehalfOf", value: { stringValue: "x" } }] } }] })).toEqual([
      expect.stringContaining('"crossfire.onBehalfOf" is not a lowercase dot-separated snake_case name'),
    ]);
  });

  it("splits into requests of at most lineBytesMax bytes, each with its resource and scope", () => {
    for (const servicePerActor of [false, true]) {
      const whole = toOtlpJson(exportInput(blind), { servicePerActor });
      const lineBytesMax = 40_000;
      const requests = toOtlpRequests(exportInput(blind), { servicePerActor, lineBytesMax });
      expect(requests.length).toBeGreaterThan(3);
      for (const r of requests) {
        expect(Buffer.byteLength(JSON.stringify(r)) + 1).toBeLessThanOrEqual(lineBytesMax);
        for (const rs of r.resourceSpans) {
          const original = whole.resourceSpans.find((w) => JSON.stringify(w.resource) === JSON.stringify(rs.resource));
          expect(original).toBeDefined();
          expect(rs.scopeSpans[0].scope).toEqual(original!.scopeSpans[0].scope);
        }
      }
      expect(requests.flatMap(spansOf)).toEqual(spansOf(whole));
      const lines = toOtlpJsonLines(exportInput(blind), { servicePerActor, lineBytesMax });
      expect(lines).toBe(requests.map((r) => `${JSON.stringify(r)}\n`).join(""));
    }
    // A whole export under the limit stays one request, and a tight limit fills lines to it.
    expect(toOtlpRequests(exportInput(blind))).toEqual([toOtlpJson(exportInput(blind))]);
    const tight = toOtlpRequests(exportInput(blind), { lineBytesMax: 40_000 });
    expect(Buffer.byteLength(JSON.stringify(tight[0])) + 1).toBeGreaterThan(40_000 - 3_000);
    // A span larger than the limit (the thrashing finding's, with its explanation) gets a line of its own.
    const oversize = toOtlpRequests(exportInput(blind), { lineBytesMax: 1_000 });
    expect(oversize).toHaveLength(spansOf(toOtlpJson(exportInput(blind))).length);
    expect(oversize.some((r) => Buffer.byteLength(JSON.stringify(r)) + 1 > 1_000)).toBe(true);
  });

  it("cost-vs-performance: each command's parent span is the other agent's previous command", () => {
    const request = toOtlpJson(exportInput(blind));
    const root = spansOf(request).find((s) => s.parentSpanId === undefined)!;
    const scalings = blind.run.log.filter((r) => r.type === "replicas.scaled");
    expect(scalings.length).toBeGreaterThan(100);
    expect(spanOfSeq(request, scalings[0].seq).parentSpanId).toBe(root.spanId);
    let chained = 0;
    for (let i = 1; i < scalings.length; i++) {
      const r = scalings[i];
      const previous = scalings[i - 1];
      expect(previous.actor).not.toBe(r.actor);
      expect(r.causes).toContain(previous.seq);
      const span = spanOfSeq(request, r.seq);
      expect(span.parentSpanId).toBe(spanOfSeq(request, previous.seq).spanId);
      expect(span.name).toBe(`${r.actor} replicas.scaled`);
      expect(attr(span, "crossfire.knob")).toEqual({ stringValue: "web.replicas" });
      expect(attr(span, "crossfire.from")).toEqual({ intValue: String(r.data.from) });
      expect(attr(span, "crossfire.reason")).toEqual({ stringValue: r.data.reason });
      expect(attr(span, "crossfire.hash")).toEqual({ stringValue: r.hash });
      chained++;
    }
    expect(chained).toBe(scalings.length - 1);
  });

  it("puts the run's identity on the resource", () => {
    const attrs = toOtlpJson(exportInput(blind)).resourceSpans[0].resource.attributes;
    expect(Object.fromEntries(attrs.map((a) => [a.key, a.value]))).toEqual({
      "service.name": { stringValue: "crossfire" },
      "crossfire.scenario": { stringValue: "cost-vs-performance" },
      "crossfire.variant": { stringValue: "blind" },
      "crossfire.seed": { stringValue: "42" },
      "crossfire.final_hash": { stringValue: blind.run.finalHash },
    });
  });

  it("marks rejected commands as errors with the policy and reason", () => {
    const request = toOtlpJson(exportInput(coordinated));
    const rejected = coordinated.run.log.filter((r) => r.type === "command.rejected");
    expect(rejected.length).toBeGreaterThan(0);
    for (const r of rejected) {
      const span = spanOfSeq(request, r.seq);
      expect(span.status?.code).toBe(STATUS_CODE_ERROR);
      expect(span.status?.message).toContain(String(r.data.reason));
      expect(attr(span, "crossfire.policy")).toEqual({ stringValue: r.data.policy });
    }
  });

  it("spans a fault from its start to its end, and hangs the failures it caused under it", () => {
    const request = toOtlpJson(exportInput(brownout));
    const log = brownout.run.log;
    const started = log.find((r) => r.type === "fault.started")!;
    const ended = log.find((r) => r.type === "fault.ended")!;
    const fault = spanOfSeq(request, started.seq);
    expect(fault.status?.code).toBe(STATUS_CODE_ERROR);
    expect(BigInt(fault.endTimeUnixNano) - BigInt(fault.startTimeUnixNano)).toBe(BigInt(ended.t - started.t) * 1_000_000n);
    expect(fault.events?.map((e) => e.name)).toContain("fault.ended");
    const unhealthy = log.filter((r) => r.type === "health.changed" && r.data.healthy === false);
    expect(unhealthy.length).toBeGreaterThan(0);
    for (const r of unhealthy) {
      const span = spanOfSeq(request, r.seq);
      expect(span.parentSpanId).toBe(fault.spanId);
      expect(span.status?.code).toBe(STATUS_CODE_ERROR);
    }
    // Recovery depends on several earlier health changes: the latest is the parent, the others links.
    const recovery = log.find((r) => r.type === "health.changed" && r.data.healthy === true && r.causes.length > 2)!;
    const span = spanOfSeq(request, recovery.seq);
    // The fault's end is folded into the fault's span, so citing it points at that span.
    const spanOfCause = (c: number) => (log[c].type === "fault.ended" ? spanOfSeq(request, log[c].causes[0]) : spanOfSeq(request, c)).spanId;
    const causeSpans = recovery.causes.filter((c) => c > 0).map(spanOfCause);
    expect(recovery.causes.some((c) => log[c].type === "fault.ended")).toBe(true);
    expect(span.parentSpanId).toBe(causeSpans.at(-1));
    expect(span.links?.map((l) => l.spanId)).toEqual(causeSpans.slice(0, -1));
  });

  it("exports each finding as a span linked to its witnesses, and marks its first witness", () => {
    const request = toOtlpJson(exportInput(blind));
    const finding = blind.verdict.findings[0];
    const span = spansOf(request).find((s) => s.name === "finding thrashing web.replicas")!;
    expect(span).toBeDefined();
    expect(span.status?.code).toBe(STATUS_CODE_ERROR);
    expect(span.links).toHaveLength(Math.min(128, finding.witnesses.length));
    expect(span.links![0].spanId).toBe(spanOfSeq(request, finding.witnesses[0]).spanId);
    expect(span.links![0].attributes).toEqual([
      { key: "opentracing.ref_type", value: { stringValue: "follows_from" } },
      { key: "crossfire.link.kind", value: { stringValue: "witness" } },
    ]);
    expect(attr(span, "crossfire.finding.explanation")).toEqual({ stringValue: finding.explanation.join("\n") });
    const first = spanOfSeq(request, finding.witnesses[0]);
    const marker = first.events?.find((e) => e.name === "crossfire.finding");
    expect(marker?.attributes.find((a) => a.key === "crossfire.finding.span_id")?.value).toEqual({ stringValue: span.spanId });
  });

  it("exports a causally closed prefix when capped, and says how much it left out", () => {
    const request = toOtlpJson(exportInput(nlb), { spansMax: 10 });
    expect(checkOtlpTraceRequest(request)).toEqual([]);
    const spans = spansOf(request);
    expect(spans).toHaveLength(1 + 10 + nlb.verdict.findings.length);
    const root = spans.find((s) => s.parentSpanId === undefined)!;
    const markers = nlb.run.log.filter((r) => r.type === "run.started" || r.type === "run.ended").length;
    expect(attr(root, "crossfire.spans_omitted")).toEqual({ intValue: String(nlb.run.log.length - markers - 10) });
    expect(spanOfSeq(request, 10).spanId).toBe(spanIdOf(nlb.run.finalHash, 10));
    expect(() => spanOfSeq(request, 11)).toThrow();
  });

  it("handles logs without run markers, faults that never end, holds and intents", () => {
    const log = new EventLog();
    log.append({ t: 1000, type: "fault.started", actor: "crash", target: "perf", data: { effect: "agentCrash" }, causes: [] });
    log.append({ t: 2000, type: "command.held", actor: "perf", target: "web", data: { knob: "replicas", value: 3, policy: "approval", reason: "needs review", untilMs: 5000 }, causes: [0] });
    log.append({ t: 2000, type: "intent.published", actor: "cost", target: "web", data: { knob: "replicas", value: 2, untilMs: 99_000, reason: "night" }, causes: [] });
    log.append({ t: 6000, type: "replicas.scaled", actor: "perf", target: "web", onBehalfOf: "team-a", data: { knob: "replicas", from: 2, to: 3, reason: "approved", ratio: 0.5, note: null, tags: ["a"] }, causes: [1, 2] });
    const records: readonly EventRecord[] = log.all();
    const request = toOtlpJson({ scenario: "s", seed: "x", finalHash: log.headHash, log: records });
    expect(checkOtlpTraceRequest(request)).toEqual([]);
    const ns = (ms: number) => String(BigInt(OTLP_EPOCH_MS + ms) * 1_000_000n);
    expect(spanOfSeq(request, 0).endTimeUnixNano).toBe(ns(6000));
    expect(spanOfSeq(request, 1).endTimeUnixNano).toBe(ns(5000));
    expect(spanOfSeq(request, 2).endTimeUnixNano).toBe(ns(6000));
    const scaled = spanOfSeq(request, 3);
    expect(scaled.parentSpanId).toBe(spanOfSeq(request, 2).spanId);
    expect(scaled.links?.map((l) => l.spanId)).toEqual([spanOfSeq(request, 1).spanId]);
    expect(scaled.links?.[0].attributes).toEqual([
      { key: "opentracing.ref_type", value: { stringValue: "follows_from" } },
      { key: "crossfire.link.kind", value: { stringValue: "cause" } },
    ]);
    expect(attr(spanOfSeq(request, 1), "crossfire.data.until_ms")).toEqual({ intValue: "5000" });
    expect(attr(scaled, "crossfire.on_behalf_of")).toEqual({ stringValue: "team-a" });
    expect(attr(scaled, "crossfire.data.ratio")).toEqual({ doubleValue: 0.5 });
    expect(attr(scaled, "crossfire.data.note")).toBeUndefined();
    expect(attr(scaled, "crossfire.data.tags")).toEqual({ arrayValue: { values: [{ stringValue: "a" }] } });
    expect(traceIdOf("0".repeat(64))).toMatch(/^[0-9a-f]{32}$/);
    expect(traceIdOf("0".repeat(64))).not.toBe("0".repeat(32));
  });

  it("takes the latest cause as parent even when it is a fault's end (which shares the fault's span)", () => {
    const log = new EventLog();
    log.append({ t: 0, type: "fault.started", actor: "brownout", target: "db", data: { effect: "errors" }, causes: [] });
    log.append({ t: 10, type: "health.changed", actor: "db", target: "db", data: { healthy: false }, causes: [0] });
    log.append({ t: 20, type: "fault.ended", actor: "brownout", target: "db", data: { effect: "errors" }, causes: [0] });
    log.append({ t: 30, type: "replicas.scaled", actor: "perf", target: "db", data: { knob: "replicas", from: 1, to: 2 }, causes: [0, 1, 2] });
    const request = toOtlpJson({ scenario: "s", seed: 1, finalHash: log.headHash, log: log.all() });
    expect(checkOtlpTraceRequest(request)).toEqual([]);
    const scaled = spanOfSeq(request, 3);
    expect(scaled.parentSpanId).toBe(spanOfSeq(request, 0).spanId);
    expect(scaled.links?.map((l) => l.spanId)).toEqual([spanOfSeq(request, 1).spanId]);
    expect(spansOf(request)).toHaveLength(1 + 3);
  });
});

describe("the OTLP checker", () => {
  const valid = toOtlpJson(exportInput(brownout));
  const broken = (mutate: (r: OtlpTraceRequest) => void) => {
    const copy = structuredClone(valid);
    mutate(copy);
    return checkOtlpTraceRequest(copy);
  };

  it("accepts the export and rejects what OTLP/JSON forbids", () => {
    expect(checkOtlpTraceRequest(valid)).toEqual([]);
    expect(broken((r) => (spansOf(r)[1].traceId = spansOf(r)[1].traceId.toUpperCase()))).not.toEqual([]);
    expect(broken((r) => (spansOf(r)[1].spanId = "abc"))).not.toEqual([]);
    expect(broken((r) => ((spansOf(r)[1].attributes[0].value as unknown as { intValue: number }).intValue = 1))).not.toEqual([]);
    expect(broken((r) => ((spansOf(r)[1] as unknown as { startTimeUnixNano: number }).startTimeUnixNano = 5))).not.toEqual([]);
    expect(broken((r) => (spansOf(r)[1].parentSpanId = "0123456789abcdef"))).toEqual([expect.stringContaining("not in the export")]);
    expect(broken((r) => (spansOf(r)[1].endTimeUnixNano = "1"))).toEqual([expect.stringContaining("before it starts")]);
    expect(broken((r) => ((spansOf(r)[1] as unknown as { startTime: string }).startTime = "1"))).not.toEqual([]);
  });
});
