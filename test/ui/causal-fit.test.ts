// The time window the causal view zooms to for a selected event: its near causes and effects,
// padded, within [at least 10 s, at most a quarter of the run], always holding the event.
import { describe, expect, it } from "vitest";
import { fitWindow } from "../../ui/views/causal-fit.js";

const HOUR = 3_600_000;

describe("fitWindow", () => {
  it("spans the neighbourhood with 8% padding each side", () => {
    expect(fitWindow(600_000, [500_000, 700_000], HOUR, { keepFraction: 1 })).toEqual([484_000, 716_000]);
  });

  it("leaves out the neighbours farthest in time (one late effect does not zoom the rest out)", () => {
    const [lo, hi] = fitWindow(480_000, [60_000, 61_000, 90_000, 481_000, 500_000, 540_000, 541_000, 542_000, 543_000, 1_440_000], 96 * 60_000, { keepFraction: 0.8 });
    expect(lo).toBeLessThan(60_000);
    expect(hi).toBeGreaterThan(543_000);
    expect(hi).toBeLessThan(1_440_000);
  });

  it("fits the DNS race's stale write: its causes minutes before and its failures a minute after, not the recoveries 16 minutes later", () => {
    // #38's direct causes and effects in scenarios/dynamodb-dns-race.yaml (blind), in ms.
    const near = [60_000, 61_299, 90_000, 90_500, 481_272, 501_272, 542_000, 542_000, 542_000, 543_000, 1_440_000, 1_500_000, 1_500_000, 1_500_000, 2_520_000];
    const [lo, hi] = fitWindow(482_000, near, 96 * 60_000);
    expect(lo).toBeLessThanOrEqual(60_000);
    expect(hi).toBeGreaterThanOrEqual(543_000);
    expect(hi).toBeLessThan(700_000);
  });

  it("never zooms out to more than a quarter of the run, centred on the event", () => {
    expect(fitWindow(2 * HOUR, [0, 4 * HOUR], 4 * HOUR, { keepFraction: 1 })).toEqual([1.5 * HOUR, 2.5 * HOUR]);
  });

  it("widens a single instant to 10 s and keeps the window inside the run", () => {
    expect(fitWindow(30_000, [30_000], HOUR)).toEqual([25_000, 35_000]);
    expect(fitWindow(1_000, [1_000], HOUR)).toEqual([0, 10_000]);
    expect(fitWindow(HOUR - 1_000, [HOUR], HOUR)).toEqual([HOUR - 10_000, HOUR]);
  });

  it("always holds the selected event", () => {
    for (const t of [0, 5_000, HOUR / 2, HOUR - 1]) {
      const [lo, hi] = fitWindow(t, [0, HOUR], HOUR);
      expect(lo).toBeLessThanOrEqual(t);
      expect(hi).toBeGreaterThanOrEqual(t);
    }
  });
});
