// The spine end to end: the cost-vs-performance scenario makes two XState agents reverse
// web.replicas repeatedly, and each command's causes reach back to the other agent's command.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { verify } from "../../sim/log/chain.js";
import type { EventRecord } from "../../sim/log/record.js";
import { loadScenarioFile } from "../helpers/scenarios.js";

const scenario = loadScenarioFile("cost-vs-performance");
const run = runScenario(scenario);
const scalings = run.log.filter((r) => r.type === "replicas.scaled" && r.target === "web");

/** Direction changes of one knob over time (+ then - counts one). */
function reversals(records: readonly EventRecord[]): number {
  let count = 0;
  for (let i = 1; i < records.length; i++) {
    const prev = Math.sign((records[i - 1].data.to as number) - (records[i - 1].data.from as number));
    const cur = Math.sign((records[i].data.to as number) - (records[i].data.from as number));
    if (prev !== 0 && cur !== 0 && prev !== cur) count++;
  }
  return count;
}

describe("scenarios/cost-vs-performance.yaml", () => {
  it("runs to its duration with a verifying hash chain", () => {
    expect(run.stopReason).toBe("completed");
    expect(run.endTimeMs).toBe(scenario.durationMs);
    expect(verify(run.log)).toEqual({ ok: true, count: run.log.length, headHash: run.finalHash });
    expect(run.log[0].type).toBe("run.started");
    expect(run.log.at(-1)!.type).toBe("run.ended");
  });

  it("has perf scaling out and cost scaling in, reversing web.replicas many times", () => {
    const byPerf = scalings.filter((r) => r.actor === "perf");
    const byCost = scalings.filter((r) => r.actor === "cost");
    expect(byPerf.length).toBeGreaterThanOrEqual(10);
    expect(byCost.length).toBeGreaterThanOrEqual(10);
    for (const r of byPerf) expect(r.data.to as number).toBeGreaterThan(r.data.from as number);
    for (const r of byCost) expect(r.data.to as number).toBeLessThan(r.data.from as number);
    expect(reversals(scalings)).toBeGreaterThanOrEqual(20);
  });

  it("names, as a cause of each command, the other agent's previous command on the knob", () => {
    for (let i = 1; i < scalings.length; i++) {
      const r = scalings[i];
      const previousByOther = [...scalings.slice(0, i)].reverse().find((p) => p.actor !== r.actor);
      if (!previousByOther) continue;
      expect(r.causes, `#${r.seq} ${r.actor} should be caused by #${previousByOther.seq} ${previousByOther.actor}`).toContain(previousByOther.seq);
      for (const c of r.causes) expect(c).toBeLessThan(r.seq);
    }
  });

  it("explains each command with the observed signal and threshold", () => {
    for (const r of scalings) {
      expect(r.data.reason).toMatch(/^web\.(utilization|latencyMsP95) = [\d.]+(ms)? [<>] [\d.]+/);
    }
  });

  it("records the agents' machine states over time and telemetry per step", () => {
    const perfStates = run.agentStates.filter((s) => s.agent === "perf").map((s) => s.state);
    expect(perfStates).toContain("watching");
    expect(perfStates).toContain("coolingDown");
    const replicas = run.telemetry.series("web", "replicas");
    expect(run.telemetry.count).toBe(scenario.durationMs / scenario.sampleEveryMs + 1);
    expect(new Set(replicas).size).toBeGreaterThan(1);
  });

  it("never writes NaN or Infinity into the log", () => {
    const finite = (v: unknown): boolean =>
      typeof v === "number" ? Number.isFinite(v) : Array.isArray(v) ? v.every(finite) : v && typeof v === "object" ? Object.values(v).every(finite) : true;
    for (const r of run.log) expect(finite(r), `record #${r.seq}`).toBe(true);
  });
});
