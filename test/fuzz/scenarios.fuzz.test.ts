// A 60-second slice of the "scenarios" fuzz target inside `npm test`: mutated library scenarios
// must exit 0, 1 or 2 in validate and run, never hang or print NaN, and run whatever validate
// accepts. A failure prints the command that reproduces the case alone.
import { describe, expect, it } from "vitest";
import { scenarioMutations } from "../../fuzz/scenario-mutations.js";

/** Wall-clock length of the slice; the batch seed is fixed so the slice tries the same cases each time. */
const SLICE_MS = 60_000;
const SEED = 1;

describe("fuzz: mutated library scenarios (60 s slice)", () => {
  it("no case exits 3, hangs, prints NaN, or is accepted by validate and refused by run", async () => {
    const report = await scenarioMutations.run({ seed: SEED, cases: 2000, deadlineMs: Date.now() + SLICE_MS });
    const failures = report.failures.map((f) => `${f.what}\n  reproduce: npm run fuzz -- --only scenarios --case-seed ${f.caseSeed}\n${f.input.slice(0, 1500)}`);
    expect(failures).toEqual([]);
    expect(report.tried).toBeGreaterThanOrEqual(50);
  }, SLICE_MS + 60_000);
});
