// Latency during a 100%-error window is undefined, not 1 ms: the timeline breaks the line there
// and hatches it. On dynamodb-dns-race (blind) the front end's latency sits at its floor while
// its error rate is 1; the masked series and the path have no point there.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { gapFinder, gappedPath, maskNoSuccess, noSuccessSpans } from "../../ui/views/no-success.js";
import { repoPath } from "../helpers/scenarios.js";

describe("latency without successful requests", () => {
  it("masks samples where the error rate is 1 and finds the spans", () => {
    const times = [0, 1000, 2000, 3000, 4000, 5000];
    const errors = [0, 0.5, 1, 1, 0.2, 1];
    const latency = [10, 12, 1, 1, 15, 1];
    const masked = Array.from(maskNoSuccess(latency, errors));
    expect(masked.slice(0, 2)).toEqual([10, 12]);
    expect(masked.slice(2, 4).every(Number.isNaN)).toBe(true);
    expect(masked[4]).toBe(15);
    expect(noSuccessSpans(times, errors, 6, 6000)).toEqual([{ from: 2000, to: 4000 }, { from: 5000, to: 6000 }]);
  });

  it("breaks the path across a no-success stretch instead of bridging it", () => {
    const errors = [0, 0, 1, 1, 0, 0];
    const gap = gapFinder(errors, 6);
    const d = gappedPath([0, 1, 4, 5], (i) => i * 10, () => 5, gap);
    expect(d).toBe("M0,5L10,5M40,5L50,5");
    expect(gappedPath([0, 1, 4, 5], (i) => i * 10, () => 5, gapFinder([0, 0, 0, 0, 0, 0], 6))).toBe("M0,5L10,5L40,5L50,5");
  });

  it("on dynamodb-dns-race, no latency point is drawn while the front end served nothing", () => {
    const file = "scenarios/dynamodb-dns-race.yaml";
    const run = runScenario(loadVariant(readFileSync(repoPath(file), "utf8"), file, "blind").scenario);
    const t = run.telemetry;
    const errors = t.series("front", "errorRate");
    const latency = t.series("front", "latencyMsP95");
    const spans = noSuccessSpans(t.times, errors, t.count, run.scenario.durationMs);
    expect(spans.length).toBeGreaterThan(0);
    expect(spans[0].to - spans[0].from).toBeGreaterThan(60_000);
    // The engine still samples a latency there (of no request), which is what must not be drawn.
    const inside = Array.from(t.times.subarray(0, t.count)).findIndex((ms) => ms >= spans[0].from + 1000);
    expect(Number.isFinite(latency[inside])).toBe(true);
    const masked = maskNoSuccess(latency, errors, t.count);
    for (let i = 0; i < t.count; i++) if (t.times[i] >= spans[0].from && t.times[i] < spans[0].to) expect(Number.isNaN(masked[i])).toBe(true);
  });
});
