// The time views' shared formatting (ui/views/format.ts): magnitudes with SI suffixes and units,
// amounts of time in words, never `5.42e+5` or a clock time for a summed duration.
import { describe, expect, it } from "vitest";
import { formatAxisValue, formatLatencyMs, formatNumber, formatPercent, formatSignal, formatSpan, signalUnit } from "../../ui/views/format.js";

describe("chart formatting", () => {
  it("formats magnitudes with SI suffixes and three significant digits", () => {
    expect(formatNumber(542_000)).toBe("542 k");
    expect(formatNumber(5.42e5)).not.toMatch(/e/);
    expect(formatNumber(1_234_567)).toBe("1.23 M");
    expect(formatNumber(999_700)).toBe("1 M");
    expect(formatNumber(12.345)).toBe("12.3");
    expect(formatNumber(4)).toBe("4");
    expect(formatNumber(0)).toBe("0");
    expect(formatNumber(-2500)).toBe("-2.5 k");
    expect(formatNumber(Number.NaN)).toBe("–");
  });

  it("formats amounts of time in their two largest units", () => {
    expect(formatSpan(9_124_000)).toBe("2h 32m");
    expect(formatSpan(152_000)).toBe("2m 32s");
    expect(formatSpan(45_000)).toBe("45s");
    expect(formatSpan(7_200_000)).toBe("2h");
    expect(formatSpan(1500)).toBe("1.5s");
    expect(formatSpan(250)).toBe("250 ms");
    expect(formatSpan(90_061_000)).toBe("1d 1h");
  });

  it("formats signals by name with their units", () => {
    expect(formatSignal("loadRps", 542_000)).toBe("542 k req/s");
    expect(formatSignal("errorRate", 0.25)).toBe("25%");
    expect(formatSignal("errorRate", 0.0042)).toBe("0.42%");
    expect(formatSignal("latencyMsP95", 140)).toBe("140 ms");
    expect(formatSignal("latencyMsP95", 2500)).toBe("2.5 s");
    expect(formatSignal("costPerHour", 1.2)).toBe("$1.20/h");
    expect(formatSignal("replicas", 4)).toBe("4");
    expect(formatSignal("cells.sum.replicas", 1200)).toBe("1.2 k");
    expect(formatSignal("zone-a.avg.utilization", 0.5)).toBe("50%");
    expect(signalUnit("sentRps")).toBe("req/s");
    expect(formatLatencyMs(0.8)).toBe("0.8 ms");
    expect(formatPercent(1)).toBe("100%");
  });

  it("labels axes compactly", () => {
    expect(formatAxisValue("loadRps", 2000)).toBe("2k");
    expect(formatAxisValue("errorRate", 0.5)).toBe("50%");
    expect(formatAxisValue("latencyMsP95", 4000)).toBe("4s");
    expect(formatAxisValue("latencyMsP95", 20)).toBe("20ms");
    expect(formatAxisValue("costPerHour", 0.5)).toBe("$0.5");
  });
});
