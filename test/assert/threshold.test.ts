import { describe, expect, it } from "vitest";
import { InputError } from "../../sim/core/errors.js";
import { parseThreshold, parseWindow } from "../../sim/assert/threshold.js";

describe("the k6-like threshold grammar", () => {
  it("reads a latency percentile with a duration value", () => {
    expect(parseThreshold("web.latency: p(95) < 250ms")).toEqual({ component: "web", metric: { kind: "latency" }, aggregator: { kind: "p", percentile: 95 }, comparison: { op: "<", value: 250 }, unit: "ms", window: undefined });
  });

  it("reads availability with a window and no aggregator", () => {
    const t = parseThreshold("web.availability >= 0.999 over 10m..2h");
    expect(t.metric).toEqual({ kind: "availability" });
    expect(t.aggregator).toBeUndefined();
    expect(t.comparison).toEqual({ op: ">=", value: 0.999 });
    expect(t.window).toBe("10m..2h");
  });

  it("accepts percentages for shares, seconds for latency, aliases for signals", () => {
    expect(parseThreshold("api.availability > 99.5%").comparison.value).toBeCloseTo(0.995, 12);
    expect(parseThreshold("web.latency max <= 1.5s").comparison.value).toBe(1500);
    expect(parseThreshold("web.cost avg < 3").metric).toEqual({ kind: "signal", signal: "costPerHour" });
    expect(parseThreshold("web.replicas last == 4")).toMatchObject({ aggregator: { kind: "last" }, unit: "number" });
  });

  it("refuses what it cannot read, with a hint", () => {
    const error = (text: string) => {
      try {
        parseThreshold(text);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return e as InputError;
      }
      throw new Error(`${text} parsed`);
    };
    expect(error("web.latency p(95) 250ms").hint).toContain("operator");
    expect(error("web.latncy: p(95) < 250ms").hint).toBe("did you mean `latency`?");
    expect(error("web.latency < 4ms").expected).toContain("aggregator");
    // A signal without an aggregator is checked at every sample.
    expect(parseThreshold("web.replicas >= 2").aggregator).toBeUndefined();
    expect(error("web.latency last < 4ms").expected).toContain("latency aggregator");
    expect(error("web.latency p(100) < 4ms").expected).toContain("between 0 and 100");
    expect(error("web.availability > 2s").expected).toContain("share");
  });

  it("resolves windows within the run, open ends included", () => {
    expect(parseWindow("10m..2h", 4 * 3_600_000)).toEqual({ fromMs: 600_000, toMs: 7_200_000 });
    expect(parseWindow("..30m", 3_600_000)).toEqual({ fromMs: 0, toMs: 1_800_000 });
    expect(parseWindow("1h..", 3_600_000)).toEqual({ fromMs: 3_600_000, toMs: 3_600_001 });
    expect(() => parseWindow("2h..1h", 4 * 3_600_000)).toThrow(/start is before its end/);
    expect(() => parseWindow("5h..", 4 * 3_600_000)).toThrow(/starts within the run/);
  });
});
