// Lost updates: a write based on a stale read (by its read version, or by a served version going
// backwards) fires with the right witnesses; near misses stay quiet; and on the DynamoDB DNS race
// scenario blind (the stale enactor) versus fenced with compare-and-set.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detect } from "../../sim/detect/index.js";
import { detectLostUpdates } from "../../sim/detect/lost-update.js";
import { runScenario } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { repoPath } from "../helpers/scenarios.js";
import { chainScenario, LogBuilder, min, servedScenario } from "./log-builder.js";

describe("detectLostUpdates by read version (expectedVersion)", () => {
  it("fires on a write based on a version another actor had already moved past", () => {
    const b = new LogBuilder();
    b.knob(min(1), "enactor-c", "ddb-dns", "plan", 1, 2, { expectedVersion: 0 });
    const read = b.knob(min(2), "enactor-b", "ddb-dns", "plan", 2, 3, { expectedVersion: 1 }).seq;
    b.knob(min(3), "enactor-c", "ddb-dns", "plan", 3, 4, { expectedVersion: 2 });
    const overwritten = b.knob(min(4), "enactor-b", "ddb-dns", "plan", 4, 5, { expectedVersion: 3 }).seq;
    const stale = b.knob(min(4) + 2000, "enactor-a", "ddb-dns", "plan", 5, 3, { expectedVersion: 2 }).seq;
    const [finding, ...rest] = detectLostUpdates(b.view(servedScenario));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      kind: "lostUpdate",
      severity: "critical",
      from: min(2),
      to: min(4) + 2000,
      knob: "ddb-dns.plan",
      actors: ["enactor-a", "enactor-b"],
      components: ["ddb-dns"],
      subjects: ["enactor-a", "enactor-b", "ddb-dns.plan", "ddb-dns"],
      witnesses: [read, overwritten, stale],
      rootCauses: [stale],
      metrics: { gapMs: 2000, overwrittenWrites: 2, expectedVersion: 2, actualVersion: 4, staleValue: 3, overwrittenValue: 5 },
    });
    expect(finding.explanation).toEqual([
      "enactor-a set ddb-dns.plan 5->3 at 00:04:02, based on version 2 of ddb-dns.plan, which it read between 00:02:00 and 00:03:00; " +
        "enactor-b had set it 4->5 at 00:04:00 (#4), 2s earlier, the last of 2 writes by enactor-b and enactor-c since that read.",
      "So this write went backwards, from plan 5 to plan 3: a compare-and-set on ddb-dns.plan's version would have rejected it (expected version 2, actual 4).",
      "Rule: the write names the version it read (expectedVersion 2) and ddb-dns.plan had been written by another actor since.",
    ]);
  });

  it("reads `readVersion` (logged without fencing) like `expectedVersion`, and names it in the rule", () => {
    const b = new LogBuilder();
    b.knob(min(1), "enactor-c", "ddb-dns", "plan", 1, 2, { readVersion: 0 });
    b.knob(min(2), "enactor-b", "ddb-dns", "plan", 2, 3, { readVersion: 1 });
    const stale = b.knob(min(3), "enactor-a", "ddb-dns", "plan", 3, 2, { readVersion: 1 }).seq;
    const [finding, ...rest] = detectLostUpdates(b.view(servedScenario));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ rootCauses: [stale], metrics: { expectedVersion: 1, actualVersion: 2 } });
    expect(finding.explanation.at(-1)).toBe("Rule: the write names the version it read (readVersion 1) and ddb-dns.plan had been written by another actor since.");
  });

  it("reports a stale write on any knob, not only versions, as an overwritten value", () => {
    const b = new LogBuilder();
    const overwritten = b.knob(min(1), "perf", "web", "replicas", 6, 8, { expectedVersion: 0 }).seq;
    const stale = b.knob(min(2), "cost", "web", "replicas", 8, 4, { expectedVersion: 0 }).seq;
    const [finding] = detectLostUpdates(b.view(chainScenario));
    expect(finding).toMatchObject({ knob: "web.replicas", witnesses: [overwritten, stale], actors: ["cost", "perf"] });
    expect(finding.explanation[0]).toBe("cost lowered web.replicas 8->4 at 00:02:00, based on version 0 of web.replicas, which it read between the start of the run and 00:01:00; perf had set it 6->8 at 00:01:00 (#1), 1m earlier.");
    expect(finding.explanation[1]).toBe("So perf's value 8 was overwritten with 4, computed from a stale read: a compare-and-set on web.replicas's version would have rejected it (expected version 0, actual 1).");
  });

  it("stays quiet when the version read is still current", () => {
    const b = new LogBuilder();
    b.knob(min(1), "enactor-c", "ddb-dns", "plan", 1, 2, { expectedVersion: 0 });
    b.knob(min(2), "enactor-a", "ddb-dns", "plan", 2, 3, { expectedVersion: 1 });
    expect(detectLostUpdates(b.view(servedScenario))).toEqual([]);
  });

  it("stays quiet when only the writer itself wrote since its read", () => {
    const b = new LogBuilder();
    b.knob(min(1), "perf", "web", "replicas", 6, 8, { expectedVersion: 0 });
    b.knob(min(2), "perf", "web", "replicas", 8, 10, { expectedVersion: 0 });
    expect(detectLostUpdates(b.view(chainScenario))).toEqual([]);
  });

  it("fires on a document put based on a version another actor superseded", () => {
    const b = new LogBuilder();
    const read = b.put(min(1), "author-a", "features", "file", 2, 60, [], 1).seq;
    const overwritten = b.put(min(2), "author-b", "features", "file", 3, 61, [], 2).seq;
    const stale = b.put(min(3), "author-a", "features", "file", 4, 62, [], 2).seq;
    const [finding, ...rest] = detectLostUpdates(b.view(servedScenario));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ knob: "features.file", actors: ["author-a", "author-b"], witnesses: [read, overwritten, stale], metrics: { expectedVersion: 2, actualVersion: 3 } });
    expect(finding.explanation[1]).toBe("So author-b's version 3 was superseded by a write that never saw it: a compare-and-set on features.file's version would have rejected it (expected version 2, actual 3).");
  });
});

describe("detectLostUpdates by value order (no read version logged)", () => {
  it("fires on a served plan going backwards over another actor's write, naming the plan's put and its deletion", () => {
    const b = new LogBuilder();
    const put2 = b.put(min(1), "planner", "plans", "plan", 2, 3).seq;
    b.put(min(2), "planner", "plans", "plan", 3, 3);
    b.knob(min(2) + 1000, "enactor-b", "ddb-dns", "plan", 1, 2);
    const overwritten = b.knob(min(3), "enactor-c", "ddb-dns", "plan", 2, 3).seq;
    const stale = b.knob(min(4), "enactor-a", "ddb-dns", "plan", 3, 2).seq;
    const deleted = b.deleted(min(4) + 5000, "enactor-c", "plans", "plan", 2).seq;
    const [finding, ...rest] = detectLostUpdates(b.view(servedScenario));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ witnesses: [put2, overwritten, stale], actors: ["enactor-a", "enactor-c"], metrics: { gapMs: min(1), overwrittenWrites: 1, staleValue: 2, overwrittenValue: 3, basisAgeMs: min(3) } });
    expect(finding.explanation).toEqual([
      "enactor-a set ddb-dns.plan 3->2 at 00:04:00, applying plan 2, which #1 planner had put at 00:01:00, 3m before; enactor-c had set it 2->3 at 00:03:00 (#4), 1m earlier.",
      "So this write went backwards, from plan 3 to plan 2: a compare-and-set on ddb-dns.plan's version would have rejected it, had the write named the version it read.",
      `Then enactor-c deleted plan 2 at 00:04:05 (#${deleted}) while ddb-dns still pointed at it.`,
      "Rule: the log records no read version for this write; ddb-dns.plan points at a version of plans.plan, and versions only move forward, so a write that lowers it went backwards.",
    ]);
  });

  it("stays quiet on near misses: one actor going back on its own write, a write to 0, a lowered amount, a forward write", () => {
    const b = new LogBuilder();
    b.knob(min(1), "distributor", "proxies", "version", 1, 3);
    b.knob(min(2), "distributor", "proxies", "version", 3, 2); // its own rollback
    b.knob(min(3), "other", "proxies", "version", 2, 0); // 0 = follow the newest, not a version
    b.knob(min(4), "enactor-a", "ddb-dns", "plan", 1, 5);
    b.knob(min(5), "enactor-b", "ddb-dns", "plan", 5, 6);
    b.knob(min(1), "perf", "web", "replicas", 6, 8);
    b.knob(min(2), "cost", "web", "replicas", 8, 6); // an amount, and no read version: thrashing's business
    expect(detectLostUpdates(b.view({ ...servedScenario, components: [...servedScenario.components, ...chainScenario.components] }))).toEqual([]);
  });
});

describe("lost updates on scenarios/dynamodb-dns-race.yaml", () => {
  const FILE = "scenarios/dynamodb-dns-race.yaml";
  const text = readFileSync(repoPath(FILE), "utf8");
  const fenced = text.replaceAll("record: ddb-dns, keepGenerations: 12 }", "record: ddb-dns, keepGenerations: 12, fencing: true }");

  it("blind: names enactor-a's stale apply that emptied the record, by the read version every apply logs", () => {
    const run = runScenario(loadVariant(text, FILE, "blind").scenario);
    const found = detect(run).filter((f) => f.kind === "lostUpdate");
    expect(found).toHaveLength(1);
    const [emptying] = found;
    const stale = run.log.find((r) => r.type === "record.updated" && r.actor === "enactor-a" && (r.data.to as number) < (r.data.from as number))!;
    expect(emptying).toMatchObject({ knob: "ddb-dns.plan", components: ["ddb-dns"], rootCauses: [stale.seq], metrics: { expectedVersion: 2, staleValue: 4, overwrittenValue: 17 } });
    expect(emptying.actors).toContain("enactor-a");
    expect(emptying.witnesses).toContain(stale.seq);
    expect(emptying.explanation[0]).toMatch(/^enactor-a set ddb-dns\.plan 17->4 at 00:08:02, based on version 2 of ddb-dns\.plan, which it read between /);
    expect(emptying.explanation.some((line) => /still pointed at it/.test(line))).toBe(true);
    expect(emptying.explanation.at(-1)).toMatch(/^Rule: the write names the version it read \(readVersion 2\)/);
  });

  it("fenced without compare-and-set: the same stale apply, found by the fencing token it sent", () => {
    const run = runScenario(loadVariant(fenced, FILE, "blind").scenario);
    const found = detect(run).filter((f) => f.kind === "lostUpdate");
    expect(found).toHaveLength(1);
    expect(found[0].metrics.expectedVersion).toBeLessThan(found[0].metrics.actualVersion);
    expect(found[0].explanation.at(-1)).toMatch(/^Rule: the write names the version it read \(expectedVersion 2\)/);
  });

  it("coordinated (fencing + compare-and-set): no lost update for any of 3 seeds, the stale apply was rejected", () => {
    const coordinated = loadVariant(text, FILE, "coordinated").scenario;
    for (let seed = 1; seed <= 3; seed++) {
      const run = runScenario(coordinated, { seed });
      expect(detect(run).filter((f) => f.kind === "lostUpdate"), `seed ${seed}`).toEqual([]);
      expect(run.log.filter((r) => r.type === "command.rejected" && r.data.policy === "compareAndSet").length, `seed ${seed}`).toBeGreaterThan(0);
    }
  });
});
