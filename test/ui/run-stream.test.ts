// A streamed run (the browser worker posts chunks as it simulates) must put back together into
// exactly the run Node produces in one go: same records, state changes, telemetry and hash, and
// watching the progress must not change the run.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { ChunkStream } from "../../ui/model/chunk-stream.js";
import { RunAssembler } from "../../ui/model/run-assembler.js";
import type { RunPayload } from "../../ui/model/payload.js";
import { loadScenarioFile } from "../helpers/scenarios.js";

describe("streaming a run in chunks", () => {
  const scenario = loadScenarioFile("cost-vs-performance");
  const whole = runScenario(scenario);

  it.each([1, 7, 1000])("reassembles the run exactly when a chunk is cut every %i time advances", (every) => {
    const stream = new ChunkStream();
    let assembler: RunAssembler | undefined;
    const partials: RunPayload[] = [];
    const lengths: number[] = []; // log length at each partial (the array itself keeps growing)
    let calls = 0;
    const head = (t: { componentIds: readonly string[]; signalNames: readonly string[]; capacity: number }) =>
      new RunAssembler(1, { scenario: scenario.name, description: "", variants: [], seed: scenario.seed, durationMs: scenario.durationMs, components: [], agents: [], telemetry: { componentIds: [...t.componentIds], signalNames: [...t.signalNames], capacity: t.capacity } });
    const streamed = runScenario(scenario, {
      onProgress: (p) => {
        if (++calls % every !== 0) return;
        assembler ??= head(p.telemetry);
        partials.push(assembler.append(stream.take(p).chunk));
        lengths.push(partials[partials.length - 1].log.length);
      },
    });
    assembler ??= head(streamed.telemetry);
    const done = assembler.finish(stream.take({ tMs: streamed.endTimeMs, log: streamed.log, agentStates: streamed.agentStates, telemetry: streamed.telemetry }).chunk, { finalHash: streamed.finalHash, findings: [], expectations: [], passed: true });

    expect(streamed.finalHash).toBe(whole.finalHash);
    expect(done.log).toEqual(whole.log);
    expect(done.agentStates).toEqual(whole.agentStates);
    expect(done.telemetry.count).toBe(whole.telemetry.count);
    expect(Array.from(done.telemetry.times.subarray(0, done.telemetry.count))).toEqual(Array.from(whole.telemetry.times.subarray(0, whole.telemetry.count)));
    expect(Buffer.from(done.telemetry.values.buffer, 0, done.telemetry.count * whole.telemetry.width * 4).equals(Buffer.from(whole.telemetry.values.buffer, 0, whole.telemetry.count * whole.telemetry.width * 4))).toBe(true);
    expect(done.complete).toBe(true);
    expect(done.reachedMs).toBe(scenario.durationMs);

    // Each partial is a new object for the store, same runId, growing, never complete.
    expect(partials.length).toBeGreaterThan(every === 1000 ? 1 : 10);
    for (let i = 1; i < partials.length; i++) {
      expect(partials[i] !== partials[i - 1]).toBe(true); // (not .not.toBe: its hint deep-compares the telemetry)
      expect(partials[i].runId).toBe(1);
      expect(partials[i].complete).toBe(false);
      expect(partials[i].reachedMs).toBeGreaterThanOrEqual(partials[i - 1].reachedMs);
      expect(partials[i].telemetry.count).toBeGreaterThanOrEqual(partials[i - 1].telemetry.count);
    }
    // A partial holds exactly the records up to the time it reached, and no later ones.
    partials.forEach((p, i) => {
      expect(whole.log[lengths[i] - 1].t).toBeLessThanOrEqual(p.reachedMs);
      expect(whole.log[lengths[i]].t).toBeGreaterThan(p.reachedMs);
    });
  });

  it("refuses telemetry rows beyond the announced capacity", () => {
    const assembler = new RunAssembler(2, { scenario: "s", description: "", variants: [], seed: 1, durationMs: 10, components: [], agents: [], telemetry: { componentIds: ["a"], signalNames: ["x"], capacity: 1 } });
    expect(() => assembler.append({ reachedMs: 5, log: [], agentStates: [], times: new Float64Array(2), values: new Float32Array(2) })).toThrow(/exceed the announced capacity 1/);
  });
});
