// The lease table's dynamics on its own: steady renewals, leases lapsing while the dependency is
// down, and the congestive collapse after it returns (10,000 x 50 ms / 16 = 31 s > 30 s) that
// queue-size admission control prevents.
import { describe, expect, it } from "vitest";
import { LeaseTable, checkLeaseTableKnob, type LeaseTableStep } from "../../sim/model/kinds/lease-table/table.js";
import type { LeaseTableSpec } from "../../sim/scenario/types.js";

const STEP_MS = 1000;

function spec(overrides: Partial<LeaseTableSpec> = {}): LeaseTableSpec {
  return {
    id: "dwfm",
    kind: "leaseTable",
    leases: 10_000,
    leaseDurationMs: 300_000,
    workers: 16,
    workPerLeaseMs: 50,
    jobTimeoutMs: 30_000,
    queueLimit: 0,
    dependsOn: [],
    health: { errorRateMax: 0.05, latencyMsP95Max: 500, unhealthyAfterSteps: 3, healthyAfterSteps: 5 },
    ...overrides,
  };
}

/** Runs `table` from step `from` for `steps` steps with the dependency's success rate; returns every step. */
function run(table: LeaseTable, from: number, steps: number, success: number, queueLimit = 0): LeaseTableStep[] {
  const out: LeaseTableStep[] = [];
  for (let n = from; n < from + steps; n++) out.push(table.step(n * STEP_MS, success, queueLimit));
  return out;
}

/** Steady state for 10 min, then the dependency down for 10 min: returns the table and the next step. */
function afterOutage(leases = 10_000, queueLimit = 0): { table: LeaseTable; next: number } {
  const table = new LeaseTable(spec({ leases }), STEP_MS);
  run(table, 0, 600, 1, queueLimit);
  run(table, 600, 600, 0, queueLimit);
  return { table, next: 1200 };
}

describe("lease table", () => {
  it("renews every lease at a steady rate when the dependency is up: all held, no failures, no wait", () => {
    const table = new LeaseTable(spec(), STEP_MS);
    const steps = run(table, 0, 1200, 1);
    expect(table.heldLeases()).toBeCloseTo(10_000, 6);
    const late = steps.slice(300);
    // Each lease renews at half its 5 min duration: 10,000 / 150 s.
    for (const s of late) {
      expect(s.processedJobs).toBeCloseTo(10_000 / 150, 6);
      expect(s.failedJobs + s.wastedJobs).toBe(0);
      expect(s.queueWaitMs).toBe(0);
    }
  });

  it("lets every lease lapse within one lease duration of the dependency going down", () => {
    const table = new LeaseTable(spec(), STEP_MS);
    run(table, 0, 600, 1);
    const down = run(table, 600, 301, 0);
    expect(down[100].heldLeases).toBeGreaterThan(9_000);
    expect(down[300].heldLeases).toBe(0);
    expect(down.every((s) => s.renewedJobs === 0)).toBe(true);
  });

  it("collapses after the dependency returns: the backlog never drains and goodput stays 0", () => {
    const { table, next } = afterOutage();
    const after = run(table, next, 1800, 1);
    expect(table.heldLeases()).toBe(0);
    const late = after.slice(60);
    expect(late.every((s) => s.renewedJobs === 0)).toBe(true);
    expect(late.every((s) => s.processedJobs === 320)).toBe(true);
    // Requesters re-queue every 30 s (333 jobs/s) faster than 16 workers drain (320 jobs/s).
    expect(after.at(-1)!.queuedJobs).toBeGreaterThan(after[60].queuedJobs + 20_000);
  });

  it("recovers on its own when re-leasing fits in the timeout (9,000 x 50 ms / 16 = 28 s < 30 s)", () => {
    const { table, next } = afterOutage(9_000);
    run(table, next, 120, 1);
    expect(table.heldLeases()).toBeCloseTo(9_000, 3);
  });

  it("recovers within minutes with a queue limit, and never queues more than the limit", () => {
    const { table, next } = afterOutage(10_000, 2_000);
    const after = run(table, next, 120, 1, 2_000);
    expect(table.heldLeases()).toBeCloseTo(10_000, 3);
    expect(after.every((s) => s.wastedJobs === 0)).toBe(true);
    expect(Math.max(...after.map((s) => s.queuedJobs))).toBeLessThanOrEqual(2_000 + 1e-6);
    expect(after.some((s) => s.rejectedJobs > 0)).toBe(true);
  });

  it("accepts a whole queue limit >= 0 and rejects anything else", () => {
    expect(checkLeaseTableKnob("dwfm", "queueLimit", 0)).toBeNull();
    expect(checkLeaseTableKnob("dwfm", "queueLimit", 5000)).toBeNull();
    expect(checkLeaseTableKnob("dwfm", "queueLimit", -1)).toMatch(/whole number of jobs >= 0/);
    expect(checkLeaseTableKnob("dwfm", "queueLimit", 1.5)).toMatch(/whole number/);
    expect(checkLeaseTableKnob("dwfm", "workers", 4)).toMatch(/no knob "workers"/);
  });
});
