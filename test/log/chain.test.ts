// Checks the hash chain: append links and hashes records, rejects bad causes, and verify names the exact first tampered seq.
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../sim/log/canonical-json.js";
import { EventLog, hashRecord, verify } from "../../sim/log/chain.js";
import { GENESIS_HASH, type EventDraft, type EventRecord, type JsonValue } from "../../sim/log/record.js";

/** sha256(prev || canonicalJson(record without hash)) via node:crypto, independent of @noble/hashes. */
function expectedHash(record: EventRecord): string {
  const { hash: _hash, ...body } = record;
  return createHash("sha256").update(record.prev + canonicalJson(body), "utf8").digest("hex");
}

function draft(t: number, type: string, causes: number[] = [], data: EventDraft["data"] = {}): EventDraft {
  return { t, type, actor: "perf", data, causes };
}

function logOf(drafts: EventDraft[]): EventLog {
  const log = new EventLog();
  for (const d of drafts) log.append(d);
  return log;
}

// Random drafts: t nondecreasing, nested data, causes a subset of earlier seqs.
const draftsArb = fc
  .array(
    fc.record({
      dt: fc.nat({ max: 5_000 }),
      type: fc.constantFrom("replicas.scaled", "command.rejected", "fault.started", "health.changed"),
      actor: fc.constantFrom("perf", "cost", "routing", "engine", "fault:db"),
      onBehalfOf: fc.option(fc.constantFrom("operator", "perf"), { nil: undefined }),
      target: fc.option(fc.constantFrom("web", "db", "web.replicas"), { nil: undefined }),
      data: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>, { maxKeys: 4 }),
      causePicks: fc.array(fc.nat(), { maxLength: 4 }),
    }),
    { minLength: 1, maxLength: 25 },
  )
  .map((raw) => {
    let t = 0;
    return raw.map((r, seq): EventDraft => {
      t += r.dt;
      const causes = seq === 0 ? [] : [...new Set(r.causePicks.map((p) => p % seq))].sort((a, b) => a - b);
      return { t, type: r.type, actor: r.actor, onBehalfOf: r.onBehalfOf, target: r.target, data: r.data, causes };
    });
  });

type Tamper = "t" | "type" | "actor" | "data" | "dataNaN" | "causes" | "hash" | "prev" | "seq" | "onBehalfOf" | "target";
const tamperArb = fc.constantFrom<Tamper>("t", "type", "actor", "data", "dataNaN", "causes", "hash", "prev", "seq", "onBehalfOf", "target");

/** Every path to a leaf (or empty container) inside `value`, as lists of keys. */
function leafPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length > 0) return entries.flatMap(([k, v]) => leafPaths(v, [...at, Array.isArray(value) ? Number(k) : k]));
  }
  return at.length > 0 ? [at] : [];
}

/** Returns a copy of `r` with one field changed so that its canonical content differs. */
function tampered(r: EventRecord, what: Tamper, pick: number): EventRecord {
  const c = structuredClone(r) as EventRecord & Record<string, unknown>;
  const flipHex = (h: string) => (h[0] === "a" ? "b" : "a") + h.slice(1);
  switch (what) {
    case "t":
      c.t = r.t + 1 + (pick % 1000);
      break;
    case "type":
      c.type = `${r.type}.x`;
      break;
    case "actor":
      c.actor = `${r.actor}-impostor`;
      break;
    case "data": {
      const paths = leafPaths(c.data);
      if (paths.length === 0) {
        c.data = { injected: pick };
      } else {
        const path = paths[pick % paths.length];
        let parent: Record<string | number, unknown> = c.data;
        for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
        const last = path[path.length - 1];
        // A string that cannot equal the old value, whatever its type.
        parent[last] = `tampered:${JSON.stringify(parent[last])}`;
      }
      break;
    }
    case "dataNaN":
      c.data = { ...c.data, injected: Number.NaN };
      break;
    case "causes":
      c.causes = r.causes.length > 0 ? r.causes.slice(0, -1) : [r.seq];
      break;
    case "hash":
      c.hash = flipHex(r.hash);
      break;
    case "prev":
      c.prev = flipHex(r.prev);
      break;
    case "seq":
      c.seq = r.seq + 1;
      break;
    case "onBehalfOf":
      if (r.onBehalfOf === undefined) c.onBehalfOf = "operator";
      else delete c.onBehalfOf;
      break;
    case "target":
      c.target = r.target === undefined ? "web" : `${r.target}.x`;
      break;
  }
  return c;
}

describe("EventLog.append", () => {
  it("chains records: seq counts from 0, the first prev is GENESIS_HASH, each prev is the previous hash", () => {
    const log = logOf([draft(0, "fault.started"), draft(10, "replicas.scaled", [0], { from: 4, to: 6 }), draft(10, "command.rejected", [0, 1])]);
    const [r0, r1, r2] = log.all();
    expect(GENESIS_HASH).toBe("0".repeat(64));
    expect([r0.seq, r1.seq, r2.seq]).toEqual([0, 1, 2]);
    expect(r0.prev).toBe(GENESIS_HASH);
    expect(r1.prev).toBe(r0.hash);
    expect(r2.prev).toBe(r1.hash);
    expect(log.headHash).toBe(r2.hash);
    expect(log.length).toBe(3);
    expect(log.get(1)).toBe(r1);
  });

  it("hashes sha256(prev || canonical JSON of the record without its hash)", () => {
    const log = logOf([draft(0, "fault.started", [], { z: [1, { b: 2, a: 1 }], a: "x" }), draft(5, "replicas.scaled", [0])]);
    for (const r of log.all()) {
      expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.hash).toBe(expectedHash(r));
      expect(hashRecord(r)).toBe(r.hash);
    }
  });

  it("copies the draft's fields and omits onBehalfOf and target when not given", () => {
    const log = new EventLog();
    const r = log.append({ t: 7, type: "replicas.scaled", actor: "perf", onBehalfOf: "operator", target: "web.replicas", data: { to: 6 }, causes: [] });
    expect(r).toMatchObject({ seq: 0, t: 7, type: "replicas.scaled", actor: "perf", onBehalfOf: "operator", target: "web.replicas", data: { to: 6 }, causes: [] });
    const bare = log.append({ t: 8, type: "x.happened", actor: "engine", onBehalfOf: undefined, data: {}, causes: [0] });
    expect(Object.keys(bare).sort()).toEqual(["actor", "causes", "data", "hash", "prev", "seq", "t", "type"]);
  });

  it.each([
    [[0], 0],
    [[1], 1],
    [[3], 1],
    [[-1], 1],
    [[0.5], 1],
    [[0, 2], 2],
  ])("rejects causes %j for the event at seq %d, which are not all earlier seqs", (causes, seq) => {
    const log = new EventLog();
    for (let i = 0; i < seq; i++) log.append(draft(i, "x.happened"));
    const bad = causes.find((c) => !(Number.isInteger(c) && c >= 0 && c < seq));
    expect(() => log.append(draft(seq, "replicas.scaled", causes))).toThrow(RangeError);
    expect(() => log.append(draft(seq, "replicas.scaled", causes))).toThrow(
      `EventLog.append: event ${seq} (replicas.scaled) names cause ${bad}, which is not an earlier event`,
    );
    expect(log.length).toBe(seq);
  });

  it("does not append a record whose data cannot be serialized", () => {
    const log = logOf([draft(0, "x.happened")]);
    const head = log.headHash;
    expect(() => log.append(draft(1, "y.happened", [], { v: Number.NaN }))).toThrow("$.data.v is NaN");
    expect(log.length).toBe(1);
    expect(log.headHash).toBe(head);
  });

  it("freezes records, including nested data and causes", () => {
    const r = logOf([draft(0, "a.happened"), draft(1, "b.happened", [0], { nested: { list: [1, 2] } })]).get(1);
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.causes)).toBe(true);
    expect(Object.isFrozen((r.data.nested as { list: number[] }).list)).toBe(true);
    expect(() => {
      (r as { t: number }).t = 99;
    }).toThrow(TypeError);
  });

  it("freezes nested data even when the caller passed an already-frozen (shallowly) data object", () => {
    const inner = { replicas: 4 };
    const r = new EventLog().append(draft(0, "a.happened", [], Object.freeze({ inner })));
    // If `inner` stayed mutable, writing to it would silently change a logged record.
    expect(Object.isFrozen(r.data.inner)).toBe(true);
  });
});

describe("verify", () => {
  it("names a seq or prev that String() cannot convert (a forged {\"toString\": ...}) as JSON instead of throwing", () => {
    const log = new EventLog();
    log.append({ t: 0, type: "run.started", actor: "engine", data: {}, causes: [] });
    const forged = JSON.parse('{"toString":"x"}');
    expect(verify([{ ...log.get(0), seq: forged }])).toEqual({ ok: false, firstBadSeq: 0, reason: 'record 0 says seq {"toString":"x"}' });
    expect(verify([{ ...log.get(0), prev: forged }])).toMatchObject({ ok: false, firstBadSeq: 0, reason: expect.stringContaining('links to {"toString":"x"}') });
  });

  it("accepts an empty log", () => {
    expect(verify([])).toEqual({ ok: true, count: 0, headHash: GENESIS_HASH });
  });

  it("accepts any untampered log and reports its length and head hash", () => {
    fc.assert(
      fc.property(draftsArb, (drafts) => {
        const log = logOf(drafts);
        expect(verify(log.all())).toEqual({ ok: true, count: drafts.length, headHash: log.headHash });
        for (const r of log.all()) expect(r.hash).toBe(expectedHash(r));
      }),
      { numRuns: 100 },
    );
  });

  it("names exactly the tampered seq when one field of one record changes", () => {
    fc.assert(
      fc.property(draftsArb, fc.nat(), tamperArb, fc.nat(), (drafts, at, what, pick) => {
        const records = [...logOf(drafts).all()];
        const seq = at % records.length;
        records[seq] = tampered(records[seq], what, pick);
        const result = verify(records);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.firstBadSeq).toBe(seq);
          expect(result.reason).toContain(`record ${seq}`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("names the next seq when a record is edited and re-hashed (its successor's link breaks)", () => {
    fc.assert(
      fc.property(draftsArb.filter((d) => d.length >= 2), fc.nat(), (drafts, at) => {
        const records = [...logOf(drafts).all()];
        const seq = at % (records.length - 1);
        const edited = tampered(records[seq], "type", 0);
        edited.hash = hashRecord(edited);
        records[seq] = edited;
        const result = verify(records);
        expect(result).toMatchObject({ ok: false, firstBadSeq: seq + 1 });
        if (!result.ok) expect(result.reason).toContain(`record ${seq + 1} links to`);
      }),
      { numRuns: 100 },
    );
  });

  it("names the position of a deleted record", () => {
    fc.assert(
      fc.property(draftsArb.filter((d) => d.length >= 2), fc.nat(), (drafts, at) => {
        const log = logOf(drafts);
        const records = [...log.all()];
        const seq = at % (records.length - 1);
        records.splice(seq, 1);
        expect(verify(records)).toMatchObject({ ok: false, firstBadSeq: seq });
      }),
      { numRuns: 100 },
    );
  });

  it("shows a deleted last record as a different head hash (a chain alone cannot see truncation)", () => {
    const log = logOf([draft(0, "a.happened"), draft(1, "b.happened"), draft(2, "c.happened")]);
    const result = verify(log.all().slice(0, -1));
    expect(result).toEqual({ ok: true, count: 2, headHash: log.get(1).hash });
    if (result.ok) expect(result.headHash).not.toBe(log.headHash);
  });

  it("names the earlier position when two records are swapped", () => {
    fc.assert(
      fc.property(draftsArb.filter((d) => d.length >= 2), fc.nat(), fc.nat(), (drafts, x, y) => {
        const records = [...logOf(drafts).all()];
        const i = x % (records.length - 1);
        const j = i + 1 + (y % (records.length - 1 - i));
        [records[i], records[j]] = [records[j], records[i]];
        expect(verify(records)).toMatchObject({ ok: false, firstBadSeq: i });
      }),
      { numRuns: 100 },
    );
  });

  it("explains why a record fails", () => {
    const records = [...logOf([draft(0, "a.happened"), draft(1, "b.happened")]).all()];
    const wrongType = [records[0], { ...structuredClone(records[1]), type: "c.happened" }];
    const result = verify(wrongType);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(`record 1 content hashes to ${hashRecord(wrongType[1]).slice(0, 12)}, not its stored ${records[1].hash.slice(0, 12)}`);
    const nan = verify([{ ...structuredClone(records[0]), data: { v: Number.NaN } }]);
    expect(nan).toMatchObject({ ok: false, firstBadSeq: 0 });
    if (!nan.ok) expect(nan.reason).toContain("cannot be serialized");
  });
});
