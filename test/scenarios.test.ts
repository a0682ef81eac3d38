// Every scenario file in scenarios/ (and the tutorial's finished example in docs/examples/),
// every variant, through the same code path as `crossfire test` (runAndCheck): `npm test` fails
// when a scenario's expectation fails.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runAndCheck } from "../sim/assert/check.js";
import { loadSuite } from "../sim/scenario/load.js";
import { repoPath } from "./helpers/scenarios.js";

const files = [
  ...readdirSync(repoPath("scenarios")).filter((f) => f.endsWith(".yaml")).sort().map((f) => `scenarios/${f}`),
  ...readdirSync(repoPath("docs/examples")).filter((f) => f.endsWith(".yaml")).sort().map((f) => `docs/examples/${f}`),
];

describe.each(files)("%s", (file) => {
  const suite = loadSuite(readFileSync(repoPath(file), "utf8"), file);

  it("declares variants with expectations", () => {
    expect(suite.variants.length).toBeGreaterThan(0);
    for (const v of suite.variants) expect(v.expectations.length, `${v.name} has no expectations`).toBeGreaterThan(0);
  });

  it.each(suite.variants.map((v) => [v.name, v] as const))("variant %s meets its expectations", (_, variant) => {
    const { verdict } = runAndCheck(variant);
    const failed = verdict.expectations.filter((e) => !e.passed).map((e) => `${e.name} (line ${e.line}): expected ${e.expected}; observed ${e.observed}`);
    expect(failed).toEqual([]);
    expect(verdict.incomplete).toBeUndefined();
    expect(verdict.passed).toBe(true);
  });
});
