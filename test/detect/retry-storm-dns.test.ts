// A DNS record that stops resolving is a trigger for the retry-storm detector: DWFM's lease table
// calls DynamoDB through its endpoint record, and its re-leasing collapse after the record is
// restored is a storm whose trigger is the write that emptied the record.
import { describe, expect, it } from "vitest";
import { detect } from "../../sim/detect/index.js";
import { runScenario } from "../../sim/engine/engine.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const yaml = (emptyTo: number, queueLimit = 0) => `
name: dwfm-behind-dns
seed: 1
duration: 25m
step: 1s
components:
  - { id: plans, kind: documentStore, documents: [ { name: plan, version: 1, rows: 3 }, { name: plan, version: 2, rows: 0 } ] }
  - { id: ddb-dns, kind: dnsRecord, store: plans, document: plan, plan: 1, ttl: 60s, targets: [ddb] }
  - { id: ddb, kind: database, replicas: 4 }
  - { id: dwfm, kind: leaseTable, leases: 10000, leaseDuration: 5m, workers: 16, workPerLease: 50ms, jobTimeout: 30s, queueLimit: ${queueLimit}, dependsOn: [ddb-dns] }
agents:
  - id: operator
    kind: statechart
    initial: steady
    states:
      steady:
        after:
          1m: { target: emptied, actions: { set: { target: ddb-dns, knob: plan, value: ${emptyTo}, reason: "point the record at an unusable plan" } } }
      emptied:
        after:
          8m: { target: restored, actions: { set: { target: ddb-dns, knob: plan, value: 1, reason: "restore the record by hand" } } }
      restored: {}
`;

describe("retry storms triggered by a DNS record that does not resolve", () => {
  for (const [what, emptyTo] of [["points at no plan (0)", 0], ["points at a plan with no rows", 2], ["points at a plan that does not exist", 7]] as const) {
    it(`finds DWFM's collapse after the record ${what} and is restored, with the emptying write as root cause`, () => {
      const run = runScenario(scenarioFromYaml(yaml(emptyTo)));
      const [emptied, restored] = run.log.filter((r) => r.type === "record.updated");
      const storms = detect(run).filter((f) => f.kind === "retryStorm");
      expect(storms).toHaveLength(1);
      expect(storms[0]).toMatchObject({ components: ["dwfm"], actors: ["operator"], rootCauses: [emptied.seq] });
      expect(storms[0].witnesses).toEqual(expect.arrayContaining([emptied.seq, restored.seq]));
      expect(storms[0].metrics.triggerMs).toBe(8 * 60_000);
      expect(storms[0].metrics.ongoing).toBe(1);
      expect(storms[0].explanation[1]).toContain(`Trigger: #${emptied.seq} operator set ddb-dns.plan 1->${emptyTo}`);
    });
  }

  it("finds none when queue-size admission control lets DWFM re-lease in time", () => {
    const run = runScenario(scenarioFromYaml(yaml(0, 2000)));
    expect(detect(run).filter((f) => f.kind === "retryStorm")).toEqual([]);
  });
});
