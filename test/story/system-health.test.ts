// System health from hand-made logs and telemetry: the thresholds (outage under 90% served over
// a minute, degraded under 99.9% or any unhealthy component), entry components, no NaN.
import { describe, expect, it } from "vitest";
import { entryComponents, formatPercent, systemHealth, type StoryTelemetry } from "../../sim/story/index.js";
import type { EventRecord } from "../../sim/log/record.js";

const COMPONENTS = [{ id: "front", calls: ["api"] }, { id: "api", calls: ["db"] }, { id: "db", calls: [] }];

/** Telemetry sampled every second for `seconds`, with front's error rate from `frontError(t)`. */
function telemetry(seconds: number, frontError: (tMs: number) => number): StoryTelemetry {
  const componentIds = ["front", "api", "db"];
  const signalNames = ["loadRps", "errorRate"];
  const times: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < seconds; i++) {
    const t = i * 1000;
    times.push(t);
    values.push(100, frontError(t), 100, 0, 100, 0);
  }
  return { componentIds, signalNames, count: seconds, times, values };
}

function health(seq: number, t: number, target: string, healthy: boolean): EventRecord {
  return { seq, t, type: "health.changed", actor: target, target, data: { healthy }, causes: [], prev: "", hash: "" };
}

describe("systemHealth", () => {
  it("finds the user-facing components: called by nothing, receiving load", () => {
    expect(entryComponents(COMPONENTS, telemetry(10, () => 0))).toEqual(["front"]);
    expect(entryComponents(COMPONENTS)).toEqual(["front"]);
  });

  it("calls a minute of mostly failed requests at the entry an outage, with the worst window", () => {
    const h = systemHealth({ log: [health(0, 60_000, "front", false), health(1, 180_000, "front", true)], telemetry: telemetry(600, (t) => (t >= 60_000 && t < 180_000 ? 0.97 : 0)), components: COMPONENTS });
    expect(h.state).toBe("outage");
    expect(h.worstComponent).toBe("front");
    expect(h.worstAvailability).toBeCloseTo(0.03, 5);
    expect(h.unhealthyMs).toBe(120_000);
    expect(h.text).toBe("outage: front served 3% of requests at worst (1-minute window to 00:02:00); front unhealthy for 2m");
  });

  it("does not call one bad sample an outage: a minute's average decides", () => {
    const h = systemHealth({ log: [], telemetry: telemetry(600, (t) => (t === 30_000 ? 1 : 0)), components: COMPONENTS });
    expect(h.state).toBe("degraded");
    expect(h.worstAvailability).toBeGreaterThan(0.98);
  });

  it("calls an internal component's unhealthy spell with users served a degradation", () => {
    const h = systemHealth({ log: [health(0, 5_000, "db", false)], telemetry: telemetry(120, () => 0), components: COMPONENTS });
    expect(h).toMatchObject({ state: "degraded", worstAvailability: 1, unhealthyMs: 114_000 });
    expect(h.worstComponent).toBeUndefined();
  });

  it("is healthy with nothing wrong, and never NaN: no telemetry, empty telemetry, NaN samples", () => {
    expect(systemHealth({ log: [], telemetry: telemetry(120, () => 0), components: COMPONENTS })).toEqual({ state: "healthy", worstAvailability: 1, unhealthyMs: 0, text: "healthy: user-facing components served every request" });
    expect(systemHealth({ log: [], components: COMPONENTS }).state).toBe("healthy");
    expect(systemHealth({ log: [], telemetry: telemetry(0, () => 0), components: [] }).worstAvailability).toBe(1);
    expect(systemHealth({ log: [], telemetry: telemetry(100, () => Number.NaN), components: COMPONENTS }).worstAvailability).toBe(1);
    // A run shorter than the window is judged as one window.
    expect(systemHealth({ log: [], telemetry: telemetry(10, () => 0.5), components: COMPONENTS })).toMatchObject({ state: "outage", worstAvailability: 0.5 });
  });

  it("formats availability so three nines do not read as 100%", () => {
    expect([formatPercent(0), formatPercent(0.026), formatPercent(0.9995), formatPercent(1), formatPercent(Number.NaN)]).toEqual(["0%", "2.6%", "99.95%", "100%", "100%"]);
  });
});
