// The agent lanes' index (ui/views/lanes-model.ts): ticks and bands per agent, the same whether a
// run arrives whole or streams in chunks, and which renderer a run gets.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import type { EventRecord } from "../../sim/log/record.js";
import type { RunPayload } from "../../ui/model/payload.js";
import { lanesRenderKind, LANES_SVG_ITEMS_MAX } from "../../ui/views/lanes.js";
import { bandCount, bandEnd, extendLanes, findTick, indexLanes, sameRun, statesShown, TICK_KINDS } from "../../ui/views/lanes-model.js";
import { loadScenarioFile } from "../helpers/scenarios.js";

/** A record with just what the lanes read. */
function record(seq: number, t: number, actor: string, type: string, data: EventRecord["data"] = {}): EventRecord {
  return { seq, t, actor, type, data, causes: [], prev: "", hash: "" };
}

function payload(parts: Partial<RunPayload> & Pick<RunPayload, "log" | "agentStates">): RunPayload {
  return { runId: 1, complete: true, reachedMs: 100, durationMs: 100, agents: ["a", "b"], ...parts } as RunPayload;
}

describe("lane index", () => {
  const log = [
    record(0, 0, "engine", "run.started"),
    record(1, 10, "a", "wake"),
    record(2, 10, "a", "replicas.scaled", { knob: "replicas", from: 2, to: 4 }),
    record(3, 20, "b", "command.rejected", { knob: "replicas", value: 1, reason: "lease" }),
    record(4, 30, "a", "document.written"),
    record(5, 40, "zed", "replicas.scaled", { knob: "replicas", from: 4, to: 6 }),
    record(6, 50, "b", "command.suppressed"),
  ];
  const agentStates = [
    { t: 0, agent: "a", state: "idle" },
    { t: 0, agent: "b", state: "idle" },
    { t: 10, agent: "a", state: "acting" },
    { t: 10, agent: "a", state: "cooling" },
    { t: 60, agent: "b", state: "crashed" },
    { t: 100, agent: "b", state: "idle" },
  ];

  it("puts each agent's commands and states in its row", () => {
    const index = indexLanes(payload({ log, agentStates }));
    expect(index.rows.map((r) => r.agent)).toEqual(["a", "b"]);
    const [a, b] = index.rows;
    expect(a.tickSeq).toEqual([2, 4]);
    expect(a.tickKind.map((k) => TICK_KINDS[k])).toEqual(["change", "document"]);
    expect(b.tickSeq).toEqual([3, 6]);
    expect(b.tickKind.map((k) => TICK_KINDS[k])).toEqual(["rejected", "suppressed"]);
    // Several changes at one instant: the last wins; a band that starts at the end is not drawn.
    expect(a.bandFrom).toEqual([0, 10]);
    expect(a.bandState.map((s) => index.states[s])).toEqual(["idle", "cooling"]);
    expect(bandEnd(index, a, 1)).toBe(100);
    expect(b.bandState.map((s) => index.states[s])).toEqual(["idle", "crashed", "idle"]);
    expect(bandCount(index)).toBe(4);
    expect(index.states).toEqual(["idle", "acting", "cooling", "crashed"]);
    expect(statesShown(index)).toEqual([true, false, true, true]);
    expect(index.tickCount).toBe(4);
    expect(findTick(index, 6)).toEqual({ row: 1, tick: 1 });
    expect(findTick(index, 5)).toBeNull();
    expect(findTick(index, 1)).toBeNull();
  });

  it("places a state change logged out of time order where it belongs", () => {
    const index = indexLanes(payload({ log: [], agentStates: [...agentStates.slice(0, 3), { t: 5, agent: "a", state: "late" }] }));
    expect(index.rows[0].bandFrom).toEqual([0, 5, 10]);
    expect(index.rows[0].bandState.map((s) => index.states[s])).toEqual(["idle", "late", "acting"]);
  });

  it("takes its rows from the state changes when the run lists no agents", () => {
    const index = indexLanes(payload({ agents: [], log, agentStates }));
    expect(index.rows.map((r) => r.agent)).toEqual(["a", "b"]);
    expect(index.tickCount).toBe(4);
  });

  it("extends a streamed run chunk by chunk to exactly the index of the whole run", () => {
    const scenario = loadScenarioFile("cost-vs-performance");
    const whole = runScenario(scenario);
    const full = payload({ agents: scenario.agents.map((a) => a.id), log: [...whole.log], agentStates: [...whole.agentStates], durationMs: scenario.durationMs, reachedMs: scenario.durationMs });
    const expected = indexLanes(full);

    const grownLog: EventRecord[] = [];
    const grownStates: RunPayload["agentStates"] = [];
    const partial = (reachedMs: number, complete: boolean): RunPayload => ({ ...full, log: grownLog, agentStates: grownStates, reachedMs, complete });
    const index = indexLanes(partial(0, false));
    const chunks = 7;
    for (let c = 1; c <= chunks; c++) {
      const reachedMs = Math.round((scenario.durationMs * c) / chunks);
      const ticksBefore = index.rows.map((r) => r.tickT.length);
      const bandsBefore = index.rows.map((r) => r.bandFrom.length);
      while (grownLog.length < whole.log.length && whole.log[grownLog.length].t <= reachedMs) grownLog.push(whole.log[grownLog.length]);
      while (grownStates.length < whole.agentStates.length && whole.agentStates[grownStates.length].t <= reachedMs) grownStates.push(whole.agentStates[grownStates.length]);
      const run = partial(reachedMs, c === chunks);
      expect(sameRun(index, run)).toBe(true);
      const change = extendLanes(index, run);
      expect(change.rowsAdded).toBe(false);
      index.rows.forEach((r, i) => {
        expect(change.firstTick[i]).toBe(r.tickT.length > ticksBefore[i] ? ticksBefore[i] : -1);
        if (r.bandFrom.length > bandsBefore[i]) expect(change.firstBand[i]).toBeLessThanOrEqual(bandsBefore[i]);
        // While streaming the last band ends where the run got to.
        expect(bandEnd(index, r, r.bandFrom.length - 1)).toBe(reachedMs);
      });
    }
    expect(index.rows).toEqual(expected.rows);
    expect(index.states).toEqual(expected.states);
    expect(index.kindCounts).toEqual(expected.kindCounts);
    expect(index.tickCount).toBeGreaterThan(10);
  });

  it("starts over for another run, even with the same runId", () => {
    const index = indexLanes(payload({ log, agentStates }));
    expect(sameRun(index, payload({ log, agentStates }))).toBe(true);
    expect(sameRun(index, payload({ log: [...log], agentStates }))).toBe(false);
    expect(sameRun(index, payload({ runId: 2, log, agentStates }))).toBe(false);
  });

  it("draws complete small runs as SVG, streaming and large ones on canvas", () => {
    const small = payload({ log, agentStates });
    expect(lanesRenderKind(small, indexLanes(small))).toBe("svg");
    const streaming = { ...small, complete: false, reachedMs: 50 };
    expect(lanesRenderKind(streaming, indexLanes(streaming))).toBe("canvas");
    const many = Array.from({ length: LANES_SVG_ITEMS_MAX }, (_, i) => record(i, Math.floor(i / 30), "a", "replicas.scaled", { knob: "replicas", from: 1, to: 2 }));
    const large = payload({ log: many, agentStates });
    expect(lanesRenderKind(large, indexLanes(large))).toBe("canvas");
  });
});
