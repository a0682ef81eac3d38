// A time-boxed slice of the "run-files" fuzz target inside `npm test`: forged run files at a fixed
// batch seed for about 40 s; `npm run fuzz -- --only run-files` runs longer batches.
import { describe, expect, it } from "vitest";
import { runFileForgery } from "../../fuzz/run-file-forgery.js";

const SLICE_MS = 40_000;
const SEED = 13;
const CASES_MIN = 150;

describe("fuzz: forged run files", () => {
  it(
    `verify refuses them or every analysis works and writes only its generator's structure (seed ${SEED}, ${SLICE_MS / 1000} s)`,
    async () => {
      const report = await runFileForgery.run({ seed: SEED, cases: 100_000, deadlineMs: Date.now() + SLICE_MS });
      const shown = report.failures.slice(0, 3).map((f) => `case-seed=${f.caseSeed}: ${f.what}\n${f.input.slice(0, 1500)}`);
      expect(shown).toEqual([]);
      expect(report.tried).toBeGreaterThanOrEqual(CASES_MIN);
    },
    SLICE_MS + 60_000,
  );
});
