// The agent influence graph: the counting rule on hand-built logs, and the SCC / elementary-cycle
// search on small graphs.
import { describe, expect, it } from "vitest";
import { buildCausalGraph } from "../../sim/causal/graph.js";
import { findCycles } from "../../sim/causal/influence.js";
import { HandLog } from "./logs.js";

describe("influence rule", () => {
  it("links an agent to another whose action cites it directly or through health changes", () => {
    const h = new HandLog();
    const p = h.scale(60_000, "perf", "web", 4, 6, [0]);
    const sick = h.health(65_000, "web", false, [p]);
    const c = h.scale(120_000, "cost", "web", 6, 4, [0, sick]);
    h.scale(180_000, "perf", "web", 4, 6, [0, c]);
    const inf = buildCausalGraph(h.records).influence();
    expect(inf.agents).toEqual(["perf", "cost"]);
    expect(inf.edges).toEqual([
      { from: "cost", to: "perf", count: 1, first: [c, 4] },
      { from: "perf", to: "cost", count: 1, first: [p, c] },
    ]);
    expect(inf.components).toEqual([["cost", "perf"]]);
    expect(inf.cycles).toEqual([["cost", "perf"]]);
  });

  it("passes through at most throughMax non-agent records", () => {
    const h = new HandLog();
    let at = h.scale(60_000, "perf", "web", 4, 6, [0]);
    for (let k = 0; k < 5; k++) at = h.health(61_000 + k, k % 2 === 0 ? "web" : "db", k % 2 === 0, [at]);
    h.scale(120_000, "cost", "web", 6, 4, [at]);
    const g = buildCausalGraph(h.records);
    expect(g.influence().edges).toEqual([]);
    expect(g.influence({ throughMax: 5 }).edges.map((e) => `${e.from}->${e.to}`)).toEqual(["perf->cost"]);
  });

  it("stops at every agent record: no edge across a third agent's decision, none to itself", () => {
    const h = new HandLog();
    const p = h.scale(60_000, "perf", "web", 4, 6, [0]);
    const r = h.add(90_000, "weight.changed", "route", { knob: "weight.web", from: 50, to: 60 }, [p], "lb");
    h.scale(120_000, "cost", "web", 6, 4, [r]);
    h.scale(130_000, "perf", "web", 6, 8, [p]);
    const inf = buildCausalGraph(h.records).influence();
    expect(inf.edges.map((e) => `${e.from}->${e.to}`)).toEqual(["perf->route", "route->cost"]);
    expect(inf.cycles).toEqual([]);
  });

  it("counts each influenced record once, and rejected commands as reactions", () => {
    const h = new HandLog();
    const p1 = h.scale(60_000, "perf", "web", 4, 6, [0]);
    const p2 = h.scale(61_000, "perf", "api", 4, 6, [0]);
    h.add(120_000, "command.rejected", "cost", { knob: "replicas", value: 4, policy: "lease" }, [p1, p2], "web");
    expect(buildCausalGraph(h.records).influence().edges).toEqual([{ from: "perf", to: "cost", count: 1, first: [p1, 3] }]);
  });

  it("counts only influenced records inside the time window", () => {
    const h = new HandLog();
    const p = h.scale(60_000, "perf", "web", 4, 6, [0]);
    h.scale(120_000, "cost", "web", 6, 4, [p]);
    h.scale(300_000, "cost", "web", 6, 4, [p]);
    const g = buildCausalGraph(h.records);
    expect(g.influence().edges[0].count).toBe(2);
    expect(g.influence({ fromMs: 200_000 }).edges[0].count).toBe(1);
    // perf acted only before the window, but it is still the source of an edge.
    expect(g.influence({ fromMs: 200_000 }).agents).toEqual(["perf", "cost"]);
    expect(g.influence({ toMs: 100_000 }).edges).toEqual([]);
  });

  it("treats records by non-agents as pass-through when the agents are named", () => {
    const h = new HandLog();
    const p = h.scale(60_000, "perf", "web", 4, 6, [0]);
    const model = h.add(61_000, "cache.evicted", "cache", {}, [p], "cache");
    h.scale(120_000, "cost", "web", 6, 4, [model]);
    expect(buildCausalGraph(h.records).influence().edges.map((e) => `${e.from}->${e.to}`)).toEqual(["cache->cost", "perf->cache"]);
    expect(buildCausalGraph(h.records, { agents: ["perf", "cost"] }).influence().edges.map((e) => `${e.from}->${e.to}`)).toEqual(["perf->cost"]);
  });
});

describe("findCycles", () => {
  const edge = (s: string) => {
    const [from, to] = s.split("->");
    return { from, to };
  };

  it("finds components of two or more and every elementary cycle once, smallest name first", () => {
    const edges = ["a->b", "b->c", "c->a", "a->c", "c->d", "d->c", "e->a"].map(edge);
    expect(findCycles(["e", "d", "c", "b", "a"], edges, 64)).toEqual({
      components: [["a", "b", "c", "d"]],
      cycles: [
        ["a", "c"],
        ["c", "d"],
        ["a", "b", "c"],
      ],
      truncated: false,
    });
  });

  it("has no cycles in a DAG and ignores self loops", () => {
    expect(findCycles(["a", "b"], ["a->b", "b->b"].map(edge), 64)).toEqual({ components: [], cycles: [], truncated: false });
  });

  it("stops at cyclesMax and says so", () => {
    const names = ["a", "b", "c", "d"];
    const edges = names.flatMap((x) => names.filter((y) => y !== x).map((y) => ({ from: x, to: y })));
    const all = findCycles(names, edges, 1000);
    expect(all.cycles).toHaveLength(20); // 6 of length 2, 8 of length 3, 6 of length 4
    const some = findCycles(names, edges, 5);
    expect(some.truncated).toBe(true);
    expect(some.cycles).toHaveLength(5);
  });
});
