// The enactor's apply happens a step (its apply latency) after its check: the apply's record must
// still name what the check read as causes (the plan's put, the record's last write) and log the
// record version it read, fenced or not, so stale applies can be traced and detected.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import type { EventRecord } from "../../sim/log/record.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const yaml = (enactorExtra = "") => `
name: enactor-basis
seed: 4
duration: 6m
step: 5s
components:
  - { id: plans, kind: documentStore, documents: [ { name: plan, version: 1, rows: 3 } ] }
  - { id: dns, kind: dnsRecord, store: plans, document: plan, plan: 1, targets: [db] }
  - { id: db, kind: database }
agents:
  - { id: planner, kind: planPublisher, store: plans, document: plan, evaluationPeriod: 30s }
  - { id: slow, kind: enactor, store: plans, document: plan, record: dns, applyLatency: 70s, applyJitter: 0, keepGenerations: 10${enactorExtra} }
  - { id: fast, kind: enactor, store: plans, document: plan, record: dns, keepGenerations: 10${enactorExtra} }
`;

const applies = (log: readonly EventRecord[]) => log.filter((r) => r.type === "record.updated");
const putOf = (log: readonly EventRecord[], version: unknown) => log.find((r) => r.type === "document.put" && r.data.version === version);

describe("enactor apply records", () => {
  const run = runScenario(scenarioFromYaml(yaml()));
  const updates = applies(run.log);

  it("name the put of the plan they apply among their causes, although the check was an earlier step", () => {
    expect(updates.length).toBeGreaterThan(3);
    for (const r of updates) {
      const put = putOf(run.log, r.data.to);
      expect(put, `put of plan ${String(r.data.to)}`).toBeDefined();
      expect(r.causes, `#${r.seq}`).toContain(put!.seq);
    }
  });

  it("log the record version read at check time as readVersion, without fencing (no expectedVersion)", () => {
    for (const r of updates) {
      expect(typeof r.data.readVersion).toBe("number");
      expect(r.data.expectedVersion).toBeUndefined();
    }
    // The slow enactor's apply lands after the fast one moved the record on: its read is stale,
    // and it names the record write it saw at check time as a cause.
    const stale = updates.find((r) => r.actor === "slow" && (r.data.to as number) < (r.data.from as number) && (r.data.readVersion as number) > 0)!;
    expect(stale).toBeDefined();
    const before = updates.filter((r) => r.seq < stale.seq);
    expect(stale.data.readVersion).toBeLessThan(before.length);
    // Version k was produced by the k-th write of the record.
    expect(stale.causes).toContain(before[(stale.data.readVersion as number) - 1].seq);
  });

  it("send the same version as expectedVersion when fenced", () => {
    const fenced = runScenario(scenarioFromYaml(yaml(", fencing: true")));
    const records = applies(fenced.log);
    expect(records.length).toBeGreaterThan(3);
    for (const r of records) expect(r.data.expectedVersion).toBe(r.data.readVersion);
  });
});
