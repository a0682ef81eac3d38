// Error output stays linear in the input and bounded: a file with thousands of bad references
// does not print every id in every message, one huge value does not become a huge message, and
// the problem list is cut with a count.
import { describe, expect, it } from "vitest";
import { loadSuite } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";

function errorOf(text: string): ScenarioError {
  try {
    loadSuite(text, "big.yaml");
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error("expected a ScenarioError");
}

describe("error output", () => {
  it("does not list every id in every unknown-reference error", () => {
    const n = 2000;
    const lines = ["name: big", "seed: 1", "duration: 1m", "components:"];
    for (let i = 0; i < n; i++) lines.push(`  - { id: svc${i}, kind: service, dependsOn: [missing${i}] }`);
    const e = errorOf(lines.join("\n"));
    expect(e.problems.length).toBe(n);
    // 2,000 problems each naming 2,000 ids were ~20 MB; now each message is bounded.
    for (const p of e.problems) expect(p.expected.length, p.expected.slice(0, 80)).toBeLessThan(400);
    expect(e.message.length).toBeLessThan(100_000);
    expect(e.message).toMatch(/\d+ more problems/);
    expect(e.problems[0].expected).toMatch(/2000 in all/);
  });

  it("elides one huge bad value instead of repeating it", () => {
    const huge = "x".repeat(500_000);
    const e = errorOf(`name: big\nseed: 1\nduration: 1m\ncomponents:\n  - { id: a, kind: service, baseLatency: "${huge}" }\n`);
    expect(e.message.length).toBeLessThan(5_000);
    expect(e.message).toMatch(/characters/);
  });

  it("says nesting is too deep, with its location, instead of the parser's stack overflow", () => {
    const deep = `x: ${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const e = errorOf(`name: big\nseed: 1\nduration: 1m\n${deep}\n`);
    expect(e.message).toMatch(/nesting too deep/);
    expect(e.message).not.toMatch(/Maximum call stack/);
    expect(e.problems[0].line).toBe(4);
  });
});
