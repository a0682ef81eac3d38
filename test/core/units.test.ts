// Checks duration and rate parsing (values and InputError details) and time/duration formatting.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../sim/core/errors.js";
import { formatDuration, formatTime, parseDuration, parseRate } from "../../sim/core/units.js";

/** Runs `fn`, which must throw an InputError, and returns the error for inspection. */
function inputErrorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error("expected an InputError, but nothing was thrown");
}

describe("parseDuration", () => {
  it.each([
    ["250ms", 250],
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["1.5s", 1_500],
    ["2h", 7_200_000],
    ["1d", 86_400_000],
    ["1h1m1s1ms", 3_661_001],
    ["0ms", 0],
    ["  45s  ", 45_000],
  ])("reads %j as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it("reads decimal parts that are a whole number of milliseconds exactly", () => {
    // 1.001 s = 1001 ms and 4.1 m = 246000 ms are whole milliseconds; only binary floating
    // point makes 1.001 * 1000 = 1000.9999999999999.
    expect(parseDuration("1.001s")).toBe(1001);
    expect(parseDuration("4.1m")).toBe(246_000);
  });

  it("reads every decimal text that is a whole number of milliseconds exactly", () => {
    // Exhaustive over 0.000s..99.999s and 0.0m..999.9m / 0.0h..999.9h (cheap, and a sampled
    // property misses the ~1% of values where the float product is off by one ulp).
    const wrong: string[] = [];
    const check = (text: string, ms: number) => {
      try {
        if (parseDuration(text) !== ms) wrong.push(text);
      } catch {
        wrong.push(text);
      }
    };
    for (let ms = 0; ms < 100_000; ms++) check(`${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, "0")}s`, ms);
    for (let tenths = 0; tenths < 10_000; tenths++) {
      const text = `${Math.floor(tenths / 10)}.${tenths % 10}`;
      check(`${text}m`, tenths * 6_000);
      check(`${text}h`, tenths * 360_000);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  it("rejects a bare number string and names it", () => {
    const e = inputErrorOf(() => parseDuration("5", "spec.cooldown"));
    expect(e.path).toBe("spec.cooldown");
    expect(e.found).toBe('"5"');
    expect(e.expected).toContain("<number><unit>");
    expect(e.message).toContain('"5"');
    expect(e.message).toContain("spec.cooldown");
  });

  it("rejects a number (not a string) and hints at writing the unit", () => {
    const e = inputErrorOf(() => parseDuration(5));
    expect(e.path).toBe("duration");
    expect(e.found).toBe("5");
    expect(e.hint).toBe("write the unit, e.g. `5ms` or `5s`");
    expect(e.message).toContain("found 5");
  });

  it("rejects `5 minutes` and says which part it could not read", () => {
    const e = inputErrorOf(() => parseDuration("5 minutes"));
    expect(e.found).toBe('"5 minutes"');
    expect(e.hint).toContain('"5 minutes"');
    expect(e.message).toContain("5 minutes");
  });

  it("rejects units out of order (`30m1h`) with a hint showing the right order", () => {
    const e = inputErrorOf(() => parseDuration("30m1h"));
    expect(e.expected).toBe("units from largest to smallest, each at most once");
    expect(e.found).toBe('"30m1h"');
    expect(e.hint).toContain("`1h30m`");
  });

  it("rejects a repeated unit (`5s5s`)", () => {
    const e = inputErrorOf(() => parseDuration("5s5s"));
    expect(e.found).toBe('"5s5s"');
  });

  it("rejects the empty string", () => {
    const e = inputErrorOf(() => parseDuration(""));
    expect(e.found).toBe("an empty string");
    expect(e.message).toBe("duration: expected a duration such as `30s`, found an empty string");
  });

  it("rejects `1.0005s` because it is not a whole number of milliseconds", () => {
    const e = inputErrorOf(() => parseDuration("1.0005s"));
    expect(e.expected).toBe("a whole number of milliseconds");
    expect(e.found).toBe('"1.0005s"');
    expect(e.message).toContain("1.0005s");
  });

  it.each(["1000000.0005s", "1.0000000001d", "1.00000000001s", "0.0000000001ms"])(
    "rejects %j, a fraction of a millisecond however small or however large the whole",
    (text) => {
      // 1000000.0005 s = 1000000000.5 ms and 1.0000000001 d = 86400000.00864 ms: rounding them
      // silently would make the file mean something other than what it says.
      const e = inputErrorOf(() => parseDuration(text));
      expect(e.expected).toBe("a whole number of milliseconds");
      expect(e.found).toBe(JSON.stringify(text));
    },
  );

  it.each(["-5s", "5x", "s", "1h 30m", "1.s", ".5s"])("rejects %j", (text) => {
    const e = inputErrorOf(() => parseDuration(text));
    expect(e.found).toBe(JSON.stringify(text));
  });

  it("rejects null and objects with a description of what was found", () => {
    expect(inputErrorOf(() => parseDuration(null)).found).toBe("null");
    expect(inputErrorOf(() => parseDuration(undefined)).found).toBe("nothing");
    expect(inputErrorOf(() => parseDuration({ s: 5 })).found).toBe("an object");
  });
});

describe("parseRate", () => {
  it.each([
    ["200/s", 200],
    ["12000/m", 200],
    ["3600/h", 1],
    ["5/ms", 5000],
    ["0.5/s", 0.5],
    [" 200 / s ", 200],
  ])("reads %j as %s per second", (text, rps) => {
    expect(parseRate(text)).toBeCloseTo(rps, 12);
  });

  it("accepts a non-negative number as already per second", () => {
    expect(parseRate(42)).toBe(42);
    expect(parseRate(0)).toBe(0);
  });

  it.each(["200", "200/min", "/s", "-5/s", "200 per second", ""])("rejects %j and names it", (text) => {
    const e = inputErrorOf(() => parseRate(text, "workloads[0].rps"));
    expect(e.path).toBe("workloads[0].rps");
    expect(e.found).toBe(JSON.stringify(text));
    expect(e.hint).toBe("write <number>/<ms|s|m|h>");
  });

  it("rejects negative and non-finite numbers", () => {
    expect(inputErrorOf(() => parseRate(-5)).found).toBe("-5");
    expect(inputErrorOf(() => parseRate(Number.NaN)).found).toBe("NaN");
    expect(inputErrorOf(() => parseRate(Infinity)).found).toBe("Infinity");
  });
});

describe("formatTime", () => {
  it.each([
    [0, "00:00:00"],
    [1_000, "00:00:01"],
    [1_500, "00:00:01.500"],
    [61_000, "00:01:01"],
    [5_400_000, "01:30:00"],
    [86_399_999, "23:59:59.999"],
    [90_000_007, "25:00:00.007"],
    [-1_500, "-00:00:01.500"],
  ])("formats %d ms as %s", (ms, text) => {
    expect(formatTime(ms)).toBe(text);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0ms"],
    [250, "250ms"],
    [30_000, "30s"],
    [300_000, "5m"],
    [5_400_000, "1h30m"],
    [3_661_001, "1h1m1s1ms"],
    [90_000_000, "25h"],
  ])("formats %d ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("is read back exactly by parseDuration for every non-negative integer", () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat({ max: 10_000_000 }), fc.nat({ max: Number.MAX_SAFE_INTEGER })), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
      { numRuns: 500 },
    );
  });
});
