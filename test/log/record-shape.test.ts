// A chain can be consistent and still hold records of the wrong shape (a forged file whose hashes
// were recomputed): verify names the first such record, and no analysis command exits 3 (internal
// error) on a file that verifies.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hashRecord, verify } from "../../sim/log/chain.js";
import { GENESIS_HASH, type EventRecord } from "../../sim/log/record.js";
import { crossfire } from "../helpers/cli.js";

/** Re-links and re-hashes every record: what a forger with the file (and no key) can do. */
function rechain(records: Record<string, unknown>[]): EventRecord[] {
  let prev = GENESIS_HASH;
  return records.map((r) => {
    const out = { ...r, prev } as Record<string, unknown>;
    delete out.hash;
    const hash = hashRecord(out as unknown as EventRecord);
    prev = hash;
    return { ...out, hash } as unknown as EventRecord;
  });
}

function honest(): Record<string, unknown>[] {
  return [
    { seq: 0, t: 0, type: "run.started", actor: "engine", data: { seed: 1 }, causes: [] },
    { seq: 1, t: 1000, type: "replicas.scaled", actor: "perf", target: "web", data: { knob: "replicas", from: 2, to: 4 }, causes: [0] },
    { seq: 2, t: 2000, type: "health.changed", actor: "web", target: "web", data: { healthy: false }, causes: [1] },
  ];
}

const FORGERIES: [string, (r: Record<string, unknown>) => void, RegExp][] = [
  ["causes: null", (r) => (r.causes = null), /causes/],
  ["data: null", (r) => (r.data = null), /data/],
  ["data: an array", (r) => (r.data = [1, 2]), /data/],
  ["no type", (r) => delete r.type, /type/],
  ["type: a number", (r) => (r.type = 7), /type/],
  ["actor: an object", (r) => (r.actor = { name: "x" }), /actor/],
  ["target: a number", (r) => (r.target = 3), /target/],
  ["t: a string", (r) => (r.t = "soon"), /\bt\b/],
  ["t: negative", (r) => (r.t = -5), /\bt\b/],
  ["t going back in time", (r) => (r.t = 500), /\bt\b/],
  ["a cause that is not earlier", (r) => (r.causes = [2]), /cause/],
  ["a cause that is not a whole number", (r) => (r.causes = ["<b>0</b>"]), /cause/],
  ["onBehalfOf: a number", (r) => (r.onBehalfOf = 1), /onBehalfOf/],
];

describe("verify checks each record's shape", () => {
  it("accepts an honest chain", () => {
    expect(verify(rechain(honest()))).toMatchObject({ ok: true, count: 3 });
  });

  it.each(FORGERIES)("names the record with %s, even when the chain was recomputed", (_, forge, field) => {
    const records = honest();
    forge(records[2]);
    const result = verify(rechain(records));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.firstBadSeq).toBe(2);
      expect(result.reason).toMatch(field);
    }
  });
});

const tmp = mkdtempSync(join(tmpdir(), "crossfire-shape-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("analysis commands on a chain-consistent forged run file", () => {
  const file = join(tmp, "run.ndjson");
  const written = crossfire(["run", "docs/examples/first-scenario.yaml", "--variant", "brownout", "--out", file, "--quiet"]);

  it.each([
    ["causes: null", (r: Record<string, unknown>) => (r.causes = null)],
    ["data: null", (r: Record<string, unknown>) => (r.data = null)],
    ["no type", (r: Record<string, unknown>) => delete r.type],
  ])("refuse a file whose record has %s (exit 2 naming the record), never exit 3", (_, forge) => {
    expect([0, 1]).toContain(written.code);
    const lines = readFileSync(file, "utf8").trim().split("\n");
    const header = JSON.parse(lines[0]);
    const hasTelemetry = lines[lines.length - 1].startsWith('{"telemetry":');
    const records = lines.slice(1, hasTelemetry ? -1 : undefined).map((l) => JSON.parse(l));
    forge(records[3]);
    const chained = rechain(records);
    header.finalHash = chained[chained.length - 1].hash;
    const forged = join(tmp, "forged.ndjson");
    writeFileSync(forged, [JSON.stringify(header), ...chained.map((r) => JSON.stringify(r)), ...(hasTelemetry ? [lines[lines.length - 1]] : [])].join("\n") + "\n");
    for (const args of [["verify", forged], ["explain", forged, "3"], ["export", forged, "--format", "html", "--out", join(tmp, "r.html")], ["export", forged, "--format", "dot", "--out", join(tmp, "r.dot")]]) {
      const r = crossfire(args);
      expect(r.code, `${args[0]}: ${r.stderr}`).not.toBe(3);
      expect(r.stderr + r.stdout, args[0]).toMatch(/#3|record 3/);
      expect(r.code, args[0]).toBeGreaterThan(0);
    }
  }, 60_000);
});

describe("messages about forged values stay short", () => {
  it("a 100 KB seq or prev is quoted in at most 40 characters", () => {
    const huge = "x".repeat(100_000);
    const bySeq = verify([{ seq: huge } as never]);
    const byPrev = verify([{ seq: 0, prev: { huge } } as never]);
    for (const r of [bySeq, byPrev]) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason.length).toBeLessThan(120);
    }
  });
});
