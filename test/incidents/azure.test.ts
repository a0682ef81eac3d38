// INCIDENTS.md section 2 expressed in YAML: a config whose metadata crashes edge nodes 5-7 min
// after they load it passes a 1% -> 10% -> 100% rollout with a 2 min bake before the first crash,
// is promoted to last-known-good, crashes the fleet in waves that push survivors over capacity,
// and the rollback to LKG crashes it again. Fixes, each on its own: a bake longer than the crash
// delay, validating the document, a soak before promotion, and a stagedRollout policy (which
// also stops the 9 Oct cleanup path from writing straight to 100%).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";

const text = readFileSync(repoPath("test/incidents/azure-sketch.yaml"), "utf8");
const BAD_PUT_MS = 10 * 60_000;
const CRASH_FIRST_MS = BAD_PUT_MS + 5 * 60_000;
const cleanup = "  - { id: cleanup, kind: cleanupOperator, target: edge, version: 2, at: 11m }\n";
const policy = "coordination:\n  stagedRollout: { knobs: [edge.rollout], stages: [1, 10, 100], bake: 10m, lkg: [afd.lkg] }\n";
const withBake = (bake: string) => text.replace("bake: 2m,", `bake: ${bake},`);

function series(run: RunResult, signal: string): { t: number; v: number }[] {
  const values = run.telemetry.series("edge", signal);
  return Array.from({ length: run.telemetry.count }, (_, i) => ({ t: run.telemetry.times[i], v: values[i] }));
}

/** Lowest share of requests served (1 - errorRate) in [fromMs, toMs). */
function minServed(run: RunResult, fromMs = 0, toMs = Infinity): number {
  return Math.min(...series(run, "errorRate").filter((s) => s.t >= fromMs && s.t < toMs).map((s) => 1 - s.v));
}

const events = (run: RunResult, type: string, actor?: string) => run.log.filter((r) => r.type === type && (actor === undefined || r.actor === actor));
const lkgPuts = (run: RunResult) => events(run, "document.put").filter((r) => r.data.document === "lkg");

describe("azure front door sketch, blind (bake 2m < crash delay 5m)", () => {
  const run = runScenario(scenarioFromYaml(text));

  it("passes every stage and promotes the bad config to LKG before the first node crashes", () => {
    const stages = events(run, "rollout.changed", "deployer").map((r) => [r.t, r.data.to]);
    expect(stages).toEqual([
      [BAD_PUT_MS, 1],
      [BAD_PUT_MS + 120_000, 10],
      [BAD_PUT_MS + 240_000, 100],
    ]);
    const promoted = lkgPuts(run);
    expect(promoted).toHaveLength(1);
    expect(promoted[0].data.schema).toBe("v1+v2");
    expect(promoted[0].t).toBeLessThan(CRASH_FIRST_MS);
    expect(series(run, "available").filter((s) => s.t <= promoted[0].t).every((s) => s.v === 1)).toBe(true);
  });

  it("crashes in waves that push the survivors over capacity, until availability is below 50%", () => {
    const available = series(run, "available");
    expect(available.find((s) => s.t === CRASH_FIRST_MS + 60_000)!.v).toBeCloseTo(0.995, 6);
    const overloaded = series(run, "utilization").find((s) => s.v > 1 && Number.isFinite(s.v))!;
    expect(overloaded.t).toBeGreaterThan(CRASH_FIRST_MS);
    expect(available.find((s) => s.t === overloaded.t)!.v).toBeLessThan(0.6);
    expect(minServed(run)).toBeLessThan(0.5);
  });

  it("rolls back to the LKG, which is the bad config, so the fleet recovers and then fails again", () => {
    const restores = events(run, "document.put", "rollback");
    expect(restores.length).toBeGreaterThanOrEqual(2);
    expect(restores[0].data.schema).toBe("v1+v2");
    expect(restores[0].data.reason).toMatch(/^edge\.errorRate = [\d.]+ > 0\.200 on 3 evaluations in a row: restore last-known-good afd\.lkg version 2/);
    const first = restores[0].t;
    // The restored nodes reload and serve until their async worker crashes them again.
    expect(minServed(run, first + 60_000, first + 5 * 60_000)).toBe(1);
    expect(minServed(run, first + 7 * 60_000 + 5_000, restores[1].t)).toBe(0);
    expect(series(run, "errorRate").at(-1)!.t).toBe(45 * 60_000);
  });

  it("names the bad config's put among the causes of the edge going unhealthy", () => {
    const down = run.log.find((r) => r.type === "health.changed" && r.target === "edge" && r.data.healthy === false)!;
    expect(down.causes.map((c) => run.log[c]).some((c) => c.type === "document.put" && c.data.schema === "v1+v2")).toBe(true);
  });

  it("is deterministic: the same seed gives the same final hash", () => {
    expect(runScenario(scenarioFromYaml(text)).finalHash).toBe(run.finalHash);
  });
});

describe("azure front door sketch, coordinated", () => {
  it("bake 10m > crash delay: the bad version is stopped at 1% and never promoted", () => {
    const run = runScenario(scenarioFromYaml(withBake("10m")));
    expect(events(run, "rollout.changed", "deployer").map((r) => r.data.to)).toEqual([1, 0]);
    expect(events(run, "rollout.changed", "deployer")[1].data.reason).toMatch(/^edge\.available = 0\.995 < 1 with afd\.config version 2 on 1% of edge: roll the stage back/);
    expect(lkgPuts(run)).toHaveLength(0);
    expect(events(run, "document.put", "rollback")).toHaveLength(0);
    expect(minServed(run)).toBe(1);
    expect(Math.min(...series(run, "available").map((s) => s.v))).toBeCloseTo(0.995, 6);
  });

  it("validation of the document: the bad version is refused and never deploys", () => {
    const run = runScenario(scenarioFromYaml(`${text}coordination:\n  validation: { documents: [afd.config], schema: v1 }\n`));
    const rejected = events(run, "command.rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0].data.policy).toBe("validation");
    expect(rejected[0].data.reason).toBe('afd.config version 2 refused: schema "v1+v2" is not the expected "v1"; readers keep version 1');
    expect(events(run, "rollout.changed")).toHaveLength(0);
    expect(events(run, "config.deployed")).toHaveLength(0);
    expect(Math.min(...series(run, "available").map((s) => s.v))).toBe(1);
  });

  it("a soak before promotion keeps the good LKG, so the rollback restores service", () => {
    const run = runScenario(scenarioFromYaml(text.replace("bake: 2m,", "bake: 2m, soak: 10m,")));
    expect(lkgPuts(run)).toHaveLength(0);
    const restores = events(run, "document.put", "rollback");
    expect(restores).toHaveLength(1);
    expect(restores[0].data.schema).toBe("v1");
    expect(minServed(run, 0, restores[0].t + 5_000)).toBeLessThan(0.8);
    expect(minServed(run, restores[0].t + 5_000)).toBe(1);
  });

  it("stagedRollout policy (bake 10m): advances before the bake are rejected and the 1% stage is rolled back", () => {
    const run = runScenario(scenarioFromYaml(text + policy));
    const rejected = events(run, "command.rejected", "deployer");
    expect(rejected.length).toBeGreaterThan(0);
    for (const r of rejected) {
      expect(r.data.policy).toBe("stagedRollout");
      expect(r.data.reason).toMatch(/^edge\.rollout 1% -> 10% comes \S+ after the 1% stage began; it must bake 10m \(not before 00:20:00\)$/);
    }
    expect(events(run, "rollout.changed").map((r) => r.data.to)).toEqual([1, 0]);
    expect(lkgPuts(run)).toHaveLength(0);
    expect(minServed(run)).toBe(1);
  });
});

describe("azure front door sketch, the 9 Oct cleanup path", () => {
  it("blind: even with a 10m bake, the cleanup's write straight to 100% crashes the fleet", () => {
    const run = runScenario(scenarioFromYaml(withBake("10m") + cleanup));
    const bypass = events(run, "rollout.changed", "cleanup");
    expect(bypass.map((r) => [r.t, r.data.from, r.data.to])).toEqual([[11 * 60_000, 1, 100]]);
    expect(minServed(run)).toBe(0);
    expect(lkgPuts(run)[0].data.schema).toBe("v1+v2");
  });

  it("with the stagedRollout policy the cleanup's write is rejected, naming the skipped stage", () => {
    const run = runScenario(scenarioFromYaml(text + cleanup + policy));
    const rejected = events(run, "command.rejected", "cleanup");
    expect(rejected).toHaveLength(1);
    expect(rejected[0].data).toMatchObject({ knob: "rollout", value: 100, policy: "stagedRollout", reason: "edge.rollout 1% -> 100% skips the 10% stage (stages 1% -> 10% -> 100%)" });
    expect(events(run, "rollout.changed", "cleanup")).toHaveLength(0);
    expect(minServed(run)).toBe(1);
    expect(Math.min(...series(run, "available").map((s) => s.v))).toBeCloseTo(0.995, 6);
  });

  it("is deterministic with the policy on", () => {
    const scenario = scenarioFromYaml(text + cleanup + policy);
    expect(runScenario(scenario).finalHash).toBe(runScenario(scenario).finalHash);
  });
});
