// CausalGraph on hand-built logs: adjacency, bounded ancestors/descendants, paths, blast radius
// and the root-cause rule, plus a property test against a naive closure on random DAGs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCausalGraph } from "../../sim/causal/graph.js";
import type { Finding } from "../../sim/detect/finding.js";
import { cascadeLog, HandLog } from "./logs.js";

/**
 * 0 run.started; 1 perf scales web; 2 web and 3 db health change because of it; 4 cost scales
 * web because of both; 5 web health; 6 perf again; 7 an unrelated workload change.
 */
function diamond() {
  const h = new HandLog();
  h.scale(60_000, "perf", "web", 4, 6, [0]);
  h.health(65_000, "web", true, [1]);
  h.health(65_000, "db", true, [1]);
  h.scale(120_000, "cost", "web", 6, 4, [2, 3]);
  h.health(125_000, "web", false, [4]);
  h.scale(180_000, "perf", "web", 4, 6, [5]);
  h.workload(200_000, "users", "lb", 100, 200);
  return h.records;
}

describe("CausalGraph adjacency", () => {
  const g = buildCausalGraph(diamond());

  it("counts nodes and edges and lists actors by first appearance", () => {
    expect(g.size).toBe(8);
    expect(g.edgeCount).toBe(7);
    expect(g.actors).toEqual(["engine", "perf", "web", "db", "cost", "users"]);
  });

  it("answers parents and children in ascending seq order", () => {
    expect(g.parents(4)).toEqual([2, 3]);
    expect(g.children(1)).toEqual([2, 3]);
    expect(g.children(0)).toEqual([1]);
    expect(g.parents(0)).toEqual([]);
    expect(g.children(7)).toEqual([]);
  });

  it("classifies records", () => {
    expect([0, 1, 2, 7].map((s) => g.classOf(s))).toEqual(["engine", "agent", "symptom", "workload"]);
  });

  it("rejects seqs outside the log", () => {
    expect(() => g.parents(8)).toThrow(RangeError);
    expect(() => g.ancestors(-1)).toThrow(/no record #-1/);
  });
});

describe("ancestors and descendants", () => {
  const g = buildCausalGraph(diamond());

  it("returns every ancestor with its shortest distance, ascending by seq", () => {
    expect(g.ancestors(6)).toEqual({
      nodes: [
        { seq: 0, depth: 5 },
        { seq: 1, depth: 4 },
        { seq: 2, depth: 3 },
        { seq: 3, depth: 3 },
        { seq: 4, depth: 2 },
        { seq: 5, depth: 1 },
      ],
      truncated: false,
    });
  });

  it("stops at the depth limit", () => {
    expect(g.ancestors(6, { depth: 2 }).nodes.map((n) => n.seq)).toEqual([4, 5]);
    expect(g.descendants(1, { depth: 1 }).nodes).toEqual([
      { seq: 2, depth: 1 },
      { seq: 3, depth: 1 },
    ]);
    expect(g.ancestors(6, { depth: 0 }).nodes).toEqual([]);
  });

  it("keeps the nearest records under a limit and says it truncated", () => {
    const r = g.ancestors(6, { limit: 3 });
    expect(r.truncated).toBe(true);
    expect(r.nodes.map((n) => n.seq)).toEqual([2, 4, 5]);
    expect(g.ancestors(6, { limit: 6 }).truncated).toBe(false);
  });

  it("mirrors ancestors with descendants", () => {
    expect(g.descendants(1).nodes).toEqual([
      { seq: 2, depth: 1 },
      { seq: 3, depth: 1 },
      { seq: 4, depth: 2 },
      { seq: 5, depth: 3 },
      { seq: 6, depth: 4 },
    ]);
    expect(g.descendants(7).nodes).toEqual([]);
  });
});

describe("path", () => {
  const g = buildCausalGraph(diamond());

  it("finds a shortest cause chain from an ancestor to a descendant", () => {
    expect(g.path(1, 6)).toEqual([1, 2, 4, 5, 6]);
    expect(g.path(3, 5)).toEqual([3, 4, 5]);
    expect(g.path(0, 1)).toEqual([0, 1]);
    expect(g.path(3, 3)).toEqual([3]);
  });

  it("returns null when there is no chain", () => {
    expect(g.path(6, 1)).toBeNull();
    expect(g.path(7, 6)).toBeNull();
    expect(g.path(2, 3)).toBeNull();
  });
});

describe("blastRadius", () => {
  const g = buildCausalGraph(diamond());

  it("summarizes what followed from an event", () => {
    expect(g.blastRadius(1)).toEqual({
      seq: 1,
      count: 5,
      components: ["web", "db"],
      actors: ["cost", "perf"],
      depthMax: 4,
      lastMs: 180_000,
      byType: { "health.changed": 3, "replicas.scaled": 2 },
      truncated: false,
    });
  });

  it("reports an event with no descendants as its own time and zero depth", () => {
    expect(g.blastRadius(7)).toMatchObject({ count: 0, components: [], actors: [], depthMax: 0, lastMs: 200_000 });
  });

  it("truncates at a limit", () => {
    expect(g.blastRadius(1, { limit: 2 })).toMatchObject({ count: 2, truncated: true, depthMax: 1 });
  });
});

describe("rootCauses", () => {
  it("names the fault behind a caller's failure, not the dependency's health change", () => {
    const c = cascadeLog();
    const g = buildCausalGraph(c.log);
    const roots = g.rootCauses(c.lbDown);
    expect(roots.map((r) => r.seq)).toEqual([c.fault]);
    expect(roots[0]).toMatchObject({ kind: "fault", rank: 0, actor: "db-down", depth: 3 });
    expect(roots[0].reason).toMatch(/^fault: #1 fault db-down \(errors\) started on db at 00:10:00; leads to #4 in 3 cause steps/);
  });

  it("returns a fault start as its own root", () => {
    const c = cascadeLog();
    const g = buildCausalGraph(c.log);
    expect(g.rootCauses(c.fault)).toEqual([expect.objectContaining({ seq: c.fault, depth: 0 })]);
  });

  it("ranks faults before routine actions and stops at the first action on each path", () => {
    const c = cascadeLog();
    const g = buildCausalGraph(c.log);
    // lb recovers citing its failure (a symptom chain back to the fault) and perf's scale-out.
    const roots = g.rootCauses(c.lbUp);
    expect(roots.map((r) => [r.seq, r.kind, r.depth])).toEqual([
      [c.fault, "fault", 4],
      [c.scale, "routine action", 1],
    ]);
    expect(roots[1].reason).toMatch(/^routine action: #5 perf raised web\.replicas 4->6 at 00:10:30 because perf wants 6; a direct cause of #6$/);
  });

  it("origin mode keeps only actions with no action upstream", () => {
    const c = cascadeLog();
    const g = buildCausalGraph(c.log);
    expect(g.rootCauses(c.lbUp, { mode: "origin" }).map((r) => r.seq)).toEqual([c.fault]);
    // A chain of agent actions: origin gives the first, proximate the last before the event.
    const h = new HandLog();
    const a = h.scale(60_000, "perf", "web", 4, 6, [0]);
    const b = h.scale(120_000, "cost", "web", 6, 4, [0, a]);
    const cc = h.scale(180_000, "perf", "web", 4, 6, [0, b]);
    const g2 = buildCausalGraph(h.records);
    expect(g2.rootCauses(cc).map((r) => r.seq)).toEqual([b]);
    expect(g2.rootCauses(cc, { mode: "origin" }).map((r) => [r.seq, r.depth])).toEqual([[a, 2]]);
  });

  it("returns an action with nothing upstream as its own root, and nothing for a symptom with no action behind it", () => {
    const h = new HandLog();
    const a = h.scale(60_000, "perf", "web", 4, 6, [0]);
    const s = h.health(65_000, "web", true, [0]);
    const g = buildCausalGraph(h.records);
    expect(g.rootCauses(a)).toEqual([expect.objectContaining({ seq: a, depth: 0, kind: "routine action" })]);
    expect(g.rootCauses(a)[0].reason).toMatch(/is its own root/);
    expect(g.rootCauses(s)).toEqual([]);
    expect(g.rootCauses(0)).toEqual([]);
  });

  it("orders workload changes last and each class earliest first, within the limit", () => {
    const h = new HandLog();
    const w = h.workload(10_000, "users", "web", 100, 300);
    const late = h.scale(50_000, "cost", "web", 6, 4, [0]);
    const early = h.scale(40_000, "perf", "web", 4, 6, [0]);
    const f = h.fault(45_000, "slow", "db");
    const sick = h.health(60_000, "web", false, [w, late, early, f]);
    const g = buildCausalGraph(h.records);
    expect(g.rootCauses(sick).map((r) => r.seq)).toEqual([f, early, late, w]);
    expect(g.rootCauses(sick, { limit: 2 }).map((r) => r.seq)).toEqual([f, early]);
    for (const r of g.rootCauses(sick)) expect(["fault.started", "replicas.scaled", "workload.changed"]).toContain(g.record(r.seq).type);
  });

  it("passes through rejected commands and fault ends but never returns them", () => {
    const h = new HandLog();
    const f = h.fault(10_000, "db-down", "db");
    const end = h.add(20_000, "fault.ended", "db-down", { effect: "errors" }, [f], "db");
    const rejected = h.add(30_000, "command.rejected", "cost", { knob: "replicas", value: 2, policy: "lease" }, [end], "web");
    const g = buildCausalGraph(h.records);
    expect(g.rootCauses(rejected).map((r) => [r.seq, r.depth])).toEqual([[f, 2]]);
  });
});

describe("findingsAt", () => {
  it("names the findings an event witnesses or roots", () => {
    const c = cascadeLog();
    const finding = { kind: "cascade", witnesses: [c.dbDown, c.webDown, c.lbDown], rootCauses: [c.fault] } as unknown as Finding;
    const g = buildCausalGraph(c.log, { findings: [finding] });
    expect(g.findingsAt(c.webDown)).toEqual([0]);
    expect(g.findingsAt(c.fault)).toEqual([0]);
    expect(g.findingsAt(c.scale)).toEqual([]);
  });
});

describe("building", () => {
  it("rejects a cause that is not an earlier record, naming it", () => {
    const h = new HandLog();
    h.health(1000, "web", true, [1]);
    expect(() => buildCausalGraph(h.records)).toThrow(/record #1 \(health.changed by web\) names cause 1/);
  });

  it("rejects a log whose seqs are not its indexes", () => {
    const h = new HandLog();
    h.health(1000, "web", true, [0]);
    expect(() => buildCausalGraph(h.records.slice(1))).toThrow(/index 0 has seq 1/);
  });

  it("handles an empty log", () => {
    const g = buildCausalGraph([]);
    expect(g.size).toBe(0);
    expect(g.influence().edges).toEqual([]);
  });
});

describe("property: traversals agree with a naive closure on random DAGs", () => {
  const dag = fc.array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: 1, maxLength: 40 }).map((picks) => {
    const h = new HandLog(false);
    picks.forEach((raw, i) => {
      const causes = i === 0 ? [] : [...new Set(raw.map((x) => x % i))].sort((a, b) => a - b);
      h.add(i * 1000, i % 3 === 0 ? "health.changed" : "replicas.scaled", `a${i % 4}`, {}, causes, "web");
    });
    return h.records;
  });

  it("ancestors, descendants and path match breadth-first search over plain arrays", () => {
    fc.assert(
      fc.property(dag, fc.nat(), (log, pick) => {
        const g = buildCausalGraph(log);
        const seq = pick % log.length;
        const naive = (start: number, next: (i: number) => number[]) => {
          const depth = new Map<number, number>([[start, 0]]);
          const queue = [start];
          for (let q = 0; q < queue.length; q++) for (const j of next(queue[q])) if (!depth.has(j)) depth.set(j, depth.get(queue[q])! + 1), queue.push(j);
          depth.delete(start);
          return [...depth].map(([s, d]) => ({ seq: s, depth: d })).sort((a, b) => a.seq - b.seq);
        };
        const parentsOf = (i: number) => log[i].causes;
        const childrenOf = (i: number) => log.filter((r) => r.causes.includes(i)).map((r) => r.seq);
        const up = naive(seq, parentsOf);
        expect(g.ancestors(seq).nodes).toEqual(up);
        expect(g.descendants(seq).nodes).toEqual(naive(seq, childrenOf));
        for (const a of up) {
          const p = g.path(a.seq, seq)!;
          expect(p.length - 1).toBe(a.depth);
          expect(p[0]).toBe(a.seq);
          expect(p[p.length - 1]).toBe(seq);
          for (let k = 1; k < p.length; k++) expect(log[p[k]].causes).toContain(p[k - 1]);
        }
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
