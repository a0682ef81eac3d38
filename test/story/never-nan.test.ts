// summarizeRun never throws and never says NaN: on every library and example variant, and on
// any prefix of a real run (as the app holds one while it streams), with any subset of its
// findings and expectations (fast-check).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { storyComponents, summarizeRun } from "../../sim/story/index.js";
import { LIBRARY_FILES, nonFiniteNumbers, storyOf, variantsOf } from "./library.js";

const ALL = LIBRARY_FILES.flatMap((file) => variantsOf(file).map((v) => [file, v.name] as const));

describe("every library variant", () => {
  it.each(ALL)("%s [%s] has a story without NaN whose verdict agrees with the run's", (file, name) => {
    const { story, verdict } = storyOf(file, name);
    expect(nonFiniteNumbers(story)).toEqual([]);
    expect(story.headline.length).toBeGreaterThan(0);
    expect(story.verdict.label === "PASS").toBe(verdict.passed);
    expect(story.system.worstAvailability).toBeGreaterThanOrEqual(0);
    expect(story.system.worstAvailability).toBeLessThanOrEqual(1);
    if (story.system.state === "healthy") expect(story.phases).toEqual([]);
    else expect(story.phases.some((p) => p.kind === "impact")).toBe(true);
  });
});

describe("any part of a run", () => {
  const runs = [storyOf("scenarios/dynamodb-dns-race.yaml", "blind"), storyOf("scenarios/retry-storm.yaml", "blind"), storyOf("scenarios/azure-front-door-lkg.yaml", "slow-rebalance")];

  it("summarizes a prefix of the log and telemetry with any findings and expectations, without throwing or NaN", () => {
    fc.assert(
      fc.property(fc.nat({ max: runs.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.array(fc.boolean(), { maxLength: 40 }), (which, logShare, sampleShare, keep) => {
        const { run, verdict, variant } = runs[which];
        const log = run.log.slice(0, Math.floor(run.log.length * logShare));
        const count = Math.floor(run.telemetry.count * sampleShare);
        const pick = <T,>(xs: readonly T[]) => xs.filter((_, i) => keep[i % Math.max(1, keep.length)] ?? true);
        const story = summarizeRun({
          scenario: { name: variant.scenario.name, description: variant.scenario.description },
          log,
          findings: pick(verdict.findings).filter((f) => f.witnesses.every((s) => s < log.length) && f.rootCauses.every((s) => s < log.length)),
          telemetry: { componentIds: run.telemetry.componentIds, signalNames: run.telemetry.signalNames, count, times: run.telemetry.times, values: run.telemetry.values },
          expectations: pick(verdict.expectations),
          components: storyComponents(variant.scenario.components),
        });
        expect(nonFiniteNumbers(story)).toEqual([]);
        for (const p of story.phases) expect(p.t).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 60, seed: 17 },
    );
  });
});
