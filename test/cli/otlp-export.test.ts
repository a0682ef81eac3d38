// `crossfire export --format otlp` flags: --epoch (the clock read in the CLI, pinned by tests),
// --service-per-actor, --spans-max, their usage errors, and lines the Collector's file receiver reads.
import { describe, expect, it } from "vitest";
import { runCli } from "../../sim/cli/main.js";
import { OTLP_LINE_BYTES_MAX, type OtlpSpan, type OtlpTraceRequest } from "../../sim/export/otlp.js";
import { crossfire } from "../helpers/cli.js";
import { repoPath } from "../helpers/scenarios.js";

const SCENARIO = "scenarios/cost-vs-performance.yaml";
const NOW_MS = Date.UTC(2026, 4, 17, 12, 30, 0);

/** The CLI with a clock that always says NOW_MS. */
function atNow(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, isTTY: false, cwd: repoPath(""), nowMs: () => 0, unixMs: () => NOW_MS });
  return { code, stdout, stderr };
}

function requestsOf(stdout: string): OtlpTraceRequest[] {
  return stdout
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as OtlpTraceRequest);
}

function spansOf(stdout: string): OtlpSpan[] {
  return requestsOf(stdout).flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
}

const rootOf = (stdout: string) => spansOf(stdout).find((s) => s.parentSpanId === undefined)!;
const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);

describe("crossfire export --format otlp", () => {
  it("by default ends the run at the moment of export (the clock the CLI is given)", () => {
    const r = atNow(["export", SCENARIO, "--format", "otlp"]);
    expect(r.code, r.stderr).toBe(0);
    const root = rootOf(r.stdout);
    expect(root.endTimeUnixNano).toBe(ns(NOW_MS));
    expect(root.startTimeUnixNano).toBe(ns(NOW_MS - 4 * 3_600_000));
    expect(atNow(["export", SCENARIO, "--format", "otlp", "--epoch", "now"]).stdout).toBe(r.stdout);
  });

  it("--epoch <ISO time> puts simulated time 0 there, byte-identical whatever the clock says", () => {
    const a = atNow(["export", SCENARIO, "--format", "otlp", "--epoch", "2026-03-01T08:00:00+01:00"]);
    expect(a.code, a.stderr).toBe(0);
    expect(rootOf(a.stdout).startTimeUnixNano).toBe(ns(Date.UTC(2026, 2, 1, 7)));
    expect(crossfire(["export", SCENARIO, "--format", "otlp", "--epoch", "2026-03-01T08:00:00+01:00"]).stdout).toBe(a.stdout);
  });

  it("--service-per-actor makes a resource per actor; --spans-max caps the spans", () => {
    const perActor = atNow(["export", SCENARIO, "--format", "otlp", "--service-per-actor"]);
    expect(perActor.code, perActor.stderr).toBe(0);
    const services = requestsOf(perActor.stdout).flatMap((r) => r.resourceSpans.map((rs) => rs.resource.attributes.find((a) => a.key === "service.name")?.value));
    expect(services).toEqual(expect.arrayContaining([{ stringValue: "crossfire" }, { stringValue: "cost" }, { stringValue: "perf" }]));
    const capped = atNow(["export", SCENARIO, "--format", "otlp", "--spans-max", "10"]);
    expect(capped.code, capped.stderr).toBe(0);
    expect(rootOf(capped.stdout).attributes.find((a) => a.key === "crossfire.spans_omitted")).toBeDefined();
    expect(spansOf(capped.stdout).filter((s) => !s.name.startsWith("finding ")).length).toBe(1 + 10);
    expect(atNow(["export", SCENARIO, "--format", "otlp", "--spans-max", "0"]).code).toBe(0);
  });

  it.each([
    [["--epoch", "yesterday"], '--epoch: expected `now` or an ISO 8601 time with a zone such as 2025-01-01T00:00:00Z, found "yesterday"'],
    [["--epoch", "2026-01-01T00:00:00"], "--epoch: expected `now` or an ISO 8601 time with a zone"],
    [["--epoch", "2026-02-30T00:00:00Z"], "--epoch: expected `now` or an ISO 8601 time with a zone"],
    [["--epoch", "1969-12-31T23:00:00Z"], "--epoch: expected a time in 1970 or later"],
    [["--spans-max", "-1"], '--spans-max: expected a whole number of spans (0 or more), found "-1"'],
    [["--spans-max", "ten"], '--spans-max: expected a whole number of spans (0 or more), found "ten"'],
    [["--spans-max", "1.5"], "--spans-max: expected a whole number of spans"],
  ])("refuses %j with exit 2", (flags, message) => {
    const r = atNow(["export", SCENARIO, "--format", "otlp", ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });

  it("refuses otlp flags with another format, and an epoch that puts time 0 before 1970", () => {
    const r = atNow(["export", SCENARIO, "--format", "dot", "--service-per-actor", "--spans-max", "3"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--service-per-actor, --spans-max: only for --format otlp, found --format dot");
    // A clock at the very start of 1970: "now" minus a 4 h run would be before it.
    let out = "";
    let err = "";
    const code = runCli(["export", SCENARIO, "--format", "otlp"], { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: {}, isTTY: false, cwd: repoPath(""), nowMs: () => 0, unixMs: () => 60_000 });
    const early = { code, stdout: out, stderr: err };
    expect(early.code).toBe(2);
    expect(early.stderr).toContain("--epoch: simulated time 0 would fall before 1970");
  });

  it("splits the largest library export into lines of at most 1 MiB", () => {
    const r = atNow(["export", "scenarios/dynamodb-dns-race.yaml", "--format", "otlp", "--variant", "blind"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(Buffer.byteLength(line) + 1).toBeLessThanOrEqual(OTLP_LINE_BYTES_MAX);
    const ids = spansOf(r.stdout).map((s) => s.spanId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
