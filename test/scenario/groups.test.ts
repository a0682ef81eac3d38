// Groups (issue 16 item 2): labels and group selectors resolve to the right members or to located
// errors; aggregate names parse; the group series a run samples equal an independent computation
// over the members' own telemetry at every sample; guards, values and thresholds read aggregates,
// and an agent's decision cites the member reads; `crossfire telemetry` prints group columns.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { aggregateText, parseAggregateName } from "../../sim/model/groups.js";
import { SIGNAL_NAMES } from "../../sim/model/signals.js";
import { loadScenario, loadSuite, loadVariant } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import { evaluateExpectations } from "../../sim/assert/evaluate.js";
import { crossfire } from "../helpers/cli.js";
import { repoPath } from "../helpers/scenarios.js";

const EXAMPLE = "docs/examples/zone-capacity.yaml";

/** A scenario with six cells in two zones, one of them failing from 5m, and the groups given. */
function cells(groups: string, extra = ""): string {
  return `name: g
seed: 7
duration: 10m
step: 5s
components:
  - { id: edge, kind: loadBalancer, targets: [cell-a1, cell-a2, cell-a3, cell-b1, cell-b2, cell-b3] }
  - { id: cell-a1, kind: service, replicas: 3, capacityPerReplica: 50/s, labels: { zone: a, tier: edge } }
  - { id: cell-a2, kind: service, replicas: 4, capacityPerReplica: 50/s, labels: { zone: a } }
  - { id: cell-a3, kind: service, replicas: 5, capacityPerReplica: 50/s, labels: { zone: a } }
  - { id: cell-b1, kind: service, replicas: 2, capacityPerReplica: 50/s, labels: { zone: b, tier: edge } }
  - { id: cell-b2, kind: service, replicas: 6, capacityPerReplica: 50/s, labels: { zone: b } }
  - { id: cell-b3, kind: database, replicas: 1, labels: { zone: b } }
workload:
  - { id: users, target: edge, pattern: { kind: ramp, from: 100/s, to: 900/s, at: 1m, over: 8m } }
faults:
  - { id: outage, start: 5m, duration: 3m, target: cell-b2, effect: errors, rate: 1 }
groups:
${groups}
${extra}`;
}

function problemsOf(text: string): string {
  try {
    loadScenario(text, "g.yaml");
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error("expected the scenario to be refused");
}

describe("group resolution", () => {
  it("selects members by list (as written), pattern and labels (in scenario order)", () => {
    const s = loadScenario(cells(`  - { id: pair, members: [cell-b1, cell-a1] }
  - { id: as, pattern: "cell-a*" }
  - { id: edges, labels: { tier: edge } }
  - { id: zone-b, labels: { zone: b }, description: zone b }`));
    expect(s.groups?.map((g) => [g.id, g.members])).toEqual([
      ["pair", ["cell-b1", "cell-a1"]],
      ["as", ["cell-a1", "cell-a2", "cell-a3"]],
      ["edges", ["cell-a1", "cell-b1"]],
      ["zone-b", ["cell-b1", "cell-b2", "cell-b3"]],
    ]);
    expect(s.groups?.[3].description).toBe("zone b");
    expect(s.components[1].labels).toEqual({ zone: "a", tier: "edge" });
  });

  it("leaves scenarios without groups or labels exactly as they were", () => {
    const s = loadScenario(readFileSync(repoPath("docs/examples/first-scenario.yaml"), "utf8"), "first.yaml", "brownout");
    expect("groups" in s).toBe(false);
    expect(s.components.some((c) => "labels" in c)).toBe(false);
    expect(runScenario(s).telemetry.groups).toBeNull();
  });

  it("reports unknown members, clashing ids, selectors matching nothing and two selectors, located with hints", () => {
    const text = problemsOf(cells(`  - { id: pair, members: [cell-a1, cell-a4] }
  - { id: cell-a1, pattern: "cell-*" }
  - { id: none, pattern: "cel-*" }
  - { id: zone-c, labels: { zone: c } }
  - { id: both, members: [cell-a1], labels: { zone: a } }
  - { id: empty, members: [] }`));
    expect(text).toContain('groups[0].members[1]: expected the id of a component (');
    expect(text).toContain("did you mean `cell-a1`?");
    expect(text).toContain('groups[1].id: expected a group id that is not a component id, found "cell-a1", a component');
    expect(text).toContain('groups[2].pattern: expected a pattern matching at least one component id');
    expect(text).toContain('groups[3].labels: expected labels that some component carries');
    expect(text).toContain("components carry zone: a, b");
    expect(text).toContain("groups[4].labels: expected exactly one selector: members, pattern or labels, found members and labels");
    expect(text).toContain("groups[5].members: expected at least one member component id, found an empty list");
    expect(text).toMatch(/g\.yaml:\d+:\d+: groups\[0\]/);
  });

  it("refuses groups whose sampled aggregates would read more than the per-sample budget", () => {
    const components = Array.from({ length: 200 }, (_, i) => `  - { id: c${i}, kind: service }`).join("\n");
    const groups = Array.from({ length: 900 }, (_, i) => `  - { id: g${i}, pattern: "c*" }`).join("\n");
    const text = problemsOf(`name: big\nseed: 1\nduration: 1m\ncomponents:\n${components}\ngroups:\n${groups}\n`);
    expect(text).toContain("groups: expected groups whose sampled aggregates read at most 1,000,000 member values per sample");
    expect(text).toContain("1,080,000 reads");
  });

  it("refuses labels that are not short strings", () => {
    expect(problemsOf(cells("  - { id: as, pattern: \"cell-a*\" }").replace("labels: { zone: a, tier: edge }", "labels: { zone: 1 }"))).toContain("components[1].labels.zone");
  });
});

describe("aggregate names", () => {
  it("parse and print back, signals before knobs", () => {
    const names = ["count", "countHealthy", "fraction.unavailable", "sum.replicas", "avg.latencyMsP95", "max.weight.cell-a1", "min.flag.newParser"];
    for (const n of names) expect(aggregateText(parseAggregateName(n)!)).toBe(n);
    expect(parseAggregateName("sum.replicas")).toEqual({ kind: "sum", source: "signal", name: "replicas" });
    expect(parseAggregateName("max.weight.cell-a1")).toEqual({ kind: "max", source: "knob", name: "weight.cell-a1" });
    for (const bad of ["summ.replicas", "fraction.down", "counts", "sum.", "replicas", "sum"]) expect(parseAggregateName(bad)).toBeNull();
  });
});

/** The aggregate recomputed from the members' own telemetry at sample k, independently of sim/model/groups.ts. */
function fromMembers(name: string, members: string[], series: (id: string, name: string) => Float32Array, k: number): number {
  const at = (id: string, signal: string) => series(id, signal)[k];
  const share = (test: (id: string) => boolean) => members.filter(test).length / members.length;
  if (name === "count") return members.length;
  if (name === "countHealthy") return members.filter((id) => at(id, "healthy") === 1).length;
  if (name === "fraction.healthy") return share((id) => at(id, "healthy") === 1);
  if (name === "fraction.unhealthy") return share((id) => at(id, "healthy") === 0);
  if (name === "fraction.unavailable") return share((id) => at(id, "available") === 0);
  if (name === "fraction.degraded") return share((id) => at(id, "degraded") > 0);
  const [op, signal] = name.split(".");
  const values = members.map((id) => at(id, signal));
  const sum = values.reduce((a, b) => a + b, 0);
  return op === "sum" ? sum : op === "avg" ? sum / values.length : op === "min" ? Math.min(...values) : Math.max(...values);
}

describe("group telemetry", () => {
  const ids = ["cell-a1", "cell-a2", "cell-a3", "cell-b1", "cell-b2", "cell-b3"];
  it("equals sum, avg, min, max, count, countHealthy and fractions computed from the members' series at every sample (property)", () => {
    fc.assert(
      fc.property(fc.subarray(ids, { minLength: 1 }), fc.constantFrom(...SIGNAL_NAMES), (members, signal) => {
        const scenario = loadScenario(cells(`  - { id: grp, members: [${members.join(", ")}] }`, `expect:\n  - threshold: "grp.avg.${signal} max >= 0"`));
        const run = runScenario(scenario);
        const t = run.telemetry;
        const names = ["count", "countHealthy", ...["healthy", "degraded", "unhealthy", "unavailable"].map((s) => `fraction.${s}`), ...["sum", "avg", "min", "max"].map((op) => `${op}.${signal}`)];
        expect([...t.groups!.signalNames]).toEqual(names);
        for (const name of names) {
          const group = t.series("grp", name);
          for (let k = 0; k < t.count; k++) {
            const expected = fromMembers(name, members, (id, n) => t.series(id, n), k);
            // Members' samples are Float32; the group's aggregate is taken over the unrounded signals, then stored as Float32.
            expect(group[k]).toBeCloseTo(expected, Math.abs(expected) > 100 ? 1 : 4);
          }
        }
      }),
      { numRuns: 12, seed: 16 },
    );
  });

  it("varies: the fault and the ramp show in the group series (the property is not vacuous)", () => {
    const run = runScenario(loadScenario(cells("  - { id: zone-b, labels: { zone: b } }", 'expect:\n  - threshold: "zone-b.sum.loadRps max >= 0"')));
    const healthy = run.telemetry.series("zone-b", "countHealthy");
    expect(Math.min(...healthy)).toBeLessThan(3);
    expect(Math.max(...healthy)).toBe(3);
    const load = run.telemetry.series("zone-b", "sum.loadRps");
    expect(load[load.length - 1]).toBeGreaterThan(load[0] * 2);
  });
});

describe("aggregates in statechart agents and expectations", () => {
  const text = readFileSync(repoPath(EXAMPLE), "utf8");

  it("the example's rightsizers stop at the floor on their zone's sum.replicas only when coordinated", () => {
    const blind = runScenario(loadVariant(text, EXAMPLE, "blind").scenario);
    const coordinated = runScenario(loadVariant(text, EXAMPLE, "coordinated").scenario);
    expect(Math.min(...blind.telemetry.series("cells", "sum.replicas"))).toBe(39);
    expect(Math.min(...coordinated.telemetry.series("cells", "sum.replicas"))).toBe(60);
    expect([...coordinated.telemetry.series("zone-a", "sum.replicas")].at(-1)).toBe(20);
  });

  it("an agent's command cites the member reads of the aggregate it compared (the earlier write to a member's replicas)", () => {
    const run = runScenario(loadVariant(text, EXAMPLE, "blind").scenario);
    const writes = run.log.filter((r) => r.type === "replicas.scaled" && r.actor === "rightsizer-a");
    expect(writes.length).toBeGreaterThan(2);
    // zone-a.sum.replicas reads cell-a1.replicas, whose provenance is the rightsizer's previous write.
    expect(writes[1].causes).toContain(writes[0].seq);
  });

  it("reads an aggregate in a value expression (remember), and a guard explains itself with the group's name", () => {
    const scenario = cells("  - { id: zone-a, labels: { zone: a } }", `agents:
  - id: watcher
    kind: statechart
    evaluationPeriod: 1m
    context: { seen: 0 }
    initial: idle
    states:
      idle:
        on:
          wake:
            guard: { signal: { component: zone-a, name: sum.replicas, op: ">=", value: 12 } }
            actions:
              - remember: { key: seen, value: { signal: zone-a.avg.replicas, times: 3 } }
              - set: { target: cell-a1, knob: replicas, value: { context: seen, plus: -6 } }`);
    const run = runScenario(loadScenario(scenario));
    const write = run.log.find((r) => r.type === "replicas.scaled" && r.actor === "watcher")!;
    // avg.replicas of zone a = (3 + 4 + 5) / 3 = 4; x3 = 12; -6 = 6.
    expect(write.data).toMatchObject({ from: 3, to: 6 });
    expect(String(write.data.reason)).toContain("zone-a.sum.replicas = 12 >= 12");
  });

  it("thresholds pass or fail on a group series at every sample, with an aggregator or without", () => {
    const scenario = loadVariant(cells("  - { id: zone-b, labels: { zone: b } }", `expect:
  - threshold: "zone-b.count == 3"
  - threshold: "zone-b.countHealthy >= 3"
  - threshold: "zone-b.fraction.unhealthy: max >= 0.3"
  - threshold: "zone-b.sum.replicas >= 9 over ..5m"`), "g.yaml");
    const run = runScenario(scenario.scenario);
    const results = evaluateExpectations(scenario.expectations, { scenario: scenario.scenario, log: run.log, telemetry: run.telemetry } as never, []);
    expect(results.map((r) => r.passed)).toEqual([true, false, true, true]);
    expect(results[1].observed).toMatch(/^zone-b\.countHealthy = [0-2] at .* \(misses at \d+ of \d+ samples, first at /);
    expect(results[3].observed).toContain("holds at all");
  });

  it("refuses an aggregate on a component, a plain signal on a group and an unknown group, with hints", () => {
    const text = problemsOf(cells("  - { id: zone-b, labels: { zone: b } }", `expect:
  - threshold: "cell-a1.sum.replicas >= 3"
  - threshold: "zone-b.replicas max >= 3"
  - threshold: "zone-c.sum.replicas >= 3"`));
    expect(text).toContain('expect[0].threshold: expected the id of a group (zone-b) before an aggregate name such as `sum.replicas`, found "cell-a1"');
    expect(text).toContain('expect[1].threshold: expected an aggregate of group zone-b');
    expect(text).toContain("did you mean `avg.replicas` or `sum.replicas`?");
    expect(text).toContain('expect[2].threshold: expected the id of a group (zone-b)');
    expect(text).toContain("did you mean `zone-b`?");
  });

  it("refuses a knob aggregate over members without that knob, naming them", () => {
    const text = problemsOf(cells("  - { id: all, pattern: \"cell-*\" }", `expect:\n  - threshold: "all.max.cpuRequestMillicores max <= 1"`));
    expect(text).toContain("lack");
    expect(text).toContain("cell-a1");
  });
});

describe("crossfire telemetry with groups", () => {
  it("prints group columns selected by 'cells.*', the same from the run file", () => {
    const r = crossfire(["telemetry", repoPath(EXAMPLE), "--variant", "coordinated", "--signals", "cells.*"]);
    expect(r.code).toBe(0);
    const header = r.stdout.split("\n")[0];
    expect(header).toBe("tMs,time,cells.count,cells.countHealthy,cells.fraction.healthy,cells.fraction.degraded,cells.fraction.unhealthy,cells.fraction.unavailable,cells.sum.replicas,cells.avg.replicas,cells.min.replicas,cells.max.replicas");
    const dir = mkdtempSync(join(tmpdir(), "crossfire-groups-"));
    const out = join(dir, "run.ndjson");
    expect(crossfire(["run", repoPath(EXAMPLE), "--variant", "coordinated", "--out", out, "--quiet"]).code).toBe(0);
    expect(crossfire(["verify", out]).code).toBe(0);
    expect(crossfire(["telemetry", out, "--signals", "cells.*"]).stdout).toBe(r.stdout);
    // Only the aggregates the scenario reads are sampled: nothing reads the cells' utilization.
    expect(crossfire(["telemetry", out, "--signals", "cells.sum.utilization"]).code).toBe(2);
  });

  it("does not add group series to suites without groups", () => {
    const suite = loadSuite(readFileSync(repoPath("docs/examples/kill-switch.yaml"), "utf8"), "kill-switch.yaml");
    for (const v of suite.variants) expect(v.scenario.groups).toBeUndefined();
  });
});
