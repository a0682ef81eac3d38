// INCIDENTS.md section 1, the cascade after DynamoDB returned, in scenarios/dynamodb-dns-race.yaml:
// (a) DWFM: the empty endpoint record lets every host lease lapse; re-leasing 10,000 hosts takes
//     31 s of work against a 30 s job timeout, so blind the backlog never drains (goodput ~0)
//     until an operator throttles it by queue size; with the limit from the start (the
//     `downstream-fixes` variant) every lease is held again within minutes of DynamoDB's return.
// (b) NLB: once DWFM recovers, half of az-a lacks network state; blind, the health checks take
//     az-a out, overload az-b and az-c, take them out too, and keep flapping after az-a has
//     recovered; a velocity limit on capacity removal allows one removal per 10 min window.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { repoPath } from "../helpers/scenarios.js";

const FILE = "scenarios/dynamodb-dns-race.yaml";
const text = readFileSync(repoPath(FILE), "utf8");
const MIN = 60_000;
/** Resolvers cache the empty answer at 00:09 and the restored one at 00:25 (TTL 60 s). */
const DDB_DOWN_MS = 9 * MIN;
const DDB_BACK_MS = 25 * MIN;
const THROTTLE_MS = 42 * MIN;
const END_MS = 96 * MIN;

const blind = runScenario(loadVariant(text, FILE, "blind").scenario);
const fixed = runScenario(loadVariant(text, FILE, "downstream-fixes").scenario);

function at(run: RunResult, component: string, signal: string, tMs: number): number {
  return run.telemetry.series(component, signal)[run.telemetry.indexAt(tMs)];
}

/** Leases renewed per second: jobs processed x share that renewed a lease. */
function goodput(run: RunResult, tMs: number): number {
  return at(run, "dwfm", "loadRps", tMs) * (1 - at(run, "dwfm", "errorRate", tMs));
}

describe("DWFM, blind", () => {
  it("holds every lease and renews 10,000 / 150 s before the race", () => {
    expect(at(blind, "dwfm", "available", 8 * MIN)).toBeCloseTo(1, 6);
    expect(goodput(blind, 8 * MIN)).toBeCloseTo(10_000 / 150, 3);
  });

  it("lets every lease lapse within a lease duration of DynamoDB becoming unreachable", () => {
    expect(at(blind, "dwfm", "available", DDB_DOWN_MS + 5 * MIN + 5000)).toBe(0);
  });

  it("collapses after DynamoDB returns: goodput ~0, no lease held, the workers busy with stale jobs, until throttled", () => {
    expect(at(blind, "ddb-dns", "errorRate", DDB_BACK_MS + MIN)).toBe(0);
    for (let t = DDB_BACK_MS + MIN; t < THROTTLE_MS; t += MIN) {
      expect(goodput(blind, t)).toBeLessThan(1);
      expect(at(blind, "dwfm", "available", t)).toBeLessThan(0.01);
      expect(at(blind, "dwfm", "loadRps", t)).toBeCloseTo(320, 3);
    }
    // The queue wait keeps growing past the 30 s timeout: the backlog never drains by itself.
    expect(at(blind, "dwfm", "latencyMsP95", THROTTLE_MS - 1000)).toBeGreaterThan(at(blind, "dwfm", "latencyMsP95", DDB_BACK_MS + MIN) + 30_000);
  });

  it("recovers within 3 min of the operator's queue-limit write, once the stale backlog has drained", () => {
    const write = blind.log.find((r) => r.type === "knob.changed" && r.data.knob === "queueLimit")!;
    expect([write.actor, write.t, write.data.to]).toEqual(["oncall", THROTTLE_MS, 2000]);
    expect(at(blind, "dwfm", "available", THROTTLE_MS - 1000)).toBeLessThan(0.01);
    // The limit stops new admissions; the ~100 s of work already queued drains first.
    expect(at(blind, "dwfm", "latencyMsP95", THROTTLE_MS)).toBeGreaterThan(100_000);
    expect(at(blind, "dwfm", "available", THROTTLE_MS + 3 * MIN)).toBeCloseTo(1, 3);
  });
});

describe("DWFM with queue-size admission control from the start (downstream-fixes)", () => {
  it("still loses the leases during the outage", () => {
    expect(at(fixed, "dwfm", "available", DDB_DOWN_MS + 5 * MIN + 5000)).toBe(0);
  });

  it("holds every lease again within 2 minutes of DynamoDB returning, and for the rest of the run", () => {
    for (let t = DDB_BACK_MS + 2 * MIN; t <= END_MS; t += MIN) expect(at(fixed, "dwfm", "available", t)).toBeCloseTo(1, 3);
    expect(at(fixed, "dwfm", "errorRate", END_MS)).toBe(0);
    const health = fixed.log.filter((r) => r.type === "health.changed" && r.target === "dwfm");
    expect(health.at(-1)!.data.healthy).toBe(true);
  });
});

const removals = (run: RunResult) => run.log.filter((r) => r.type === "inService.changed" && r.data.to === 0);
const cutOf = (run: RunResult) => run.log.find((r) => r.type === "replicas.scaled" && r.actor === "network-manager" && r.data.to === 5)!;
const restoreOf = (run: RunResult) => run.log.find((r) => r.type === "replicas.scaled" && r.actor === "network-manager" && r.data.to === 10)!;

describe("NLB health checks, blind", () => {
  const cut = cutOf(blind);

  it("starts only once DWFM holds its leases again, and is in service and error-free until then", () => {
    expect(cut.t).toBeGreaterThan(THROTTLE_MS);
    expect(cut.t - THROTTLE_MS).toBeLessThan(3 * MIN);
    expect(at(blind, "nlb", "available", cut.t - 1000)).toBe(1);
    expect(at(blind, "nlb", "errorRate", cut.t - 1000)).toBe(0);
    expect(removals(blind).every((r) => r.t > cut.t)).toBe(true);
  });

  it("flaps, removing >= 1/3 of capacity: healthy AZs taken out while only az-a is impaired", () => {
    expect(Math.min(...blind.telemetry.series("nlb", "available"))).toBeLessThanOrEqual(1 / 3 + 1e-6);
    expect(removals(blind).length).toBeGreaterThan(20);
    expect(removals(blind).filter((r) => r.data.knob !== "inService.az-a").length).toBeGreaterThan(0);
  });

  it("keeps flapping after az-a has recovered (metastable), with heavy errors", () => {
    const restore = restoreOf(blind);
    expect(restore.t - cut.t).toBe(30 * MIN + 40_000);
    expect(removals(blind).filter((r) => r.t > restore.t + MIN).length).toBeGreaterThan(5);
    const errors = blind.telemetry.series("nlb", "errorRate").slice(blind.telemetry.indexAt(cut.t));
    expect(errors.reduce((a, b) => a + b, 0) / errors.length).toBeGreaterThan(0.2);
  });
});

describe("NLB health checks with a velocity limit on capacity removal (downstream-fixes)", () => {
  it("never has more than one removal in any 10 min window and keeps >= 2/3 of capacity in service", () => {
    const times = removals(fixed).map((r) => r.t);
    expect(times.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(10 * MIN);
    expect(Math.min(...fixed.telemetry.series("nlb", "available"))).toBeGreaterThanOrEqual(2 / 3 - 1e-6);
  });

  it("rejects the further removals, naming the policy and the earlier removal as cause", () => {
    const rejected = fixed.log.filter((r) => r.type === "command.rejected" && r.data.policy === "velocity");
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((r) => r.actor === "nlb-health-checks")).toBe(true);
    expect(rejected[0].causes).toContain(removals(fixed)[0].seq);
  });

  it("has far fewer errors than blind and none once az-a has recovered", () => {
    const cut = cutOf(fixed);
    const errors = fixed.telemetry.series("nlb", "errorRate").slice(fixed.telemetry.indexAt(cut.t));
    expect(errors.reduce((a, b) => a + b, 0) / errors.length).toBeLessThan(0.05);
    expect(at(fixed, "nlb", "errorRate", restoreOf(fixed).t + MIN)).toBe(0);
    expect(at(fixed, "nlb", "errorRate", END_MS)).toBe(0);
  });
});
