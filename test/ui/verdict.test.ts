// The app's header verdict uses the same rule as the CLI and the report: a run cut short is FAIL
// even when every expectation held, including the report the app exports for it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runAndCheck } from "../../sim/assert/check.js";
import { toHtmlReport } from "../../sim/export/html-report.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { appVerdict, appVerdictWords } from "../../ui/model/verdict.js";
import { storyOfRun } from "../../sim/story/index.js";
import { repoPath } from "../helpers/scenarios.js";

const FILE = "scenarios/cost-vs-performance.yaml";
const variant = loadVariant(readFileSync(repoPath(FILE), "utf8"), FILE, "blind");

/** The fields of the app's RunPayload the verdict and the report read, from a real run. */
function payload(maxEvents?: number) {
  const { run, verdict } = runAndCheck(variant, { maxEvents });
  return { complete: true, passed: verdict.passed, log: run.log, expectations: verdict.expectations, run, verdict };
}

describe("appVerdict", () => {
  it("is PASS for the complete blind run and FAIL for the same run cut short, whose expectations all held", () => {
    expect(appVerdict(payload())).toBe("PASS");
    const bounded = payload(2000);
    expect(bounded.expectations.every((e) => e.passed)).toBe(true);
    expect(appVerdict(bounded)).toBe("FAIL");
    // Even a payload that claims to have passed: the log's run.ended record says it stopped early.
    expect(appVerdict({ ...bounded, passed: true })).toBe("FAIL");
  });

  it("is undefined while the run is still simulating", () => {
    expect(appVerdict({ ...payload(2000), complete: false })).toBeUndefined();
  });

  it("the report the app exports for a bounded run (no `incomplete` passed) is not PASS", () => {
    const { run, verdict } = payload(2000);
    const html = toHtmlReport({ scenario: run.scenario.name, seed: run.seed, finalHash: run.finalHash, log: run.log, telemetry: run.telemetry, findings: verdict.findings, expectations: verdict.expectations });
    expect(html).toContain(`<header class="verdict-fail">`);
  });
});

describe("appVerdictWords", () => {
  it("gives the worker's story's words and system health for a complete run, nothing while it simulates", () => {
    const p = payload();
    const story = storyOfRun(variant, p.run, p.verdict);
    expect(appVerdictWords({ ...p, story })).toEqual({ verdict: story.verdict, system: story.system });
    expect(appVerdictWords({ ...p, story })!.verdict.text).toBe("expectations met (5/5)");
    expect(appVerdictWords({ ...p, complete: false, story })).toBeUndefined();
  });

  it("words a payload without a story from its log: a run cut short says so", () => {
    expect(appVerdictWords(payload(2000))?.verdict).toMatchObject({ label: "FAIL", text: expect.stringMatching(/^run stopped early: /) });
    expect(appVerdictWords(payload(2000))?.system).toBeUndefined();
  });
});
