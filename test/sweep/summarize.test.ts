// summarizeSweep over hand-made seed results: counts per finding kind and per expectation, the
// pass share with its interval, the first failing seed, and independence from input order.
import { describe, expect, it } from "vitest";
import type { SeedResult } from "../../sim/sweep/run-seed.js";
import { summarizeSweep } from "../../sim/sweep/summarize.js";
import { sweepReportLines } from "../../sim/sweep/report.js";
import { wilsonInterval } from "../../sim/sweep/wilson.js";

const result = (seed: number, over: Partial<SeedResult> = {}): SeedResult => ({ seed, passed: true, finalHash: `h${seed}`, findings: {}, failedExpectations: [], ...over });

// Seeds 1..5: the race (lostUpdate) shows in 2 and 5, thrashing in 3; 2 and 5 fail "no race",
// 4 stopped early.
const RESULTS: SeedResult[] = [
  result(5, { passed: false, findings: { lostUpdate: 2 }, failedExpectations: ["no race"], system: "outage" }),
  result(1, { finalHash: "same", system: "healthy" }),
  result(3, { findings: { thrashing: 1 }, finalHash: "same", system: "degraded" }),
  result(2, { passed: false, findings: { lostUpdate: 1, cascade: 1 }, failedExpectations: ["no race", "p95 < 80ms"], system: "outage" }),
  result(4, { passed: false, incomplete: "stopped after 10 events" }),
];

describe("summarizeSweep", () => {
  const s = summarizeSweep(RESULTS, ["p95 < 80ms", "no race", "availability"]);

  it("counts passing seeds with a Wilson interval, and lists failing seeds in order", () => {
    expect(s.seeds).toBe(5);
    expect(s.passed).toEqual({ count: 2, of: 5, rate: 0.4, ci95: wilsonInterval(2, 5) });
    expect(s.failed).toBe(3);
    expect(s.incomplete).toBe(1);
    // The system's state per seed, counted apart from the expectations (seed 4 does not say).
    expect(s.systems).toEqual({ outage: 2, degraded: 1, healthy: 1 });
    expect(s.failingSeeds).toEqual([2, 4, 5]);
    expect(s.firstFailingSeed).toBe(2);
    expect(s.distinctFinalHashes).toBe(4);
  });

  it("counts seeds (not findings) per kind, every known kind included, and sums the findings", () => {
    const byKind = Object.fromEntries(s.findings.map((f) => [f.kind, f]));
    expect(s.findings.map((f) => f.kind)).toEqual(["thrashing", "oscillation", "flapping", "cascade", "lostUpdate", "retryStorm", "intentAttribution"]);
    expect(byKind.lostUpdate.seeds).toEqual({ count: 2, of: 5, rate: 0.4, ci95: wilsonInterval(2, 5) });
    expect(byKind.lostUpdate.total).toBe(3);
    expect(byKind.thrashing.seeds.count).toBe(1);
    expect(byKind.cascade.seeds.count).toBe(1);
    expect(byKind.flapping).toEqual({ kind: "flapping", seeds: { count: 0, of: 5, rate: 0, ci95: wilsonInterval(0, 5) }, total: 0 });
  });

  it("counts failing seeds per expectation in declaration order, never-failing ones included", () => {
    expect(s.expectations).toEqual([
      { name: "p95 < 80ms", failedSeeds: 1, firstFailingSeed: 2 },
      { name: "no race", failedSeeds: 2, firstFailingSeed: 2 },
      { name: "availability", failedSeeds: 0 },
    ]);
  });

  it("does not depend on the order of its input, and lists undeclared failing names after the declared ones", () => {
    expect(summarizeSweep([...RESULTS].reverse(), ["p95 < 80ms", "no race", "availability"])).toEqual(s);
    expect(summarizeSweep(RESULTS).expectations.map((e) => e.name)).toEqual(["no race", "p95 < 80ms"]);
  });

  it("keeps unknown finding kinds after the known ones", () => {
    const odd = summarizeSweep([result(1, { findings: { zebra: 1, aardvark: 2 } })]);
    expect(odd.findings.slice(-2).map((f) => f.kind)).toEqual(["aardvark", "zebra"]);
  });

  it("summarizes an all-pass sweep without a failing seed, and an empty one", () => {
    const pass = summarizeSweep([result(1), result(2)]);
    expect(pass.failed).toBe(0);
    expect(pass.firstFailingSeed).toBeUndefined();
    expect(pass.passed.ci95.high).toBe(1);
    const empty = summarizeSweep([]);
    expect(empty.passed).toEqual({ count: 0, of: 0, rate: 0, ci95: { low: 0, high: 1 } });
  });

  it("rejects a seed that appears twice (a sweep bug)", () => {
    expect(() => summarizeSweep([result(3), result(3)])).toThrow(/seed 3 appears twice/);
  });
});

describe("sweepReportLines", () => {
  it("shows counts with intervals, the failing seeds and the command that replays the first", () => {
    const s = summarizeSweep(RESULTS, ["p95 < 80ms", "no race", "availability"]);
    const text = sweepReportLines(s, {
      scenario: "dns-race",
      variant: "blind",
      fromSeed: 1,
      scenarioSha256: "ab".repeat(32),
      firstFailing: { result: RESULTS[3], reproduce: "crossfire run race.yaml --variant blind --seed 2" },
    }).join("\n");
    expect(text).toContain("sweep dns-race [blind]  seeds 1..5 (5)  scenario sha256 abababababababab");
    expect(text).toContain("  lostUpdate  2/5   40.0%  [11.8%, 76.9%]  3 findings");
    expect(text).toContain("  not seen: oscillation, flapping, retryStorm, intentAttribution  (0/5: [0.0%, 43.4%] each)");
    expect(text).toContain("  2/5  no race  (first at seed 2)");
    expect(text).toContain("  1/5  runs stopped early (incomplete)");
    expect(text).toContain("\nexpectations met on 2/5 seeds  40.0%  [11.8%, 76.9%]; system: outage on 2, degraded on 1, healthy on 1\nexpectations not met on seeds 2, 4, 5\n");
    expect(text).toContain('first failing seed 2: "no race" failed; "p95 < 80ms" failed\n  reproduce: crossfire run race.yaml --variant blind --seed 2');
  });
});
