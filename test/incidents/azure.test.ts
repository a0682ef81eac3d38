// INCIDENTS.md section 2 as scenarios/azure-front-door-lkg.yaml: a config whose metadata crashes
// edge nodes 5-7 min after they load it passes a 1% -> 10% -> 100% rollout with a 2 min bake before
// the first crash, is promoted to last-known-good, crashes four edge sites in waves that push the
// survivors over capacity while the balancer's health checks take every site out, and the rollback
// to LKG crashes them again; a cleanup path writes it straight to 100% of edge-eu (9 Oct). Fixes,
// each on its own: the stagedRollout policy (bake 10m, soak gate, no skipped stage), validation, a
// soak before promotion, a velocity limit on the balancer. The detectors must blame the config
// writes, not the crashes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCausalGraph } from "../../sim/causal/graph.js";
import { detect } from "../../sim/detect/index.js";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { repoPath } from "../helpers/scenarios.js";

const FILE = "scenarios/azure-front-door-lkg.yaml";
const text = readFileSync(repoPath(FILE), "utf8");
const SITES = ["edge-na", "edge-eu", "edge-af", "edge-ap"];
const MIN = 60_000;
const BAD_PUT_MS = 10 * MIN;
// Consumers load a version at the step after the write (5 s), so crashes come 5 s after the minute.
const STEP_MS = 5_000;
const CANARY_CRASH_MS = BAD_PUT_MS + STEP_MS + 5 * MIN;
/** Telemetry keeps 32-bit floats. */
const f32 = Math.fround;

const variant = (name: string, source = text) => loadVariant(source, FILE, name).scenario;
/** The file with the deployer's own settings changed (its bake line replaced). */
const withDeployer = (lines: string) => text.replace("    stages: [1, 10, 100]\n    bake: 2m\n", `    stages: [1, 10, 100]\n${lines}`);

function series(run: RunResult, component: string, signal: string): { t: number; v: number }[] {
  const values = run.telemetry.series(component, signal);
  return Array.from({ length: run.telemetry.count }, (_, i) => ({ t: run.telemetry.times[i], v: values[i] }));
}
const at = (run: RunResult, component: string, signal: string, t: number) => series(run, component, signal).find((s) => s.t === t)!.v;

/** Lowest share of `component`'s requests served (1 - errorRate) in [fromMs, toMs). */
function minServed(run: RunResult, component: string, fromMs = 0, toMs = Infinity): number {
  return Math.min(...series(run, component, "errorRate").filter((s) => s.t >= fromMs && s.t < toMs).map((s) => 1 - s.v));
}

const events = (run: RunResult, type: string, actor?: string) => run.log.filter((r) => r.type === type && (actor === undefined || r.actor === actor));
const lkgPuts = (run: RunResult) => events(run, "document.put").filter((r) => r.data.document === "lkg");
const failures = (run: RunResult, component: string) => events(run, "health.changed").filter((r) => r.target === component && r.data.healthy === false);

describe("azure-front-door-lkg, blind", () => {
  const run = runScenario(variant("blind"));

  it("passes every stage and promotes the bad config to LKG before the first node crashes", () => {
    const stages = events(run, "rollout.changed", "deployer").filter((r) => r.target === "edge-na").map((r) => [r.t, r.data.to]);
    expect(stages).toEqual([
      [BAD_PUT_MS, 1],
      [BAD_PUT_MS + 2 * MIN, 10],
      [BAD_PUT_MS + 4 * MIN, 100],
    ]);
    const promoted = lkgPuts(run).filter((r) => r.actor === "deployer");
    expect(promoted.map((r) => r.data.schema)).toEqual(["v1+v2"]);
    expect(promoted[0].t).toBeLessThan(CANARY_CRASH_MS);
    for (const site of SITES) {
      expect(series(run, site, "available").filter((s) => s.t < CANARY_CRASH_MS).every((s) => s.v === 1), site).toBe(true);
      // The 1% canary's early-crashing node goes first, after the promotion.
      expect(at(run, site, "available", CANARY_CRASH_MS), site).toBe(f32(0.99));
    }
  });

  it("9 Oct: the cleanup writes edge-eu from 1% straight to 100%, so edge-eu crashes first", () => {
    expect(events(run, "rollout.changed", "cleanup").map((r) => [r.t, r.target, r.data.from, r.data.to])).toEqual([[11 * MIN, "edge-eu", 1, 100]]);
    expect(at(run, "edge-eu", "available", 16 * MIN + STEP_MS)).toBe(0.5);
    expect(at(run, "edge-na", "available", 16 * MIN + STEP_MS)).toBe(f32(0.99));
    expect(failures(run, "edge-eu")[0].t).toBeLessThan(failures(run, "edge-na")[0].t);
  });

  it("crashes in waves that push the survivors over capacity, below 50% availability", () => {
    // Staged sites: 1% canary at 15m, the 10% slice at 17m, the 100% stage's early half at 19m.
    expect([15, 17, 19].map((m) => at(run, "edge-na", "available", m * MIN + STEP_MS))).toEqual([0.99, 0.95, 0.47].map(f32));
    expect(at(run, "edge-eu", "available", 18 * MIN + STEP_MS)).toBe(f32(0.2));
    const overloaded = series(run, "edge-na", "utilization").find((s) => s.v > 1)!;
    expect(overloaded.t).toBe(19 * MIN + STEP_MS);
    expect(at(run, "edge-na", "available", overloaded.t)).toBeLessThan(0.5);
    expect(minServed(run, "apps")).toBe(0);
  });

  it("the balancer moves load off the failing site onto the others, then takes every site out", () => {
    const removals = events(run, "inService.changed", "balancer").filter((r) => r.data.to === 0);
    expect(removals[0]).toMatchObject({ t: 16 * MIN + 30_000, data: { knob: "inService.edge-eu" } });
    expect(removals[0].data.reason).toBe("edge-eu.errorRate = 0.175 > 0.050 on 3 probes in a row: take edge-eu out of afd");
    expect(at(run, "edge-na", "utilization", 17 * MIN)).toBeCloseTo(0.8 / 0.99, 2);
    expect(Math.min(...series(run, "afd", "available").map((s) => s.v))).toBe(0);
    expect(removals.length).toBeGreaterThan(10);
  });

  it("rolls back to the LKG, which is the bad config, so the fleet recovers and crashes again until the LKG is fixed by hand", () => {
    const restores = events(run, "document.put", "rollback");
    expect(restores.map((r) => r.data.schema)).toEqual(["v1+v2", "v1"]);
    expect(restores[0].data.reason).toMatch(/^afd\.errorRate = [\d.]+ > 0\.200 on 3 evaluations in a row: restore last-known-good afd-config\.lkg version 2 /);
    const first = restores[0].t;
    expect(events(run, "config.deployed", "rollback").filter((r) => r.t === first).map((r) => r.target)).toEqual(SITES);
    // The restored nodes reload and serve until their async worker crashes them again.
    expect(minServed(run, "apps", first + MIN, first + 5 * MIN)).toBe(1);
    expect(failures(run, "edge-na").some((r) => r.t > first + 5 * MIN && r.t < first + 6 * MIN)).toBe(true);
    const fix = events(run, "document.put", "lkg-fix");
    expect(fix.map((r) => [r.t, r.data.document, r.data.schema])).toEqual([[28 * MIN, "lkg", "v1"]]);
    expect(restores[1].t).toBeGreaterThan(fix[0].t);
    expect(minServed(run, "apps", restores[1].t + MIN)).toBe(1);
  });

  it("names the bad config writes as the root cause, not a node crash", () => {
    const findings = detect(run);
    const cascade = findings.find((f) => f.kind === "cascade")!;
    expect(cascade.components).toEqual(["edge-eu", "afd", "apps"]);
    const roots = cascade.rootCauses.map((seq) => run.log[seq]);
    expect(roots[0]).toMatchObject({ actor: "deployer", type: "config.deployed", target: "edge-eu", data: { to: 2 } });
    expect(roots.map((r) => r.actor)).toEqual(expect.arrayContaining(["deployer", "cleanup", "control-plane"]));
    expect(roots.some((r) => r.type === "health.changed")).toBe(false);
    // The causal graph agrees: the apps' first failure goes back to config writes and the put.
    const graph = buildCausalGraph(run.log, { agents: run.scenario.agents.map((a) => a.id) });
    const appsDown = failures(run, "apps")[0];
    const causes = graph.rootCauses(appsDown.seq);
    expect(causes.every((c) => c.kind !== "fault" && c.kind !== "workload change")).toBe(true);
    expect(causes.map((c) => c.seq)).toContain(1);
    expect(run.log[1]).toMatchObject({ actor: "control-plane", type: "document.put", data: { schema: "v1+v2" } });
    const flapping = findings.filter((f) => f.kind === "flapping").map((f) => f.components[0]);
    expect(flapping).toEqual(expect.arrayContaining(["afd", ...SITES]));
  });

  it("is deterministic: the same seed gives the same final hash", () => {
    expect(runScenario(variant("blind")).finalHash).toBe(run.finalHash);
  });
});

describe("azure-front-door-lkg, coordinated and single fixes", () => {
  it("coordinated: advances before the 10m bake and the cleanup's skip are rejected; the canary crash rolls the stage back", () => {
    const run = runScenario(variant("coordinated"));
    const early = events(run, "command.rejected", "deployer");
    expect(early.length).toBeGreaterThanOrEqual(4);
    for (const r of early) {
      expect(r.data.policy).toBe("stagedRollout");
      expect(r.data.reason).toMatch(/^edge-\w+\.rollout 1% -> 10% comes \S+ after the 1% stage began; it must bake 10m \(not before 00:20:00\)$/);
    }
    const cleanup = events(run, "command.rejected", "cleanup");
    expect(cleanup).toHaveLength(1);
    expect(cleanup[0].data).toMatchObject({ knob: "rollout", value: 100, policy: "stagedRollout", reason: "edge-eu.rollout 1% -> 100% skips the 10% stage (stages 1% -> 10% -> 100%)" });
    for (const site of SITES) expect(events(run, "rollout.changed").filter((r) => r.target === site).map((r) => r.data.to)).toEqual([1, 0]);
    expect(events(run, "rollout.changed", "deployer").at(-1)!.data.reason).toMatch(/^edge-na\.available = 0\.990 < 1 with afd-config\.current version 2 on 1% of edge-ap: roll the stage back/);
    expect(lkgPuts(run).map((r) => r.data.schema)).toEqual(["v1"]);
    expect(events(run, "document.put", "rollback")).toHaveLength(0);
    expect(minServed(run, "apps")).toBe(1);
    expect(Math.min(...series(run, "edge-eu", "available").map((s) => s.v))).toBe(f32(0.99));
    expect(detect(run).filter((f) => f.kind === "cascade" || f.kind === "flapping")).toEqual([]);
  });

  it("validated: the incompatible metadata is refused at the put and never deploys", () => {
    const run = runScenario(variant("validated"));
    const rejected = events(run, "command.rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0].data).toMatchObject({ policy: "validation", reason: 'afd-config.current version 2 refused: schema "v1+v2" is not the expected "v1"; readers keep version 1' });
    expect(events(run, "rollout.changed")).toHaveLength(0);
    expect(Math.min(...SITES.map((s) => Math.min(...series(run, s, "available").map((x) => x.v))))).toBe(1);
  });

  it("a soak before promotion alone keeps the good LKG, so the first rollback ends the outage", () => {
    const run = runScenario(variant("blind", withDeployer("    bake: 2m\n    soak: 10m\n")));
    expect(lkgPuts(run).filter((r) => r.actor === "deployer")).toHaveLength(0);
    const restores = events(run, "document.put", "rollback");
    expect(restores.map((r) => r.data.schema)).toEqual(["v1"]);
    expect(minServed(run, "apps", 0, restores[0].t)).toBe(0);
    expect(minServed(run, "apps", restores[0].t + MIN)).toBe(1);
  });

  it("a 10m bake alone stops the staged rollout at 1%, but not the cleanup path: edge-eu still crashes", () => {
    const run = runScenario(variant("blind", withDeployer("    bake: 10m\n")));
    expect(events(run, "rollout.changed", "deployer").filter((r) => r.target === "edge-na").map((r) => r.data.to)).toEqual([1, 0]);
    expect(lkgPuts(run).filter((r) => r.actor === "deployer")).toHaveLength(0);
    expect(Math.min(...series(run, "edge-eu", "available").map((s) => s.v))).toBe(f32(0.2));
    for (const site of ["edge-na", "edge-af", "edge-ap"]) expect(Math.min(...series(run, site, "available").map((s) => s.v)), site).toBe(f32(0.99));
  });

  it("slow-rebalance: the velocity limit keeps at most one site out, naming the window's removal", () => {
    const run = runScenario(variant("slow-rebalance"));
    const rejected = events(run, "command.rejected", "balancer");
    expect(rejected.length).toBeGreaterThan(0);
    for (const r of rejected) expect(r.data.policy).toBe("velocity");
    expect(Math.min(...series(run, "afd", "available").map((s) => s.v))).toBe(0.75);
    expect(minServed(run, "apps")).toBeGreaterThan(0.3);
  });
});
