// A slice of the "scenarios" fuzz target inside `npm test`: mutated library scenarios must exit
// 0, 1 or 2 in validate and run, never hang or print NaN, and run whatever validate accepts. A
// failure prints the command that reproduces the case alone. `npm run fuzz -- --only scenarios`
// runs 2,000 cases.
import { describe, expect, it } from "vitest";
import { scenarioMutations } from "../../fuzz/scenario-mutations.js";

/**
 * A fixed number of cases at a fixed batch seed, so every run tries the same cases however busy
 * the machine is (a wall-clock slice tried more or fewer). Each case still has its own 60 s budget.
 */
const CASES = 50;
const SEED = 1;

describe(`fuzz: mutated library scenarios (${CASES} cases)`, () => {
  it("no case exits 3, hangs, prints NaN, or is accepted by validate and refused by run", async () => {
    const report = await scenarioMutations.run({ seed: SEED, cases: CASES });
    const failures = report.failures.map((f) => `${f.what}\n  reproduce: npm run fuzz -- --only scenarios --case-seed ${f.caseSeed}\n${f.input.slice(0, 1500)}`);
    expect(failures).toEqual([]);
    expect(report.tried).toBe(CASES);
  }, 240_000);
});
