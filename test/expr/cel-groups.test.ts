// Group aggregates in CEL expressions of statechart agents: the scenario catalogue (one entry per
// group with the aggregates every member supports), the located error naming members that lack a
// name, and evaluation through evaluateAggregate over member reads that become causes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { groupCatalogue, scenarioCatalogue } from "../../sim/expr/catalogue.js";
import { compile, evaluate } from "../../sim/expr/cel.js";
import { groupReader } from "../../sim/expr/reader.js";
import { exprEnv } from "../../sim/expr/types.js";
import { memberLacks, parseAggregateName } from "../../sim/model/groups.js";
import { loadScenario } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";

/** Two zones of cells (zone b has a database with no pool) and an agent whose guard is `guard`. */
function zones(guard: string, action = `- set: { target: cell-a1, knob: replicas, value: { knob: cell-a1.replicas, plus: -1, min: 1 } }`): string {
  return `name: cel-groups
seed: 3
duration: 10m
step: 5s
components:
  - { id: edge, kind: loadBalancer, targets: [cell-a1, cell-a2, cell-b1, cell-b2] }
  - { id: cell-a1, kind: service, replicas: 10, replicasMin: 1, capacityPerReplica: 100/s, pool: { size: 8 }, labels: { zone: a } }
  - { id: cell-a2, kind: service, replicas: 10, replicasMin: 1, capacityPerReplica: 100/s, pool: { size: 8 }, labels: { zone: a } }
  - { id: cell-b1, kind: service, replicas: 6, capacityPerReplica: 100/s, labels: { zone: b } }
  - { id: cell-b2, kind: database, replicas: 2, labels: { zone: b } }
groups:
  - { id: zone, labels: { zone: a } }
  - { id: zone-b, labels: { zone: b } }
  - { id: cells, pattern: "cell-*" }
workload:
  - { id: users, target: edge, pattern: { kind: constant, rate: 200/s } }
agents:
  - id: trimmer
    kind: statechart
    evaluationPeriod: 1m
    initial: watching
    states:
      watching:
        on:
          wake:
            guard: { cel: ${JSON.stringify(guard)} }
            actions:
              ${action}
`;
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

describe("the scenario catalogue", () => {
  const s = loadScenario(zones("zone.sum.replicas > 14.0"), "g.yaml");

  it("has one entry per component, then one per group with count, countHealthy, fractions and op.<name> over names every member has", () => {
    const catalogue = scenarioCatalogue(s.components, s.groups);
    expect(catalogue.map((e) => `${e.kind}:${e.id}`)).toEqual(["component:edge", "component:cell-a1", "component:cell-a2", "component:cell-b1", "component:cell-b2", "group:zone", "group:zone-b", "group:cells"]);
    const zone = catalogue.find((e) => e.id === "zone")!;
    for (const n of ["count", "countHealthy", "fraction.unhealthy", "fraction.healthy", "sum.replicas", "avg.latencyMsP95", "max.poolUtilization"]) expect(zone.names).toContain(n);
    const zoneB = catalogue.find((e) => e.id === "zone-b")!;
    expect(zoneB.names).not.toContain("max.poolUtilization");
    expect(zoneB.lacking?.["max.poolUtilization"]).toEqual(["cell-b1", "cell-b2"]);
    expect(scenarioCatalogue(s.components, undefined)).toHaveLength(5);
  });

  it("agrees with memberLacks on every aggregate name it lists or says is lacking (property)", () => {
    const entries = groupCatalogue(s.groups!, s.components);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: entries.length - 1 }), fc.nat(), (gi, ni) => {
        const e = entries[gi];
        const all = [...e.names, ...Object.keys(e.lacking ?? {})];
        const name = all[ni % all.length];
        const members = s.groups![gi].members.map((m) => s.components.find((c) => c.id === m)!);
        const lacks = memberLacks(parseAggregateName(name)!, members);
        expect(lacks).toEqual(e.names.includes(name) ? [] : e.lacking![name]);
      }),
    );
  });

  it("compiles group reads and evaluates them through evaluateAggregate over the members", () => {
    const env = exprEnv(scenarioCatalogue(s.components, s.groups));
    const compiled = compile("cells.count == 4.0 && c['zone-b'].sum.replicas == 8.0 && zone.avg.replicas * 2.0 == zone.sum.replicas", env, [], "bool");
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    expect(compiled.program.reads.map((r) => `${r.id}.${r.name}`)).toEqual(["cells.count", "zone-b.sum.replicas", "zone.avg.replicas", "zone.sum.replicas"]);
    const replicas: Record<string, number> = { "cell-a1": 10, "cell-a2": 10, "cell-b1": 6, "cell-b2": 2 };
    const memberReads: string[] = [];
    const members = { signal: (id: string, n: string) => (memberReads.push(`${id}.${n}`), n === "replicas" ? replicas[id] : 1), knob: (id: string) => replicas[id] };
    const out = evaluate(compiled.program, groupReader(s.groups, members, () => NaN));
    expect(out).toMatchObject({ ok: true, value: true });
    expect(memberReads).toContain("cell-b2.replicas");
  });
});

describe("group aggregates in statechart CEL guards", () => {
  it("a CEL guard on zone.sum.replicas acts until the sum reaches the bound, and each command cites the member reads", () => {
    const run = runScenario(loadScenario(zones("zone.sum.replicas > 14.0 && cells.fraction.unhealthy == 0.0"), "g.yaml"));
    const writes = run.log.filter((r) => r.type === "replicas.scaled" && r.actor === "trimmer");
    // zone a starts at 10 + 10 = 20 and loses one replica per decision until the sum is 14.
    expect(writes.map((w) => w.data.to)).toEqual([9, 8, 7, 6, 5, 4]);
    // zone.sum.replicas reads cell-a1.replicas, whose provenance is the trimmer's previous write.
    for (let i = 1; i < writes.length; i++) expect(writes[i].causes).toContain(writes[i - 1].seq);
    expect(JSON.stringify(writes[0].data)).toContain("zone.sum.replicas = 20 > 14.0");
  });

  it("is deterministic: the same file gives the same final hash, and a different bound a different one", () => {
    const text = zones("zone.sum.replicas > 14.0 && cells.fraction.unhealthy == 0.0");
    const a = runScenario(loadScenario(text, "g.yaml"));
    expect(runScenario(loadScenario(text, "g.yaml")).finalHash).toBe(a.finalHash);
    expect(runScenario(loadScenario(zones("zone.sum.replicas > 16.0 && cells.fraction.unhealthy == 0.0"), "g.yaml")).finalHash).not.toBe(a.finalHash);
  });

  it("reads a group with a dash through c['zone-b'] and counts healthy members", () => {
    const run = runScenario(loadScenario(zones("c['zone-b'].countHealthy == 2.0 && c['zone-b'].sum.replicas < 9.0 && zone.sum.replicas > 19.0"), "g.yaml"));
    const writes = run.log.filter((r) => r.type === "replicas.scaled" && r.actor === "trimmer");
    expect(writes).toHaveLength(1);
  });

  it("refuses an aggregate over a name a member lacks, naming the members, located in the expression", () => {
    const msg = problemsOf(zones("c['zone-b'].max.poolUtilization > 0.5"));
    expect(msg).toContain('expected an aggregate every member of zone-b has (signal `poolUtilization`), found "zone-b.max.poolUtilization", but cell-b1, cell-b2 lack it');
    // `guard: { cel: "c['zone-b'].max.poolUtilization > 0.5" }`: the column of `poolUtilization`.
    const line = zones("c['zone-b'].max.poolUtilization > 0.5").split("\n").findIndex((l) => l.includes("poolUtilization")) + 1;
    const col = zones("c['zone-b'].max.poolUtilization > 0.5").split("\n")[line - 1].indexOf("poolUtilization") + 1;
    expect(msg).toContain(`g.yaml:${line}:${col}:`);
  });

  it("refuses an unknown aggregate of a group with the names it has", () => {
    expect(problemsOf(zones("zone.total.replicas > 1.0"))).toMatch(/a name of group zone \(count, countHealthy, fraction, sum, avg, min, max\)/);
  });

  it("counts a group read's member reads into the CEL cost", () => {
    const s = loadScenario(zones("cells.sum.replicas > 0.0"), "g.yaml");
    const a = s.agents[0] as unknown as { states: Record<string, { wake: { guard: { cost: number } }[] }> };
    const t = loadScenario(zones("c['cell-a1'].replicas > 0.0"), "g.yaml").agents[0] as unknown as typeof a;
    expect(a.states.watching.wake[0].guard.cost - t.states.watching.wake[0].guard.cost).toBe(4);
  });
});
