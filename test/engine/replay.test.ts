// The log is the truth: world state reconstructed from the log (snapshots + fold) equals the
// live state at any time, and run bounds are reported rather than silent.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { stateAt } from "../../sim/engine/replay.js";
import type { WorldState } from "../../sim/model/world.js";
import { readFileSync } from "node:fs";
import { loadVariant } from "../../sim/scenario/load.js";
import { loadScenarioFile, repoPath, scenarioFromYaml } from "../helpers/scenarios.js";

const scenario = loadScenarioFile("cost-vs-performance");

describe("state reconstruction", () => {
  const live = new Map<number, WorldState>();
  const run = runScenario(scenario, { snapshotEvery: 7, onTimeAdvance: (t, state) => live.set(t, state()) });
  const times = [...live.keys()].sort((a, b) => a - b);

  it("takes periodic snapshots", () => {
    expect(run.snapshots.length).toBeGreaterThan(5);
    expect(run.snapshots[0].seq).toBe(0);
  });

  it("equals the live state at random times (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: scenario.durationMs }), (t) => {
        // Live states were captured at the end of each simulated instant; the latest one at or before t is the truth.
        let i = times.length - 1;
        while (i > 0 && times[i] > t) i--;
        expect(stateAt(run, t)).toEqual(live.get(times[i]));
      }),
      { numRuns: 300 },
    );
  });

  it("equals the live state at every instant where something happened", () => {
    for (const r of run.log) expect(stateAt(run, r.t)).toEqual(live.get(r.t));
  });
});

describe("state reconstruction with documents and DNS records (the DynamoDB DNS race, up to the restore)", () => {
  const live = new Map<number, WorldState>();
  const file = "scenarios/dynamodb-dns-race.yaml";
  const blind = loadVariant(readFileSync(repoPath(file), "utf8"), file, "blind").scenario;
  const run = runScenario(blind, { maxTimeMs: 25 * 60_000, snapshotEvery: 5, onTimeAdvance: (t, state) => live.set(t, state()) });

  it("equals the live state, documents included, after every event", () => {
    expect(run.log.some((r) => r.type === "document.deleted")).toBe(true);
    for (const r of run.log) expect(stateAt(run, r.t)).toEqual(live.get(r.t));
  });
});

describe("run bounds", () => {
  it("reports hitting maxEvents in the result and in the log", () => {
    const run = runScenario(scenario, { maxEvents: 500 });
    expect(run.stopReason).toBe("maxEvents");
    expect(run.boundMessage).toMatch(/maxEvents/);
    expect(run.endTimeMs).toBeLessThan(scenario.durationMs);
    const last = run.log.at(-1)!;
    expect(last.type).toBe("run.ended");
    expect(last.data.reason).toBe("maxEvents");
  });

  it("reports stopping at maxTime before the duration", () => {
    const run = runScenario(scenario, { maxTimeMs: 60_000 });
    expect(run.stopReason).toBe("maxTime");
    expect(run.endTimeMs).toBe(60_000);
  });
});
