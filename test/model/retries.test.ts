// Retry arithmetic: the client-side failure probability from latency quantiles and errors, and
// attempts per request under a retry policy and budget.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RetryPipeline, attemptFailureProbability, attemptsPerRequest, slowerThanProbability } from "../../sim/model/kinds/clients/retries.js";

describe("slowerThanProbability", () => {
  it("passes through the quantiles it is given", () => {
    expect(slowerThanProbability(100, 100, 300, 500)).toBeCloseTo(0.5, 12);
    expect(slowerThanProbability(300, 100, 300, 500)).toBeCloseTo(0.05, 12);
    expect(slowerThanProbability(500, 100, 300, 500)).toBeCloseTo(0.01, 12);
  });

  it("is 1 at a zero timeout, and every response is slow when p50 is already past the timeout", () => {
    expect(slowerThanProbability(0, 20, 40, 60)).toBe(1);
    expect(slowerThanProbability(1000, 10_000, 10_000, 10_000)).toBeGreaterThan(0.9);
  });

  it("decays past p99 and never leaves [0, 1], decreasing in the timeout (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1000, noNaN: true }), fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 0, max: 5000, noNaN: true }), (p50, d95, d99, t) => {
        const p95 = p50 + d95;
        const p99 = p95 + d99;
        const a = slowerThanProbability(t, p50, p95, p99);
        const b = slowerThanProbability(t + 10, p50, p95, p99);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(1);
        expect(b).toBeLessThanOrEqual(a + 1e-12);
      }),
    );
  });
});

describe("attempts", () => {
  it("sums the geometric series of retries: 1 + p + p^2 + p^3", () => {
    expect(attemptsPerRequest(0, 3)).toBe(1);
    expect(attemptsPerRequest(1, 3)).toBe(4);
    expect(attemptsPerRequest(0.5, 3)).toBeCloseTo(1.875, 12);
  });

  it("caps retries at the budget", () => {
    expect(attemptsPerRequest(1, 3, 0.1)).toBeCloseTo(1.1, 12);
    expect(attemptsPerRequest(0.05, 3, 0.1)).toBeCloseTo(1 + 0.05 + 0.0025 + 0.000125, 12);
  });

  it("counts an attempt as failed on an error or a slow response", () => {
    expect(attemptFailureProbability(0.2, 0.5)).toBeCloseTo(0.6, 12);
    expect(attemptFailureProbability(1, 0)).toBe(1);
  });
});

describe("RetryPipeline", () => {
  const immediate = { kind: "immediate" as const, baseMs: 100, maxMs: 20_000, jitter: false };
  const exponential = { kind: "exponential" as const, baseMs: 1000, maxMs: 20_000, jitter: false };

  it("with immediate retries sends 1 + p + p^2 + p^3 attempts per request in the same step", () => {
    const pipeline = new RetryPipeline(immediate, 1000, 10);
    const step = pipeline.step(100, 0.5, 3);
    expect(step.sentRps).toBeCloseTo(100 * attemptsPerRequest(0.5, 3), 9);
    expect(step.failedRps).toBeCloseTo(100 * 0.5 ** 4, 9);
  });

  it("with exponential backoff sends the k-th retry 2^(k-1) base delays later", () => {
    const pipeline = new RetryPipeline(exponential, 1000, 10);
    const sent = [pipeline.step(100, 1, 3), pipeline.step(0, 1, 3), pipeline.step(0, 1, 3), pipeline.step(0, 1, 3), pipeline.step(0, 1, 3)].map((s) => s.sentRps);
    // First attempts at t=0; retry 1 after 1 s, retry 2 after a further 2 s, retry 3 after 4 s.
    expect(sent).toEqual([100, 100, 0, 100, 0]);
  });

  it("with full jitter spreads each retry evenly over [0, delay]", () => {
    const pipeline = new RetryPipeline({ ...exponential, baseMs: 3000, jitter: true }, 1000, 1);
    const sent = [pipeline.step(100, 1, 1), pipeline.step(0, 1, 1), pipeline.step(0, 1, 1), pipeline.step(0, 1, 1), pipeline.step(0, 1, 1)].map((s) => s.sentRps);
    expect(sent[0]).toBeCloseTo(125, 9);
    expect(sent.slice(1, 4).map((x) => Number(x.toFixed(9)))).toEqual([25, 25, 25]);
    expect(sent[4]).toBe(0);
  });

  it("caps retries per step at the budget, failing the refused requests", () => {
    const pipeline = new RetryPipeline(immediate, 1000, 10);
    const step = pipeline.step(100, 1, 3, 0.1);
    expect(step.sentRps).toBeCloseTo(110, 9);
    expect(step.failedRps).toBeCloseTo(100, 9);
  });

  it("gives up retries above a lowered retries limit", () => {
    const pipeline = new RetryPipeline(exponential, 1000, 10);
    pipeline.step(100, 1, 3);
    const next = pipeline.step(0, 1, 0);
    expect(next.sentRps).toBe(0);
    expect(next.failedRps).toBe(100);
  });

  it("caps exponential delays at maxMs", () => {
    const pipeline = new RetryPipeline({ ...exponential, maxMs: 2000 }, 1000, 5);
    const sent: number[] = [];
    sent.push(pipeline.step(100, 1, 5).sentRps);
    for (let i = 0; i < 10; i++) sent.push(pipeline.step(0, 1, 5).sentRps);
    // Delays 1, 2, 2, 2, 2 s: retries at t = 1, 3, 5, 7, 9.
    expect(sent.map((x, t) => (x > 0 ? t : -1)).filter((t) => t >= 0)).toEqual([0, 1, 3, 5, 7, 9]);
  });
});
