// The causal graph of real runs: a fault cascading lb -> web -> db, the DynamoDB DNS race,
// and the perf <-> cost thrash loop of scenarios/cost-vs-performance.yaml.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCausalGraph } from "../../sim/causal/graph.js";
import { detect } from "../../sim/detect/index.js";
import { runScenario } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";

const CASCADE_YAML = `
name: causal-cascade
seed: 1
duration: 30m
step: 5s
components:
  - { id: lb, kind: loadBalancer, targets: [web] }
  - { id: web, kind: service, replicas: 4, dependsOn: [db] }
  - { id: db, kind: database, replicas: 1 }
workload:
  - { id: users, target: lb, pattern: { kind: constant, rate: 200/s } }
faults:
  - { id: db-down, start: 10m, duration: 10m, target: db, effect: errors, rate: 1 }
`;

describe("a fault cascading lb -> web -> db", () => {
  const scenario = scenarioFromYaml(CASCADE_YAML);
  const run = runScenario(scenario);
  const graph = buildCausalGraph(run.log, { agents: [] });
  const fault = run.log.find((r) => r.type === "fault.started")!;
  const lbDown = run.log.find((r) => r.type === "health.changed" && r.target === "lb" && r.data.healthy === false)!;

  it("names the injected fault as the root cause of the outermost caller's first failure", () => {
    for (const mode of ["proximate", "origin"] as const) {
      const roots = graph.rootCauses(lbDown.seq, { mode });
      expect(roots.map((r) => r.seq), mode).toEqual([fault.seq]);
      expect(roots[0].kind).toBe("fault");
      expect(roots[0].reason).toContain("fault db-down (errors) started on db at 00:10:00");
    }
  });

  it("never names a symptom, and agrees with the cascade finding", () => {
    const finding = detect({ scenario, log: run.log, telemetry: run.telemetry }).find((f) => f.kind === "cascade")!;
    expect(finding.rootCauses).toEqual([fault.seq]);
    for (const w of finding.witnesses) {
      const roots = graph.rootCauses(w);
      expect(roots.map((r) => r.seq)).toEqual(finding.rootCauses);
      for (const r of roots) expect(run.log[r.seq].type).not.toBe("health.changed");
    }
  });

  it("puts every component's failure and the fault's end in the fault's blast radius", () => {
    const blast = graph.blastRadius(fault.seq);
    expect(blast.components).toEqual(expect.arrayContaining(["lb", "web", "db"]));
    expect(blast.byType["fault.ended"]).toBe(1);
    expect(blast.actors).toEqual([]);
    expect(graph.path(fault.seq, lbDown.seq)).toEqual([fault.seq, lbDown.seq]);
  });
});

describe("the DynamoDB DNS race (scenarios/dynamodb-dns-race.yaml, blind)", () => {
  const file = "scenarios/dynamodb-dns-race.yaml";
  const scenario = loadVariant(readFileSync(repoPath(file), "utf8"), file, "blind").scenario;
  const run = runScenario(scenario);
  const graph = buildCausalGraph(run.log, { agents: scenario.agents.map((a) => a.id) });

  // Found by meaning, not seq: enactor-a's apply that sets the record to an older plan generation
  // than the one applied, the clean-up's deletion of that generation, and the stall of enactor-a.
  const staleApply = run.log.find((r) => r.type === "record.updated" && r.actor === "enactor-a" && (r.data.to as number) < (r.data.from as number))!;
  const deletion = run.log.find((r) => r.type === "document.deleted" && r.data.version === staleApply.data.to)!;
  const stall = run.log.find((r) => r.type === "fault.started" && r.target === "enactor-a")!;

  it("names the enactor-a stall, ranked first, among the root causes of the stale apply", () => {
    const roots = graph.rootCauses(staleApply.seq);
    expect(roots[0]).toMatchObject({ seq: stall.seq, rank: 0, kind: "fault", actor: stall.actor });
    expect(roots[0].reason).toMatch(/^fault: #\d+ fault enactor-a-stall \(agentCrash\) started on enactor-a at /);
    // The rest are the routine plan puts and record write its check read.
    for (const r of roots.slice(1)) expect(r.kind).toBe("routine action");
  });

  it("names the stall, the stale apply and the clean-up's deletion, ahead of any routine write, as the causes of the record's and the app's failure", () => {
    for (const target of ["ddb-dns", "app"]) {
      const down = run.log.find((r) => r.type === "health.changed" && r.target === target && r.data.healthy === false)!;
      const roots = graph.rootCauses(down.seq);
      expect(roots.slice(0, 3).map((r) => [r.seq, r.kind]), target).toEqual([
        [stall.seq, "fault"],
        [staleApply.seq, "stale write"],
        [deletion.seq, "deletion"],
      ]);
      expect(roots[0].behindAction, target).toBe(true);
      expect(roots[1].against, target).toBe(run.log.filter((r) => r.type === "record.updated" && r.seq < staleApply.seq).at(-1)!.seq);
      expect(roots[1].reason).toMatch(/^stale write \(based on version 2 of ddb-dns\.plan; enactor-c's #\d+ wrote it since\): /);
      for (const r of roots.slice(3)) expect(r.rank, target).toBeGreaterThanOrEqual(2);
      expect(roots.some((r) => run.log[r.seq].actor === "planner" && r.rank < 2)).toBe(false);
    }
    // Origin mode goes further back: the stale apply is itself based on the planner's old plan.
    const put = run.log.find((r) => r.type === "document.put" && r.data.version === staleApply.data.to)!;
    expect(graph.path(put.seq, staleApply.seq)).toEqual([put.seq, staleApply.seq]);
  });
});

describe("scenarios/cost-vs-performance.yaml (base scenario)", () => {
  const text = readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8");
  const scenario = scenarioFromYaml(text.slice(0, text.indexOf("\nexpect:")));
  const run = runScenario(scenario);
  const graph = buildCausalGraph(run.log, { agents: scenario.agents.map((a) => a.id) });
  const influence = graph.influence();

  it("has perf -> cost and cost -> perf edges, each counting the other's commands it caused", () => {
    const scalings = run.log.filter((r) => r.type === "replicas.scaled");
    const causedByOther = (actor: string) => scalings.filter((r) => r.actor === actor && r.causes.some((c) => run.log[c].type === "replicas.scaled" && run.log[c].actor !== actor)).length;
    expect(influence.agents).toEqual(["perf", "cost"]);
    expect(influence.edges.map((e) => [e.from, e.to, e.count])).toEqual([
      ["cost", "perf", causedByOther("perf")],
      ["perf", "cost", causedByOther("cost")],
    ]);
    expect(Math.min(...influence.edges.map((e) => e.count))).toBeGreaterThanOrEqual(20);
  });

  it("finds exactly one cycle, [cost, perf]", () => {
    expect(influence.cycles).toEqual([["cost", "perf"]]);
    expect(influence.components).toEqual([["cost", "perf"]]);
    expect(influence.cyclesTruncated).toBe(false);
  });

  it("traces a late command back to the other agent's last command, or to the first command of the loop", () => {
    const last = run.log.filter((r) => r.type === "replicas.scaled").at(-1)!;
    const proximate = graph.rootCauses(last.seq);
    expect(proximate).toHaveLength(1);
    expect(run.log[proximate[0].seq].actor).not.toBe(last.actor);
    const origin = graph.rootCauses(last.seq, { mode: "origin" });
    expect(origin.map((r) => r.seq)).toEqual([run.log.find((r) => r.type === "replicas.scaled")!.seq]);
  });
});
