// The `document` value source of statechart agents: the newest live version of a document, e.g.
// an operator pointing a DNS record back at the newest plan. The read names the put as a cause.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const yaml = (value: string) => `
name: operator-restore
seed: 1
duration: 5m
step: 5s
components:
  - { id: plans, kind: documentStore, documents: [ { name: plan, version: 1, rows: 3 } ] }
  - { id: dns, kind: dnsRecord, store: plans, document: plan, plan: 0, targets: [db] }
  - { id: db, kind: database }
agents:
  - { id: planner, kind: planPublisher, store: plans, document: plan, evaluationPeriod: 30s }
  - id: operator
    kind: statechart
    initial: waiting
    states:
      waiting:
        after:
          100s: { target: done, actions: { set: { target: dns, knob: plan, value: ${value}, reason: "restore the record by hand" } } }
      done: {}
`;

describe("value source `document`", () => {
  it("reads the newest live version number and names its put as the cause", () => {
    const run = runScenario(scenarioFromYaml(yaml("{ document: plans.plan }")));
    const restore = run.log.find((r) => r.type === "record.updated")!;
    // The planner put versions 2 and 3 at 30 s and 60 s, 4 at 90 s.
    expect(restore.data.to).toBe(4);
    const put = run.log.find((r) => r.type === "document.put" && r.data.version === 4)!;
    expect(restore.causes).toEqual([put.seq]);
    expect(run.telemetry.series("dns", "available").at(-1)).toBe(1);
  });

  it("takes the usual modifiers", () => {
    const run = runScenario(scenarioFromYaml(yaml("{ document: plans.plan, plus: -1 }")));
    expect(run.log.find((r) => r.type === "record.updated")!.data.to).toBe(3);
  });

  it("must name a document store, as `store.document`", () => {
    for (const [value, message] of [
      ["{ document: db.plan }", /expected a reference `store.document` to a documentStore, found "db", a database/],
      ["{ document: plans }", /expected a reference `store.document` such as `plans.plan`, found "plans"/],
      ["{ document: plan.plan }", /value\.document: expected the id of a component \(plans, dns, db\), found "plan"\n  hint: did you mean `plans`\?/],
    ] as const) {
      let error: unknown;
      try {
        scenarioFromYaml(yaml(value));
      } catch (e) {
        error = e;
      }
      expect(error, value).toBeInstanceOf(ScenarioError);
      expect((error as Error).message, value).toMatch(message);
    }
  });
});
