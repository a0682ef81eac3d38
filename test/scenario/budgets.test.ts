// Scenarios that validate must be runnable: a step longer than the duration, more world steps
// than the engine should take on, or telemetry too large to allocate are refused by `validate`
// (and so by `run`, which loads the same way) with the field, the figure and a hint.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSuite } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import { crossfire } from "../helpers/cli.js";

function problemsOf(text: string) {
  try {
    loadSuite(text, "budget.yaml");
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  return [];
}

const base = (timing: string, components = 1) =>
  `name: budget\nseed: 1\n${timing}\ncomponents:\n${Array.from({ length: components }, (_, i) => `  - { id: s${i}, kind: service }`).join("\n")}\n`;

describe("resource budgets", () => {
  it("refuses a step longer than the duration (a run of one sample would pass vacuously)", () => {
    const p = problemsOf(base("duration: 10s\nstep: 1m"));
    expect(p.map((x) => x.path.join("."))).toContain("step");
    expect(p.find((x) => x.path[0] === "step")!.expected).toMatch(/no longer than the duration/);
  });

  it("refuses more than 20 million world steps", () => {
    const p = problemsOf(base("duration: 365d\nstep: 1ms"));
    expect(p.find((x) => x.path[0] === "step")!.expected).toMatch(/at most 20,000,000 world steps/);
  });

  it("refuses telemetry over 1 GB and suggests sampling less often", () => {
    const p = problemsOf(base("duration: 30d\nstep: 1s", 300));
    const t = p.find((x) => /telemetry/.test(x.expected))!;
    expect(t.path).toEqual(["step"]);
    expect(t.hint).toMatch(/sampleEvery/);
    expect(problemsOf(base("duration: 30d\nstep: 1s\nsampleEvery: 1h", 300))).toEqual([]);
  });

  it("accepts the library's timings", () => {
    expect(problemsOf(base("duration: 24h\nstep: 5s", 200))).toEqual([]);
  });

  it("the CLI refuses an enormous duration with exit 2 in validate and run, never 3", () => {
    for (const timing of ["duration: 100000000d\nstep: 5s", "duration: 365d\nstep: 1ms"]) {
      const file = join(mkdtempSync(join(tmpdir(), "crossfire-budget-")), "budget.yaml");
      writeFileSync(file, base(timing));
      for (const cmd of ["validate", "run"]) {
        const out = crossfire([cmd, file]);
        expect(out.code, `${cmd} ${timing}: ${out.stderr}`).toBe(2);
        expect(out.stderr).toMatch(/world steps|telemetry/);
      }
    }
  }, 60_000);
});
