// A slice of the "run-files" fuzz target inside `npm test`: forged run files at a fixed batch seed;
// `npm run fuzz -- --only run-files` runs 2,000 cases.
import { describe, expect, it } from "vitest";
import { runFileForgery } from "../../fuzz/run-file-forgery.js";

const SEED = 13;
/** A fixed number of cases, so every run tries the same ones however busy the machine is. */
const CASES = 150;

describe("fuzz: forged run files", () => {
  it(
    `verify refuses them or every analysis works and writes only its generator's structure (seed ${SEED}, ${CASES} cases)`,
    async () => {
      const report = await runFileForgery.run({ seed: SEED, cases: CASES });
      const shown = report.failures.slice(0, 3).map((f) => `case-seed=${f.caseSeed}: ${f.what}\n${f.input.slice(0, 1500)}`);
      expect(shown).toEqual([]);
      expect(report.tried).toBe(CASES);
    },
    180_000,
  );
});
