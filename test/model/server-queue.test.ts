// Checks one step of a server pool: bit-for-bit the world model's former arithmetic for ordinary
// inputs (event logs depend on it), and finite, sensible values for absurd capacities and pools.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stepBacklog } from "../../sim/model/kinds/server/backlog.js";
import { erlangC, waitQuantileGivenC } from "../../sim/model/queueing.js";
import { SERVERS_MAX, stepServerQueue, type ServerQueueInput, type ServerQueueStep } from "../../sim/model/kinds/server/queue.js";

/**
 * The server branch of World.serve as it was before stepServerQueue (commit c5a723b), rewritten
 * only to take and return plain data: the reference for "same floating-point results".
 */
function formerStep(input: ServerQueueInput): ServerQueueStep {
  const { pods, lossFactor, perReplicaRps, baseLatencyMs, latencyMsMax, maxQueueMs, offeredRps: offered, stepMs } = input;
  const capacity = pods * perReplicaRps;
  const utilization = capacity > 0 ? offered / capacity : offered > 0 ? Infinity : 0;
  if (capacity === 0) {
    return { utilization, acceptedRps: 0, servedRps: 0, ownErrorRate: offered > 0 ? 1 : 0, latencyMs: [latencyMsMax, latencyMsMax, latencyMsMax], backlog: input.backlog };
  }
  let backlog = input.backlog;
  const served = Math.min(offered, capacity * 0.99);
  let shed = offered > 0 ? (offered - served) / offered : 0;
  let backlogDelayMs = 0;
  if (maxQueueMs !== undefined && maxQueueMs > 0) {
    const b = stepBacklog(backlog, offered, capacity, stepMs, maxQueueMs);
    backlog = b.backlog;
    backlogDelayMs = b.delayMs;
    shed = offered > 0 ? Math.min(1, b.dropped / ((offered * stepMs) / 1000)) : 0;
  }
  const slots = Math.max(1, Math.round((perReplicaRps * baseLatencyMs) / 1000));
  const servers = lossFactor === 1 ? pods * slots : Math.max(1, Math.round(pods * slots));
  const muPerMs = lossFactor === 1 ? perReplicaRps / slots / 1000 : capacity / servers / 1000;
  const lambdaPerMs = served / 1000;
  const waitProbability = erlangC(servers, lambdaPerMs / muPerMs);
  const drain = servers * muPerMs - lambdaPerMs;
  const floorMs = baseLatencyMs + backlogDelayMs;
  const latencyMs: [number, number, number] = [
    Math.min(latencyMsMax, floorMs + waitQuantileGivenC(waitProbability, drain, 0.5)),
    Math.min(latencyMsMax, floorMs + waitQuantileGivenC(waitProbability, drain, 0.95)),
    Math.min(latencyMsMax, floorMs + waitQuantileGivenC(waitProbability, drain, 0.99)),
  ];
  const timedOut = Math.min(1, waitProbability * Math.exp(-drain * Math.max(0, latencyMsMax - baseLatencyMs)));
  return { utilization, acceptedRps: served, servedRps: served * (1 - timedOut), ownErrorRate: 1 - (1 - shed) * (1 - timedOut), latencyMs, backlog };
}

const ordinaryInput: fc.Arbitrary<ServerQueueInput> = fc
  .record({
    replicas: fc.integer({ min: 0, max: 200 }),
    // 1 - a capacityLoss fraction in (0, 1]; shares below 1e-6 of a pod are not ordinary (their
    // capacity underflows to 0 servers' worth and the former code divided 0 by 0).
    loss: fc.oneof(fc.constant(1), fc.constant(0), fc.double({ min: 1e-6, max: 1, noNaN: true })),
    perReplicaRps: fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0.01, max: 1e5, noNaN: true })),
    baseLatencyMs: fc.oneof(fc.constantFrom(1, 5, 20, 100), fc.double({ min: 1, max: 2000, noNaN: true })),
    latencyMsMax: fc.oneof(fc.constantFrom(1000, 10000), fc.double({ min: 1, max: 60000, noNaN: true })),
    maxQueueMs: fc.oneof(fc.constant(undefined), fc.constant(0), fc.double({ min: 1, max: 60000, noNaN: true })),
    load: fc.double({ min: 0, max: 3, noNaN: true }),
    backlog: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true })),
    stepMs: fc.constantFrom(1000, 5000, 250),
  })
  .map((r) => ({
    pods: r.loss === 1 ? r.replicas : r.replicas * r.loss,
    lossFactor: r.loss,
    perReplicaRps: r.perReplicaRps,
    baseLatencyMs: r.baseLatencyMs,
    latencyMsMax: r.latencyMsMax,
    maxQueueMs: r.maxQueueMs,
    offeredRps: r.load * r.replicas * r.perReplicaRps,
    backlog: r.backlog,
    stepMs: r.stepMs,
  }));

/**
 * Every number in a step but utilization, for checking that none is NaN or infinite. Utilization
 * is offered / capacity and is Infinity by design when load meets (next to) no capacity.
 */
function numbers(s: ServerQueueStep): number[] {
  return [s.acceptedRps, s.servedRps, s.ownErrorRate, ...s.latencyMs, s.backlog];
}

describe("stepServerQueue", () => {
  it("gives bit-for-bit the former world-model arithmetic for ordinary inputs (property)", () => {
    fc.assert(
      fc.property(ordinaryInput, (input) => {
        // toStrictEqual compares numbers with Object.is, so even -0 against 0 would fail.
        expect(stepServerQueue(input)).toStrictEqual(formerStep(input));
      }),
      { numRuns: 2000 },
    );
  });

  it("is finite for any finite capacity, pool size and load, up to the largest double (property)", () => {
    const logUniform = (minExp: number, maxExp: number) => fc.double({ min: minExp, max: maxExp, noNaN: true }).map((e) => 10 ** e);
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 1000 }), logUniform(0, 15).map(Math.round)),
        fc.oneof(fc.constant(1), fc.double({ min: 1e-6, max: 1, noNaN: true })),
        fc.oneof(logUniform(-300, 308), fc.constantFrom(Number.MAX_VALUE, Number.MIN_VALUE, 1e308)),
        fc.double({ min: 1, max: 1e5, noNaN: true }),
        fc.oneof(fc.constant(undefined), fc.double({ min: 1, max: 60000, noNaN: true })),
        fc.oneof(fc.constant(0), logUniform(-3, 300)),
        (replicas, loss, perReplicaRps, baseLatencyMs, maxQueueMs, offeredRps) => {
          const step = stepServerQueue({ pods: loss === 1 ? replicas : replicas * loss, lossFactor: loss, perReplicaRps, baseLatencyMs, latencyMsMax: baseLatencyMs * 2, maxQueueMs, offeredRps, backlog: 0, stepMs: 1000 });
          for (const value of numbers(step)) expect(Number.isFinite(value), JSON.stringify(step)).toBe(true);
          const capacity = (loss === 1 ? replicas : replicas * loss) * perReplicaRps;
          expect(step.utilization).toBe(capacity > 0 ? offeredRps / capacity : offeredRps > 0 ? Infinity : 0);
          expect(step.ownErrorRate).toBeGreaterThanOrEqual(0);
          expect(step.ownErrorRate).toBeLessThanOrEqual(1);
          expect(step.latencyMs[0]).toBeLessThanOrEqual(step.latencyMs[2]);
        },
      ),
      { numRuns: 1000 },
    );
  });

  const base: ServerQueueInput = { pods: 3, lossFactor: 1, perReplicaRps: 1e308, baseLatencyMs: 20, latencyMsMax: 10000, maxQueueMs: undefined, offeredRps: 800, backlog: 0, stepMs: 1000 };

  it("serves everything at base latency with utilization 0 when capacity overflows to Infinity (3 x 1e308 rps)", () => {
    expect(stepServerQueue(base)).toStrictEqual({ utilization: 0, acceptedRps: 800, servedRps: 800, ownErrorRate: 0, latencyMs: [20, 20, 20], backlog: 0 });
    // The latency cap still caps, and a backlog left from before drains at once.
    expect(stepServerQueue({ ...base, latencyMsMax: 20, maxQueueMs: 5000, backlog: 1e6 })).toStrictEqual({ utilization: 0, acceptedRps: 800, servedRps: 800, ownErrorRate: 0, latencyMs: [20, 20, 20], backlog: 0 });
  });

  it("caps servers at SERVERS_MAX when slots overflow (1 x 1e308 rps: 1e308 x 20 ms is past the largest double)", () => {
    const step = stepServerQueue({ ...base, pods: 1 });
    expect(SERVERS_MAX).toBe(1e12);
    expect(step.utilization).toBe(800 / 1e308);
    expect(step.latencyMs).toEqual([20, 20, 20]);
    expect(step.ownErrorRate).toBe(0);
  });

  it("keeps the total capacity of a capped pool: overload sheds the same share with or without the cap", () => {
    // 1e4 replicas x 1e9 slots = 1e13 servers, capped to 1e12 servers ten times faster each.
    const capped = stepServerQueue({ ...base, pods: 1e4, perReplicaRps: 1e9, baseLatencyMs: 1000, offeredRps: 2e13 });
    const uncapped = stepServerQueue({ ...base, pods: 10, perReplicaRps: 1e9, baseLatencyMs: 1000, offeredRps: 2e10 });
    expect(capped.utilization).toBe(2);
    expect(capped.ownErrorRate).toBeCloseTo(uncapped.ownErrorRate, 12);
    expect(capped.acceptedRps).toBe(0.99 * 1e13);
    for (const value of numbers(capped)) expect(Number.isFinite(value)).toBe(true);
  });

  it("queues like M/M/c near capacity on 2e9 servers: waits appear only within ~1/sqrt(c) of full load", () => {
    const pool = { ...base, pods: 2, perReplicaRps: 1e9, baseLatencyMs: 1000, latencyMsMax: 60000 };
    // At 99% of 2e9 servers (the most a server accepts) C = 0: nobody waits.
    expect(stepServerQueue({ ...pool, offeredRps: 0.99 * 2e9 }).latencyMs).toEqual([1000, 1000, 1000]);
    expect(stepServerQueue({ ...pool, offeredRps: 0.5 * 2e9 }).ownErrorRate).toBe(0);
  });

  it("stays finite when a capacity near the smallest double makes the service rate underflow to 0", () => {
    const tiny = stepServerQueue({ ...base, pods: 1, perReplicaRps: Number.MIN_VALUE, offeredRps: 5 });
    for (const value of numbers(tiny)) expect(Number.isFinite(value)).toBe(true);
    expect(tiny.utilization).toBe(Infinity);
    expect(tiny.ownErrorRate).toBe(1);
    expect(tiny.latencyMs).toEqual([10000, 10000, 10000]);
    const idle = stepServerQueue({ ...base, pods: 1, perReplicaRps: Number.MIN_VALUE, offeredRps: 0 });
    for (const value of numbers(idle)) expect(Number.isFinite(value)).toBe(true);
    expect(idle.ownErrorRate).toBe(0);
  });
});
