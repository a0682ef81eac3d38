// parseRunFile on damaged or forged files: a header or telemetry line of the wrong shape is bad
// input, named by line and field (exit 2 in the CLI), never a TypeError or an allocation failure.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import { InputError } from "../../sim/core/errors.js";
import { parseRunFile } from "../../sim/export/run-file.js";
import { honestRunFile } from "./forged-run.js";

const honest = honestRunFile();
const lines = honest.replace(/\n$/, "").split("\n");
const header = JSON.parse(lines[0]);
const telemetryIndex = lines.length - 1;

/** The honest file with its telemetry object edited, and the header's digest recomputed so the edit is not caught by it. */
function withTelemetry(edit: (t: Record<string, unknown>) => void): string {
  const line = JSON.parse(lines[telemetryIndex]);
  edit(line.telemetry);
  const text = JSON.stringify(line);
  const h = { ...header, telemetrySha256: bytesToHex(sha256(new TextEncoder().encode(text))) };
  return [JSON.stringify(h), ...lines.slice(1, telemetryIndex), text].join("\n");
}

function parseError(text: string): unknown {
  try {
    parseRunFile(text, "r.ndjson");
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("parseRunFile on a forged telemetry line", () => {
  it.each([
    ["components that are not a list", (t: Record<string, unknown>) => (t.components = "web"), /telemetry components as a list of names/],
    ["signal names that are not strings", (t: Record<string, unknown>) => (t.signals = [1, 2]), /telemetry signals as a list of names/],
    ["a huge sample count", (t: Record<string, unknown>) => (t.count = 1e308), /a telemetry sample count/],
    ["a negative sample count", (t: Record<string, unknown>) => (t.count = -1), /a telemetry sample count/],
    ["times that are not base64", (t: Record<string, unknown>) => (t.times = "<not base64>"), /telemetry times as base64 text/],
    ["values that are not text", (t: Record<string, unknown>) => (t.values = { x: 1 }), /telemetry values as base64 text/],
    ["a count the bytes do not hold", (t: Record<string, unknown>) => (t.count = (t.count as number) + 1), /samples of \d+ values/],
  ])("refuses %s as bad input at the telemetry line", (_, edit, message) => {
    const e = parseError(withTelemetry(edit));
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(new RegExp(`^r\\.ndjson:${telemetryIndex + 1}:1: expected `));
    expect((e as Error).message).toMatch(message);
  });

  it("still reads the honest file", () => {
    expect(parseRunFile(honest).telemetry!.count).toBeGreaterThan(0);
  });
});

describe("parseRunFile on a forged header", () => {
  it.each([
    ["scenarioText", 42, /whose scenarioText is a string, found 42/],
    ["variant", { name: "x" }, /whose variant is a string, found \{"name":"x"\}/],
    ["seed", 1.5, /whose seed is a string or a whole number, found 1\.5/],
    ["seed", undefined, /whose seed is a string or a whole number, found nothing/],
    ["finalHash", null, /whose finalHash is a string, found null/],
    ["events", "10", /whose events is a whole number >= 0, found "10"/],
    ["scenarioFile", ["a"], /whose scenarioFile is a string, found \["a"\]/],
  ])("refuses a header whose %s is %j, at line 1", (field, value, message) => {
    const h = { ...header, [field]: value };
    if (value === undefined) delete h[field];
    const e = parseError([JSON.stringify(h), ...lines.slice(1)].join("\n"));
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(/^r\.ndjson:1:1: expected a header/);
    expect((e as Error).message).toMatch(message);
  });
});
