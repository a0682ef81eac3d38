// INCIDENTS.md section 1, the cascade after DynamoDB returned, expressed in YAML:
// (a) DWFM: a 10 min DynamoDB outage lets every host lease lapse; re-leasing 10,000 hosts takes
//     31 s of work against a 30 s job timeout, so blind the backlog never drains (goodput ~0);
//     with queue-size admission control every lease is held again within minutes.
// (b) NLB: health checks on three AZs under load flap and remove >= 1/3 of capacity blind; a
//     velocity limit on capacity removal allows at most one removal per 10 min window.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";

const dwfm = readFileSync(repoPath("test/incidents/dwfm-sketch.yaml"), "utf8");
const nlb = readFileSync(repoPath("test/incidents/nlb-sketch.yaml"), "utf8");
const OUTAGE_START_MS = 120_000;
const OUTAGE_END_MS = 720_000;
const IMPAIRMENT_END_MS = 720_000;

const withQueueLimit = (limit: number) => dwfm.replace("    jobTimeout: 30s\n", `    jobTimeout: 30s\n    queueLimit: ${limit}\n`);
const withVelocity = nlb + "coordination:\n  velocity:\n    - { knobs: [nlb.inService.*], maxChange: 1, window: 10m, direction: down }\n";

function at(run: RunResult, component: string, signal: string, tMs: number): number {
  return run.telemetry.series(component, signal)[run.telemetry.indexAt(tMs)];
}

/** Leases renewed per second: jobs processed x share that renewed a lease. */
function goodput(run: RunResult, tMs: number): number {
  return at(run, "dwfm", "loadRps", tMs) * (1 - at(run, "dwfm", "errorRate", tMs));
}

describe("DWFM lease table sketch, blind", () => {
  const run = runScenario(scenarioFromYaml(dwfm));

  it("holds every lease and renews 10,000 / 150 s before the outage", () => {
    expect(at(run, "dwfm", "available", OUTAGE_START_MS - 1000)).toBeCloseTo(1, 6);
    expect(goodput(run, OUTAGE_START_MS - 1000)).toBeCloseTo(10_000 / 150, 3);
  });

  it("lets every lease lapse during the outage", () => {
    expect(run.log.filter((r) => r.type === "replicas.scaled").map((r) => [r.t, r.data.to])).toEqual([
      [OUTAGE_START_MS, 0],
      [OUTAGE_END_MS, 4],
    ]);
    expect(at(run, "dwfm", "available", OUTAGE_START_MS + 301_000)).toBe(0);
  });

  it("collapses after DynamoDB returns: goodput ~0 and no lease held for the rest of the run", () => {
    expect(at(run, "dynamodb", "errorRate", OUTAGE_END_MS + 60_000)).toBe(0);
    for (let t = OUTAGE_END_MS + 60_000; t <= 1_800_000; t += 60_000) {
      expect(goodput(run, t)).toBeLessThan(1);
      expect(at(run, "dwfm", "available", t)).toBeLessThan(0.01);
      expect(at(run, "dwfm", "loadRps", t)).toBeCloseTo(320, 3);
    }
    // The queue wait keeps growing past the 30 s timeout: the backlog never drains.
    expect(at(run, "dwfm", "latencyMsP95", 1_800_000)).toBeGreaterThan(at(run, "dwfm", "latencyMsP95", OUTAGE_END_MS + 60_000) + 30_000);
    const health = run.log.filter((r) => r.type === "health.changed" && r.target === "dwfm");
    expect(health.at(-1)!.data.healthy).toBe(false);
  });
});

describe("DWFM lease table sketch, with queue-size admission control", () => {
  const run = runScenario(scenarioFromYaml(withQueueLimit(2000)));

  it("still loses the leases during the outage", () => {
    expect(at(run, "dwfm", "available", OUTAGE_START_MS + 301_000)).toBe(0);
  });

  it("holds every lease again within 2 minutes of DynamoDB returning", () => {
    expect(at(run, "dwfm", "available", OUTAGE_END_MS + 120_000)).toBeCloseTo(1, 3);
    for (let t = OUTAGE_END_MS + 120_000; t <= 1_800_000; t += 60_000) expect(at(run, "dwfm", "available", t)).toBeCloseTo(1, 3);
    expect(at(run, "dwfm", "errorRate", 1_800_000)).toBe(0);
    const health = run.log.filter((r) => r.type === "health.changed" && r.target === "dwfm");
    expect(health.at(-1)!.data.healthy).toBe(true);
  });

  it("can be turned on by an operator: a queueLimit write after the collapse lets it recover", () => {
    const operator = dwfm.replace(
      "      restored: {}",
      "      restored:\n        after:\n          5m: { target: throttled, actions: [ { set: { target: dwfm, knob: queueLimit, value: 2000, reason: \"throttle DWFM by queue size\" } } ] }\n      throttled: {}",
    );
    const fixed = runScenario(scenarioFromYaml(operator));
    const write = fixed.log.find((r) => r.type === "knob.changed" && r.data.knob === "queueLimit")!;
    expect(write.t).toBe(OUTAGE_END_MS + 300_000);
    expect(at(fixed, "dwfm", "available", OUTAGE_END_MS + 299_000)).toBeLessThan(0.01);
    expect(at(fixed, "dwfm", "available", OUTAGE_END_MS + 420_000)).toBeCloseTo(1, 3);
  });
});

const removals = (run: RunResult) => run.log.filter((r) => r.type === "inService.changed" && r.data.to === 0);

describe("NLB health check sketch, blind", () => {
  const run = runScenario(scenarioFromYaml(nlb));

  it("is fully in service and error-free before the impairment", () => {
    expect(at(run, "nlb", "available", 110_000)).toBe(1);
    expect(at(run, "nlb", "errorRate", 110_000)).toBe(0);
  });

  it("flaps, removing >= 1/3 of capacity: two targets out at once while only one is impaired", () => {
    const available = run.telemetry.series("nlb", "available");
    expect(Math.min(...available)).toBeLessThanOrEqual(1 / 3 + 1e-6);
    expect(removals(run).length).toBeGreaterThan(20);
    const simultaneous = removals(run).filter((r) => r.data.knob !== "inService.az-a");
    expect(simultaneous.length).toBeGreaterThan(0);
  });

  it("keeps flapping after az-a has recovered (metastable), with heavy errors overall", () => {
    expect(removals(run).filter((r) => r.t > IMPAIRMENT_END_MS + 60_000).length).toBeGreaterThan(5);
    const errors = run.telemetry.series("nlb", "errorRate");
    expect(errors.reduce((a, b) => a + b, 0) / errors.length).toBeGreaterThan(0.2);
  });
});

describe("NLB health check sketch, with a velocity limit on capacity removal", () => {
  const run = runScenario(scenarioFromYaml(withVelocity));

  it("never has more than one removal in any 10 min window and keeps >= 2/3 of capacity in service", () => {
    const times = removals(run).map((r) => r.t);
    expect(times.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(600_000);
    expect(Math.min(...run.telemetry.series("nlb", "available"))).toBeGreaterThanOrEqual(2 / 3 - 1e-6);
  });

  it("rejects the further removals, naming the policy and the earlier removal as cause", () => {
    const rejected = run.log.filter((r) => r.type === "command.rejected" && r.data.policy === "velocity");
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0].causes).toContain(removals(run)[0].seq);
  });

  it("has far fewer errors than blind and none once az-a has recovered", () => {
    const errors = run.telemetry.series("nlb", "errorRate");
    expect(errors.reduce((a, b) => a + b, 0) / errors.length).toBeLessThan(0.05);
    expect(at(run, "nlb", "errorRate", 1_800_000)).toBe(0);
  });
});

describe("determinism", () => {
  it("gives the same final hash for the same seed", () => {
    for (const text of [dwfm, withQueueLimit(2000), nlb, withVelocity]) {
      expect(runScenario(scenarioFromYaml(text)).finalHash).toBe(runScenario(scenarioFromYaml(text)).finalHash);
    }
  });
});
