// Root-cause ranking on hand-built logs: faults, then non-routine actions (stale writes,
// reversals of another actor's recent change, deletions, emptying writes), then routine actions,
// then workload changes; and faults found behind actions.
import { describe, expect, it } from "vitest";
import { buildCausalGraph } from "../../sim/causal/graph.js";
import { ACTION_KINDS, REVERSAL_WINDOW_MS } from "../../sim/detect/action-rank.js";
import { HandLog } from "./logs.js";

const MIN = 60_000;

/** A DNS record's plan written as an enactor logs it: `readVersion` = the record version its check read. */
function apply(h: HandLog, t: number, actor: string, from: number, to: number, readVersion: number, causes: number[] = [0]): number {
  return h.add(t, "record.updated", actor, { knob: "plan", from, to, readVersion, reason: `apply plan ${to}` }, causes, "dns");
}

function put(h: HandLog, t: number, actor: string, version: number, rows: number, causes: number[] = [0]): number {
  return h.add(t, "document.put", actor, { document: "plan", version, rows, reason: `plan ${version}` }, causes, "plans");
}

describe("root-cause ranking", () => {
  it("ranks a stale write above routine writes, even later ones", () => {
    const h = new HandLog();
    const p = put(h, 1 * MIN, "planner", 2, 3);
    const b = apply(h, 2 * MIN, "enactor-b", 1, 2, 0); // version 0 -> 1
    const c = apply(h, 3 * MIN, "enactor-c", 2, 3, 1); // 1 -> 2
    // enactor-a read version 1 (before c) and writes over c's change: compare-and-set would reject it.
    const stale = apply(h, 4 * MIN, "enactor-a", 3, 4, 1);
    // enactor-a again, having read version 2: only its own write came since, so routine.
    const own = apply(h, 5 * MIN, "enactor-a", 4, 5, 2);
    const sick = h.health(6 * MIN, "dns", false, [p, b, c, stale, own]);
    const g = buildCausalGraph(h.records);
    const roots = g.rootCauses(sick);
    expect(roots.map((r) => [r.seq, r.kind, r.rank])).toEqual([
      [stale, "stale write", 1],
      [p, "routine action", 2],
      [b, "routine action", 2],
      [c, "routine action", 2],
      [own, "routine action", 2],
    ]);
    expect(roots[0].against).toBe(c);
    expect(roots[0].reason).toMatch(/^stale write \(based on version 1 of dns\.plan; enactor-c's #3 wrote it since\): #4 enactor-a set dns\.plan 3->4 at 00:04:00 because apply plan 4; a direct cause of #6$/);
  });

  it("finds the other actor's write behind a run of the writer's own writes", () => {
    const h = new HandLog();
    apply(h, 1 * MIN, "enactor-a", 1, 2, 0); // version 1
    const other = apply(h, 2 * MIN, "enactor-b", 2, 3, 1); // 2
    apply(h, 3 * MIN, "enactor-a", 3, 4, 2); // 3
    const stale = apply(h, 4 * MIN, "enactor-a", 4, 5, 1); // read 1: b wrote since, then a itself
    const g = buildCausalGraph(h.records);
    expect(ACTION_KINDS[g.kinds[stale]]).toBe("stale write");
    expect(g.against[stale]).toBe(other);
    // expectedVersion (a fenced write) counts the same way.
    const h2 = new HandLog();
    h2.add(MIN, "replicas.scaled", "hpa", { knob: "replicas", from: 2, to: 3 }, [0], "web");
    const fenced = h2.add(2 * MIN, "replicas.scaled", "vpa", { knob: "replicas", from: 3, to: 4, expectedVersion: 0 }, [0], "web");
    expect(ACTION_KINDS[buildCausalGraph(h2.records).kinds[fenced]]).toBe("stale write");
  });

  it("recognises a reversal of another actor's recent change, and nothing else as one", () => {
    const h = new HandLog();
    const up = h.scale(1 * MIN, "perf", "web", 4, 6, [0]);
    const down = h.scale(3 * MIN, "cost", "web", 6, 4, [0, up]); // back toward 4: reverses perf
    const further = h.scale(4 * MIN, "cost", "web", 4, 3, [0]); // same direction: routine
    const selfBack = h.scale(5 * MIN, "cost", "web", 3, 4, [0]); // cost reversing itself: routine
    const late = h.scale(5 * MIN + REVERSAL_WINDOW_MS + 1, "perf", "web", 4, 3, [0]); // against cost, but too late
    const g = buildCausalGraph(h.records);
    const kind = (seq: number) => ACTION_KINDS[g.kinds[seq]];
    expect([up, down, further, selfBack, late].map(kind)).toEqual(["routine action", "reversal", "routine action", "routine action", "routine action"]);
    expect(g.against[down]).toBe(up);
    const sick = h.health(7 * MIN, "web", false, [up, down]);
    const roots = buildCausalGraph(h.records).rootCauses(sick);
    expect(roots.map((r) => [r.seq, r.kind])).toEqual([
      [down, "reversal"],
      [up, "routine action"],
    ]);
    expect(roots[0].reason).toMatch(/^reversal of perf's change #1: #2 cost lowered web\.replicas 6->4 at 00:03:00/);
  });

  it("ranks a deletion and a put that empties a document above routine puts", () => {
    const h = new HandLog();
    const p2 = put(h, 1 * MIN, "planner", 2, 3);
    const del = h.add(2 * MIN, "document.deleted", "enactor-c", { document: "plan", version: 1, reason: "clean up" }, [0], "plans");
    const empty = put(h, 3 * MIN, "generator", 3, 0);
    const p4 = put(h, 4 * MIN, "planner", 4, 3);
    const sick = h.health(5 * MIN, "dns", false, [p2, del, empty, p4]);
    const roots = buildCausalGraph(h.records).rootCauses(sick);
    expect(roots.map((r) => [r.seq, r.kind, r.rank])).toEqual([
      [del, "deletion", 1],
      [empty, "emptying write", 1],
      [p2, "routine action", 2],
      [p4, "routine action", 2],
    ]);
  });

  it("ranks workload changes after routine actions", () => {
    const h = new HandLog();
    const w = h.workload(10_000, "users", "web", 100, 300);
    const a = h.scale(20_000, "perf", "web", 4, 6, [0]);
    const sick = h.health(30_000, "web", false, [w, a]);
    expect(buildCausalGraph(h.records).rootCauses(sick).map((r) => [r.seq, r.rank])).toEqual([
      [a, 2],
      [w, 3],
    ]);
  });
});

describe("faults behind actions", () => {
  /** An agent crash; the restarted agent's write cites it; a later write builds on that one; a failure cites the later write. */
  function stalled() {
    const h = new HandLog();
    const earlier = h.scale(10_000, "perf", "web", 2, 4, [0]);
    const fault = h.add(20_000, "fault.started", "perf-stall", { effect: "agentCrash", resume: "snapshot" }, [], "perf");
    const ended = h.add(30_000, "fault.ended", "perf-stall", { effect: "agentCrash", resume: "snapshot" }, [fault], "perf");
    const write = h.scale(30_000, "perf", "web", 4, 6, [earlier, fault, ended]);
    const next = h.scale(40_000, "perf", "web", 6, 8, [write]);
    const sick = h.health(50_000, "web", false, [next]);
    return { log: h.records, earlier, fault, write, next, sick };
  }

  it("reports a fault behind an action, ranked first, without reporting the actions behind that action", () => {
    const s = stalled();
    const g = buildCausalGraph(s.log);
    const roots = g.rootCauses(s.sick);
    expect(roots.map((r) => [r.seq, r.kind, r.depth])).toEqual([
      [s.fault, "fault", 3],
      [s.next, "routine action", 1],
    ]);
    expect(roots[0].behindAction).toBe(true);
    expect(roots[0].reason).toMatch(/^fault: #2 fault perf-stall \(agentCrash\) started on perf at 00:00:20; behind action #5, leads to #6 in 3 cause steps$/);
    // Asked on the action itself, the fault is a direct cause and the earlier action proximate.
    expect(g.rootCauses(s.write).map((r) => [r.seq, r.depth, r.behindAction])).toEqual([
      [s.fault, 1, undefined],
      [s.earlier, 1, undefined],
    ]);
  });

  it("stops looking for faults at visitMax", () => {
    const s = stalled();
    const g = buildCausalGraph(s.log);
    // next (1), then write (2), then earlier, fault and ended (5): a budget of 2 never reaches the fault.
    expect(g.rootCauses(s.sick, { visitMax: 2 }).map((r) => r.seq)).toEqual([s.next]);
    expect(g.rootCauses(s.sick, { visitMax: 5 }).map((r) => r.seq)).toEqual([s.fault, s.next]);
  });
});
