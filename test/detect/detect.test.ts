// detect(): every detector over a run, in a stable order; defaults and overrides; findings are
// deterministic and well-formed (witnesses in the log, times matching them) on every sketch.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FINDING_KINDS, type Finding } from "../../sim/detect/finding.js";
import { DETECTOR_DEFAULTS, detect } from "../../sim/detect/index.js";
import { runScenario } from "../../sim/engine/engine.js";
import type { EventRecord } from "../../sim/log/record.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";
import { chainScenario, LogBuilder, min } from "./log-builder.js";

const files = [
  "scenarios/cost-vs-performance.yaml",
  ...readdirSync(repoPath("test/incidents"))
    .filter((f) => f.endsWith("-sketch.yaml"))
    .sort()
    .map((f) => `test/incidents/${f}`),
];
const load = (file: string) => scenarioFromYaml(readFileSync(repoPath(file), "utf8"));

function checkWellFormed(finding: Finding, log: readonly EventRecord[]): void {
  const at = (seq: number) => log.find((r) => r.seq === seq)!;
  expect(FINDING_KINDS).toContain(finding.kind);
  expect(finding.witnesses.length).toBeGreaterThan(0);
  expect(finding.witnesses).toEqual([...new Set(finding.witnesses)].sort((a, b) => a - b));
  for (const seq of [...finding.witnesses, ...finding.rootCauses]) expect(at(seq), `#${seq}`).toBeDefined();
  expect(finding.from).toBe(at(finding.witnesses[0]).t);
  expect(finding.to).toBe(at(finding.witnesses[finding.witnesses.length - 1]).t);
  expect(finding.actors).toEqual([...finding.actors].sort());
  for (const v of Object.values(finding.metrics)) expect(Number.isFinite(v)).toBe(true);
  expect(finding.explanation.length).toBeGreaterThan(0);
  for (const sentence of finding.explanation) expect(sentence).toMatch(/^\S.*\.$/);
}

describe("detect", () => {
  it("has documented defaults in milliseconds and counts", () => {
    expect(DETECTOR_DEFAULTS).toEqual({
      thrashWindowMs: 3_600_000,
      thrashReversalsMin: 3,
      oscillationWindowMs: 3_600_000,
      oscillationReversalsMin: 3,
      flapWindowMs: 1_800_000,
      healthFlipsMin: 4,
      configReturnsMin: 2,
      cascadeDepthMin: 2,
      causalSearchMax: 256,
      retryAmplificationMin: 1.5,
      retryStormPersistMs: 120_000,
      intentWindowMs: 600_000,
    });
    expect(Object.isFrozen(DETECTOR_DEFAULTS)).toBe(true);
  });

  it("runs every detector and sorts findings by start time, then kind", () => {
    const b = new LogBuilder();
    for (let i = 0; i < 4; i++) b.knob(min(20 + i), i % 2 === 0 ? "perf" : "cost", "web", "replicas", i % 2 === 0 ? 6 : 8, i % 2 === 0 ? 8 : 6);
    b.health(min(10), "db", false);
    b.health(min(10), "web", false);
    b.health(min(10), "edge", false);
    b.health(min(12), "db", true);
    b.health(min(12), "web", true);
    b.health(min(13), "db", false);
    b.health(min(14), "db", true);
    const findings = detect(b.view(chainScenario));
    expect(findings.map((f) => [f.kind, f.from])).toEqual([
      ["cascade", min(10)],
      ["flapping", min(10)],
      ["thrashing", min(20)],
    ]);
    expect(detect(b.view(chainScenario), { thrashReversalsMin: 4, healthFlipsMin: 5, cascadeDepthMin: 3 })).toEqual([]);
  });

  it("returns nothing for a log without knob changes or health changes", () => {
    expect(detect(new LogBuilder().view(chainScenario))).toEqual([]);
  });

  describe.each(files)("on %s", (file) => {
    const scenario = load(file);
    const run = runScenario(scenario);
    const findings = detect(run);

    it("gives deep-equal findings for a second run of the same scenario", () => {
      expect(detect(runScenario(scenario))).toEqual(findings);
    });

    it("gives well-formed findings whose witnesses are in the log", () => {
      for (const f of findings) checkWellFormed(f, run.log);
    });
  });
});
