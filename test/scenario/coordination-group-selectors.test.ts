// Group selectors in the group policies: `bounds: [{ group, knob }]` resolves to the members' knob
// keys (labelled `<group>.<knob>`), `failStatic: [{ watchGroup }]` to the members; an unknown
// group, a knob a member lacks, or both/neither selectors are located problems. Through a run,
// the group bound refuses the write that would take the group's sum under its floor.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { loadScenario } from "../../sim/scenario/load.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const base = `name: t
seed: 1
duration: 10m
step: 5s
components:
  - { id: db, kind: service, replicas: 2 }
  - { id: cell-a, kind: service, replicas: 6, replicasMin: 1, capacityPerReplica: 100/s, labels: { zone: a } }
  - { id: cell-b, kind: service, replicas: 6, replicasMin: 1, capacityPerReplica: 100/s, labels: { zone: b } }
  - { id: cell-c, kind: service, replicas: 6, replicasMin: 1, capacityPerReplica: 100/s, labels: { zone: a } }
groups:
  - { id: cells, pattern: "cell-*" }
  - { id: zone-a, labels: { zone: a } }
`;

describe("group selectors", () => {
  it("resolve bounds to the members' knob and failStatic to the members", () => {
    const s = scenarioFromYaml(`${base}coordination:
  bounds: [{ group: zone-a, knob: replicas, aggregate: sum, min: 8 }]
  failStatic: [{ watchGroup: cells, unhealthyFraction: 0.5, knobs: [cell-*.replicas] }]
`);
    expect(s.coordination.bounds).toEqual([{ label: "zone-a.replicas", keys: ["cell-a.replicas", "cell-c.replicas"], aggregate: "sum", min: 8 }]);
    expect(s.coordination.failStatic![0]).toMatchObject({ watch: ["group cells"], components: ["cell-a", "cell-b", "cell-c"], downMin: 2 });
  });

  it("locate an unknown group with the closest id, a knob a member lacks, and both or neither selectors", () => {
    const bad = `${base}coordination:
  bounds:
    - { group: cels, knob: replicas, aggregate: sum, min: 8 }
    - { group: cells, knob: replica, aggregate: sum, min: 8 }
    - { group: cells, knob: replicas, knobs: [cell-a.replicas], aggregate: sum, min: 8 }
    - { aggregate: sum, min: 8 }
  failStatic:
    - { watchGroup: zone-b, quorum: 1, knobs: [cell-*.replicas] }
    - { quorum: 1, knobs: [cell-*.replicas] }
`;
    let message = "";
    try {
      loadScenario(bad, "g.yaml");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('g.yaml:15:16: coordination.bounds[0].group: expected the id of a group (cells, zone-a), found "cels"\n  hint: did you mean `cells`?');
    expect(message).toContain('coordination.bounds[1].knob: expected a knob every member of cells has (replicas), found "replica", which cell-a, cell-b, cell-c lack');
    expect(message).toContain("coordination.bounds[2]: expected exactly one of `knobs` (knob patterns) or `group` with `knob`, found both");
    expect(message).toContain("coordination.bounds[3]: expected exactly one of `knobs` (knob patterns) or `group` with `knob`, found neither");
    expect(message).toMatch(/coordination\.failStatic\[0\]\.watchGroup: expected the id of a group \(cells, zone-a\), found "zone-b"/);
    expect(message).toContain("coordination.failStatic[1]: expected exactly one of `watch` (component ids or patterns) or `watchGroup` (a group id), found neither");
  });

  it("a bound over a group refuses the write that takes the group's sum below the floor", () => {
    const run = runScenario(loadScenario(`${base}agents:
  - id: trim
    kind: statechart
    evaluationPeriod: 1m
    initial: trimming
    states:
      trimming:
        on:
          wake:
            actions:
              - set: { target: cell-a, knob: replicas, value: { knob: cell-a.replicas, plus: -1, min: 1 }, reason: trim }
coordination:
  bounds: [{ group: zone-a, knob: replicas, aggregate: sum, min: 10 }]
`, "g.yaml"));
    const scaled = run.log.filter((r) => r.type === "replicas.scaled").map((r) => r.data.to);
    expect(scaled).toEqual([5, 4]);
    const rejected = run.log.find((r) => r.type === "command.rejected")!;
    expect(rejected.data).toMatchObject({ policy: "bounds", reason: "cell-a.replicas 4 -> 3 would take the sum of zone-a.replicas from 10 to 9, below the floor of 10" });
  });
});
