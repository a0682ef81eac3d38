// Layout data for the causal views: space-time lanes and nodes, and the bounded, layered
// neighbourhood of one event ordered by barycenters. Both must be deterministic.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCausalGraph } from "../../sim/causal/graph.js";
import { neighbourhoodLayout, spaceTimeLayout } from "../../sim/causal/layout.js";
import { runScenario } from "../../sim/engine/engine.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";
import { HandLog } from "./logs.js";

const text = readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8");
const scenario = scenarioFromYaml(text.slice(0, text.indexOf("\nexpect:")));
const run = runScenario(scenario);

describe("spaceTimeLayout", () => {
  it("is deterministic: the same log, or a re-run's, gives deep-equal output", () => {
    const a = spaceTimeLayout(run.log);
    expect(spaceTimeLayout(run.log)).toEqual(a);
    expect(spaceTimeLayout(runScenario(scenario).log)).toEqual(a);
  });

  it("orders lanes by first appearance with the engine last, or leaves the engine out", () => {
    const h = new HandLog();
    h.workload(1000, "users", "lb", 1, 2);
    h.scale(2000, "zeta", "web", 1, 2, [0]);
    h.fault(3000, "db-down", "db");
    h.scale(4000, "alpha", "web", 2, 1, [2]);
    h.health(5000, "db", false, [3]);
    const lanes = spaceTimeLayout(h.records).lanes;
    expect(lanes.map((l) => [l.actor, l.kind, l.count])).toEqual([
      ["users", "workload", 1],
      ["zeta", "agent", 1],
      ["db-down", "fault", 1],
      ["alpha", "agent", 1],
      ["db", "component", 1],
      ["engine", "engine", 1],
    ]);
    expect(spaceTimeLayout(h.records, { omitEngine: true }).lanes.map((l) => l.actor)).toEqual(["users", "zeta", "db-down", "alpha", "db"]);
    expect(spaceTimeLayout(run.log).lanes.map((l) => l.actor)).toEqual(["perf", "cost", "engine"]);
  });

  it("draws every record once, x = time, and only edges between visible records", () => {
    const all = spaceTimeLayout(run.log);
    expect(all.nodes).toHaveLength(run.log.length);
    expect(all.nodes[5]).toEqual({ seq: 5, lane: all.lanes.findIndex((l) => l.actor === run.log[5].actor), t: run.log[5].t });
    expect(all.edges).toHaveLength(run.log.reduce((n, r) => n + r.causes.length, 0));
    expect(all.hiddenCauses).toBe(0);

    const window = spaceTimeLayout(run.log, { fromMs: 3_600_000, toMs: 7_200_000, omitEngine: true });
    const visible = new Set(window.nodes.map((n) => n.seq));
    for (const n of window.nodes) expect(n.t >= 3_600_000 && n.t <= 7_200_000).toBe(true);
    for (const e of window.edges) expect(visible.has(e.from) && visible.has(e.to)).toBe(true);
    expect(window.hiddenCauses).toBeGreaterThan(0); // run.started and the command before the window
    expect(window.fromMs).toBeGreaterThanOrEqual(3_600_000);

    const cost = spaceTimeLayout(run.log, { actors: ["cost", "nobody"] });
    expect(cost.lanes.map((l) => l.actor)).toEqual(["cost"]);
    expect(cost.nodes.every((n) => run.log[n.seq].actor === "cost")).toBe(true);
  });
});

describe("neighbourhoodLayout", () => {
  const graph = buildCausalGraph(run.log, { agents: ["perf", "cost"] });

  it("is deterministic", () => {
    const a = neighbourhoodLayout(graph, 40);
    expect(neighbourhoodLayout(graph, 40)).toEqual(a);
    expect(neighbourhoodLayout(buildCausalGraph(runScenario(scenario).log), 40)).toEqual(a);
  });

  it("puts ancestors on negative layers and descendants on positive ones, every edge pointing forward", () => {
    const n = neighbourhoodLayout(graph, 40, { omitEngine: true });
    expect(n.layers.find((l) => l.layer === 0)!.seqs).toEqual([40]);
    expect(n.layers.map((l) => l.layer)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(n.nodes.map((x) => x.seq)).toEqual([37, 38, 39, 40, 41, 42, 43]);
    expect(n.nodes.some((x) => x.seq === 0)).toBe(false);
    const layer = new Map(n.nodes.map((x) => [x.seq, x.layer]));
    for (const e of n.edges) expect(layer.get(e.from)!).toBeLessThan(layer.get(e.to)!);
    expect(n.dropped).toBe(0);
    expect(n.complete).toBe(true);
  });

  it("stays within maxNodes, dropping the farthest first, and reports how many it dropped", () => {
    const h = new HandLog();
    const hub = h.scale(60_000, "perf", "web", 4, 6, [0]);
    const first = h.health(61_000, "web", true, [hub]);
    for (let k = 1; k < 100; k++) h.health(61_000 + k * 1000, `c${k}`, true, [hub]);
    h.health(300_000, "web", false, [first]); // depth 2 from the hub
    const g = buildCausalGraph(h.records);
    const n = neighbourhoodLayout(g, hub, { maxNodes: 10 });
    expect(n.nodes).toHaveLength(10);
    // 100 children and run.started at distance 1, one grandchild at 2: 102 candidates, 9 kept.
    expect(n.dropped).toBe(93);
    expect(n.nodes.filter((x) => x.seq !== hub).map((x) => x.seq)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(n.nodes.every((x) => x.depth <= 1)).toBe(true);
    expect(neighbourhoodLayout(g, hub, { maxNodes: 1 })).toMatchObject({ nodes: [{ seq: hub, layer: 0, order: 0, depth: 0 }], edges: [], dropped: 102 });
  });

  it("orders layers by barycenters to remove crossings", () => {
    const h = new HandLog(false);
    const g1 = h.scale(1000, "a", "x", 1, 2, []);
    const g2 = h.scale(2000, "b", "x", 2, 3, []);
    const p1 = h.health(3000, "x", true, [g2]);
    const p2 = h.health(4000, "y", true, [g1]);
    const c = h.health(5000, "z", true, [p1, p2]);
    const n = neighbourhoodLayout(buildCausalGraph(h.records), c);
    expect(n.layers).toEqual([
      { layer: -2, seqs: [g2, g1] },
      { layer: -1, seqs: [p1, p2] },
      { layer: 0, seqs: [c] },
    ]);
    expect(n.crossings).toBe(0);
  });
});
