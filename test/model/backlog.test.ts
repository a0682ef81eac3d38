// The backlog of an overloaded server: it grows by the excess, drains when load falls, adds its
// drain time to latency, and drops what would wait longer than the queue limit.
import { describe, expect, it } from "vitest";
import { stepBacklog } from "../../sim/model/kinds/server/backlog.js";

describe("stepBacklog", () => {
  it("grows by the excess of arrivals over capacity and delays requests by its drain time", () => {
    const s = stepBacklog(0, 1500, 1000, 1000, 10_000);
    expect(s).toEqual({ backlog: 500, dropped: 0, delayMs: 500 });
  });

  it("drains when load falls below capacity", () => {
    expect(stepBacklog(500, 800, 1000, 1000, 10_000)).toEqual({ backlog: 300, dropped: 0, delayMs: 300 });
    expect(stepBacklog(100, 800, 1000, 1000, 10_000).backlog).toBe(0);
  });

  it("drops requests that would wait longer than maxQueueMs", () => {
    const s = stepBacklog(900, 2000, 1000, 1000, 1000);
    expect(s).toEqual({ backlog: 1000, dropped: 900, delayMs: 1000 });
  });

  it("drops everything with no capacity", () => {
    expect(stepBacklog(10, 100, 0, 1000, 5000)).toEqual({ backlog: 0, dropped: 110, delayMs: 5000 });
  });
});
