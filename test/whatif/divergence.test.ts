// The first divergence in meaning on hand-built, hash-chained logs: identical logs, differences in
// hidden fields only, a write applied on one side and rejected on the other, a different value,
// and an extra record on one side that must not make everything after it look different.
import { describe, expect, it } from "vitest";
import { EventLog } from "../../sim/log/chain.js";
import type { EventRecord } from "../../sim/log/record.js";
import { chainDivergence, divergenceOf } from "../../sim/whatif/divergence.js";
import { LogBuilder } from "../detect/log-builder.js";

const labels = { a: "blind", b: "coordinated" };
const S = 1000;

/** The builder's records chained as the engine chains them (the builder leaves hashes empty). */
function chained(b: LogBuilder): EventRecord[] {
  const log = new EventLog();
  for (const { seq: _seq, prev: _prev, hash: _hash, ...draft } of b.records) log.append(draft);
  return [...log.all()];
}

/**
 * The race of scenarios/dynamodb-dns-race.yaml in miniature: the planner puts plan versions,
 * enactors apply them to ddb-dns.plan; at 8 s enactor-a applies a stale plan (or, with `fenced`,
 * compare-and-set rejects it and the other enactors' applies carry their expectedVersion);
 * enactor-c then cleans up. `versionsOnly`: the expectedVersions without the rejection.
 */
function race(opts: { fenced: boolean; versionsOnly?: boolean; stale?: number; intentAt?: number; healthAt?: number }): EventRecord[] {
  const b = new LogBuilder();
  const fence = (v: number) => (opts.fenced || opts.versionsOnly ? { expectedVersion: v, readVersion: v } : { readVersion: v });
  const put2 = b.put(1 * S, "planner", "plans", "plan", 2, 3, [0]);
  if (opts.intentAt !== undefined) b.add({ t: opts.intentAt, type: "intent.published", actor: "enactor-c", target: "ddb-dns", data: { knob: "plan", value: 2, untilMs: 5 * S, reason: "apply 2" }, causes: [put2.seq] });
  const apply2 = b.knob(2 * S, "enactor-c", "ddb-dns", "plan", 1, 2, { causes: [put2.seq], ...fence(0) });
  const put3 = b.put(3 * S, "planner", "plans", "plan", 3, 3, [put2.seq]);
  const apply3 = b.knob(4 * S, "enactor-b", "ddb-dns", "plan", 2, 3, { causes: [put3.seq, apply2.seq], ...fence(1) });
  if (opts.healthAt !== undefined) b.health(opts.healthAt, "app", false, [apply3.seq]);
  const stale = opts.stale ?? 1;
  if (opts.fenced) {
    b.add({ t: 8 * S, type: "command.rejected", actor: "enactor-a", target: "ddb-dns", data: { knob: "plan", value: stale, policy: "compareAndSet", reason: "stale write: based on ddb-dns.plan version 0, but it is at version 2", intent: "apply plan 1" }, causes: [put2.seq] });
  } else {
    b.knob(8 * S, "enactor-a", "ddb-dns", "plan", 3, stale, { causes: [put2.seq], readVersion: 0 });
  }
  b.deleted(9 * S, "enactor-c", "plans", "plan", 1, [apply3.seq]);
  return chained(b);
}

describe("divergenceOf", () => {
  it("identical logs: no divergence in meaning, nothing hidden, no chain divergence", () => {
    const log = race({ fenced: false });
    expect(divergenceOf(log, log, labels)).toEqual({ divergence: null, hidden: { count: 0, first: [] }, chainDivergence: null });
    expect(divergenceOf(log, [...log], labels).chainDivergence).toBeNull();
  });

  it("records that differ only in hidden fields (expectedVersion) are listed as hidden, not a divergence", () => {
    const blind = race({ fenced: false });
    const coordinated = race({ fenced: false, versionsOnly: true });
    const d = divergenceOf(blind, coordinated, labels);
    expect(d.divergence).toBeNull();
    expect(d.chainDivergence).toBe(2);
    expect(d.hidden.count).toBe(2);
    expect(d.hidden.first.map((h) => [h.a?.actor, h.b?.actor, h.fields])).toEqual([
      ["enactor-c", "enactor-c", ["data.expectedVersion"]],
      ["enactor-b", "enactor-b", ["data.expectedVersion"]],
    ]);
    expect(d.hidden.first[0].description).toBe("00:00:02 enactor-c: ddb-dns.plan 1 -> 2 (blind #2, coordinated #2) differs in data.expectedVersion");
  });

  it("a write applied on one side and rejected on the other is the divergence; the hidden differences before it are listed", () => {
    const d = divergenceOf(race({ fenced: false }), race({ fenced: true }), labels);
    expect(d.divergence).toMatchObject({ kind: "outcome", t: 8 * S, fields: ["outcome", "type"] });
    expect(d.divergence!.a).toMatchObject({ actor: "enactor-a", target: "ddb-dns", type: "record.updated", data: { knob: "plan", from: 3, to: 1 } });
    expect(d.divergence!.b).toMatchObject({ actor: "enactor-a", target: "ddb-dns", type: "command.rejected", data: { knob: "plan", policy: "compareAndSet" } });
    expect(d.divergence!.description).toBe(
      "enactor-a's write ddb-dns.plan 3 -> 1 at 00:00:08 was applied in blind (#5) and rejected by compareAndSet in coordinated (#5): stale write: based on ddb-dns.plan version 0, but it is at version 2",
    );
    expect(d.hidden.count).toBe(2);
    expect(d.hidden.first.every((h) => h.fields.join() === "data.expectedVersion")).toBe(true);
    expect(d.chainDivergence).toBe(2);
  });

  it("the same write with another value is a divergence in value, naming the field", () => {
    const d = divergenceOf(race({ fenced: false, stale: 1 }), race({ fenced: false, stale: 2 }), labels);
    expect(d.divergence).toMatchObject({ kind: "value", t: 8 * S, fields: ["data.to"], a: { seq: 5, data: { to: 1 } }, b: { seq: 5, data: { to: 2 } } });
    expect(d.divergence!.description).toBe("at 00:00:08 enactor-a's write of ddb-dns.plan differs in data.to: ddb-dns.plan 3 -> 1 in blind (#5), ddb-dns.plan 3 -> 2 in coordinated (#5)");
    expect(d.hidden.count).toBe(0);
    // The chains part at the same record.
    expect(d.chainDivergence).toBe(5);
  });

  it("an extra bookkeeping record on one side is hidden and shifts nothing after it", () => {
    // coordinated publishes an intent at 1.5 s: every later record of it is one seq further on,
    // and the causes that name later records are renumbered.
    const d = divergenceOf(race({ fenced: false }), race({ fenced: true, intentAt: 1500 }), labels);
    expect(d.divergence).toMatchObject({ kind: "outcome", a: { seq: 5, actor: "enactor-a", type: "record.updated" }, b: { seq: 6, actor: "enactor-a", type: "command.rejected" } });
    expect(d.divergence!.description).toContain("applied in blind (#5) and rejected by compareAndSet in coordinated (#6)");
    expect(d.chainDivergence).toBe(2);
    const [intent, ...rest] = d.hidden.first;
    expect(intent).toMatchObject({ a: undefined, b: { type: "intent.published", seq: 2 }, fields: [] });
    expect(intent.description).toBe("00:00:01.500 enactor-c: intent ddb-dns.plan -> 2 until 00:00:05: apply 2 (only in coordinated, #2)");
    // enactor-b's apply names enactor-c's apply as a cause: #2 in blind, #3 in coordinated.
    expect(rest.map((h) => h.fields)).toEqual([["data.expectedVersion"], ["causes", "data.expectedVersion"]]);
    expect(d.hidden.count).toBe(3);
  });

  it("a bookkeeping record logged just before the divergence, in the same instant, is listed before it", () => {
    // A what-if that turns a lease policy on at 1 s: intervention.applied, then the rejection.
    const x = new LogBuilder();
    x.knob(S, "cost", "web", "replicas", 8, 6);
    const y = new LogBuilder();
    y.add({ t: S, type: "intervention.applied", actor: "whatif", data: { kind: "policy", label: "lease", policies: ["lease"] }, causes: [] });
    y.rejected(S, "cost", "web", "replicas", 6);
    const d = divergenceOf(chained(x), chained(y), { a: "original", b: "what if" });
    expect(d.hidden.count).toBe(1);
    expect(d.hidden.first[0]).toMatchObject({ a: undefined, b: { seq: 1, type: "intervention.applied" } });
    expect(d.divergence).toMatchObject({ kind: "outcome", a: { seq: 1 }, b: { seq: 2, type: "command.rejected" } });
    expect(d.divergence!.description).toBe("cost's write web.replicas 8 -> 6 at 00:00:01 was applied in original (#1) and rejected by lease in what if (#2): leased");
  });

  it("an extra record that is not bookkeeping is the divergence, and the records after it still align", () => {
    const d = divergenceOf(race({ fenced: false }), race({ fenced: false, healthAt: 6 * S }), labels);
    expect(d.divergence).toMatchObject({ kind: "onlyOneSide", t: 6 * S, a: undefined, b: { type: "health.changed", actor: "app", seq: 5 }, fields: [] });
    expect(d.divergence!.description).toBe("at 00:00:06 only coordinated has #5 app: became unhealthy; blind has no such record at that time");
    // Without the extra record, what follows it is the same in meaning (only seqs moved).
    const later = divergenceOf(race({ fenced: false }).slice(5), race({ fenced: false, healthAt: 6 * S }).slice(6), labels);
    expect(later.divergence).toBeNull();
  });

  it("records in another order within one instant still match by actor, target and knob", () => {
    const x = new LogBuilder();
    x.knob(S, "perf", "web", "replicas", 6, 8);
    x.knob(S, "cost", "db", "replicas", 2, 1);
    const y = new LogBuilder();
    y.knob(S, "cost", "db", "replicas", 2, 1);
    y.knob(S, "perf", "web", "replicas", 6, 8);
    const d = divergenceOf(chained(x), chained(y), labels);
    expect(d.divergence).toBeNull();
    expect(d.chainDivergence).toBe(1);
  });
});

describe("chainDivergence", () => {
  it("names the first seq whose hash differs, or where the shorter log ends", () => {
    const log = race({ fenced: false });
    expect(chainDivergence(log, log)).toBeNull();
    expect(chainDivergence(log, log.slice(0, 3))).toBe(3);
    expect(chainDivergence(log, [...log.slice(0, 4), { ...log[4], hash: "x" }])).toBe(4);
  });
});
