// Oscillation: fires on one actor reversing its own changes of a knob, stays quiet on two actors
// (thrashing's case), on a reversal with another actor's change in between (a coupled loop), on
// reversals too far apart or too few; and finds the NLB health checks hunting in the DynamoDB
// race sketch.
import { describe, expect, it } from "vitest";
import { DETECTOR_DEFAULTS, detect } from "../../sim/detect/index.js";
import { detectOscillation } from "../../sim/detect/oscillation.js";
import { runScenario } from "../../sim/engine/engine.js";
import { repoPath } from "../helpers/scenarios.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { readFileSync } from "node:fs";
import { chainScenario, LogBuilder, min } from "./log-builder.js";

/** `actor` swinging web.replicas 4 <-> 6 at the given minutes, each change caused by the previous. */
function swings(b: LogBuilder, minutes: readonly number[], actor: (i: number) => string = () => "scaler"): number[] {
  const seqs: number[] = [];
  minutes.forEach((m, i) => {
    const up = i % 2 === 0;
    const causes = seqs.length > 0 ? [seqs[seqs.length - 1]] : [0];
    seqs.push(b.knob(min(m), actor(i), "web", "replicas", up ? 4 : 6, up ? 6 : 4, { causes, reason: up ? "web.utilization = 0.9 > 0.75" : "web.utilization = 0.5 < 0.6" }).seq);
  });
  return seqs;
}

describe("detectOscillation on hand-built logs", () => {
  it("fires on one actor hunting, with metrics, witnesses and explanation", () => {
    const b = new LogBuilder();
    const seqs = swings(b, [10, 12, 13, 15, 16]);
    const [finding, ...rest] = detectOscillation(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      kind: "oscillation",
      severity: "warning",
      from: min(10),
      to: min(16),
      knob: "web.replicas",
      actors: ["scaler"],
      components: ["web"],
      witnesses: seqs,
      rootCauses: [seqs[0]],
    });
    // Reversals at 12, 13, 15, 16 min: gaps 1, 2, 1 -> period 1 min; same-direction gaps 3, 3 -> cycle 3 min.
    expect(finding.metrics).toEqual({ reversals: 4, changes: 5, periodMs: min(1), cycleMs: min(3), amplitude: 2 });
    expect(finding.explanation[0]).toContain("scaler reversed its own change of web.replicas 4 times between 00:10:00 and 00:16:00, a full swing about every 3m, by 2 each time");
    expect(finding.explanation[1]).toBe(`scaler lowered web.replicas 6->4 at 00:12:00 because web.utilization = 0.5 < 0.6, 2m after it raised web.replicas 4->6 (#${seqs[0]}).`);
    expect(finding.explanation).toHaveLength(5); // summary, 3 reversals, "1 more"
  });

  it("is in detect()'s findings, and thrashing does not report the same changes", () => {
    const b = new LogBuilder();
    swings(b, [10, 12, 13, 15, 16]);
    const kinds = detect(b.view(chainScenario)).map((f) => f.kind);
    expect(kinds).toEqual(["oscillation"]);
  });

  it("stays quiet when two actors alternate (thrashing reports that)", () => {
    const b = new LogBuilder();
    swings(b, [10, 12, 13, 15, 16], (i) => (i % 2 === 0 ? "perf" : "cost"));
    expect(detectOscillation(b.view(chainScenario), DETECTOR_DEFAULTS)).toEqual([]);
    expect(detect(b.view(chainScenario)).map((f) => f.kind)).toEqual(["thrashing"]);
  });

  it("does not count a self-reversal with another actor's change of the component in between", () => {
    const b = new LogBuilder();
    b.knob(min(10), "scaler", "web", "replicas", 4, 6, { causes: [0] });
    b.knob(min(11), "vpa", "web", "cpuRequestMillicores", 500, 800, { causes: [1] });
    b.knob(min(12), "scaler", "web", "replicas", 6, 4, { causes: [2] });
    b.knob(min(12.5), "vpa", "web", "cpuRequestMillicores", 800, 500, { causes: [3] });
    b.knob(min(13), "scaler", "web", "replicas", 4, 6, { causes: [4] });
    b.knob(min(13.5), "vpa", "web", "cpuRequestMillicores", 500, 800, { causes: [5] });
    b.knob(min(14), "scaler", "web", "replicas", 6, 4, { causes: [6] });
    expect(detectOscillation(b.view(chainScenario), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("counts a self-reversal when another actor changed a different component in between", () => {
    const b = new LogBuilder();
    b.knob(min(10), "scaler", "web", "replicas", 4, 6, { causes: [0] });
    b.knob(min(11), "other", "db", "replicas", 1, 2, { causes: [0] });
    b.knob(min(12), "scaler", "web", "replicas", 6, 4, { causes: [1] });
    b.knob(min(13), "scaler", "web", "replicas", 4, 6, { causes: [3] });
    b.knob(min(14), "scaler", "web", "replicas", 6, 4, { causes: [4] });
    const [finding] = detectOscillation(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(finding.metrics.reversals).toBe(3);
    expect(finding.witnesses).toEqual([1, 3, 4, 5]);
  });

  it("needs the reversals within the window, and at least oscillationReversalsMin of them", () => {
    const sparse = new LogBuilder();
    swings(sparse, [0, 70, 140, 210]); // reversals 70 min apart: never 3 in an hour
    expect(detectOscillation(sparse.view(chainScenario), DETECTOR_DEFAULTS)).toEqual([]);
    const two = new LogBuilder();
    swings(two, [10, 11, 12]); // 2 reversals
    expect(detectOscillation(two.view(chainScenario), DETECTOR_DEFAULTS)).toEqual([]);
    expect(detectOscillation(two.view(chainScenario), { ...DETECTOR_DEFAULTS, oscillationReversalsMin: 2 })).toHaveLength(1);
    const sameWay = new LogBuilder();
    for (let i = 0; i < 5; i++) sameWay.knob(min(10 + i), "scaler", "web", "replicas", 4 + i, 5 + i, { causes: [0] });
    expect(detectOscillation(sameWay.view(chainScenario), DETECTOR_DEFAULTS)).toEqual([]);
  });
});

describe("oscillation on a real run", () => {
  it("names the NLB health checks hunting on a zone in the DynamoDB race sketch (blind)", () => {
    const file = "scenarios/dynamodb-dns-race.yaml";
    const run = runScenario(loadVariant(readFileSync(repoPath(file), "utf8"), file, "blind").scenario);
    const found = detect(run).filter((f) => f.kind === "oscillation");
    expect(found.map((f) => f.knob)).toEqual(["nlb.inService.az-a", "nlb.inService.az-b", "nlb.inService.az-c"]);
    for (const f of found) {
      expect(f.actors).toEqual(["nlb-health-checks"]);
      expect(f.metrics.reversals).toBeGreaterThan(50);
      expect(f.metrics.cycleMs).toBe(60_000);
    }
  });
});
