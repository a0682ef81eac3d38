// Capacity that arrives late or never: the provisioner's control plane (token bucket, job limit,
// job timeout) and a server's lifecycle (pending, booting, warming, ready, draining) against
// hand-computed oracles, properties over random scale sequences, the command pipeline's
// throttling, provenance of late capacity, and "without the new fields nothing changes".
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { ControlPlane, type ControlPlaneSpec, type JobOwner } from "../../sim/model/kinds/provisioner/control-plane.js";
import type { ProvisionerState } from "../../sim/model/kinds/provisioner/model.js";
import { ServerLifecycle } from "../../sim/model/kinds/server/lifecycle.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const S = 1000;

function plane(overrides: Partial<ControlPlaneSpec> = {}): ControlPlane {
  return new ControlPlane({ rateRps: 10, burst: 20, maxConcurrentJobs: 5, jobDurationMs: 60 * S, jobTimeoutMs: 3_600 * S, callsPerJob: 1, ...overrides });
}

/** A job owner that records when jobs finish and fail. */
function recorder(): JobOwner & { done: [number, number][]; failed: [number, number][] } {
  const done: [number, number][] = [];
  const failed: [number, number][] = [];
  return { done, failed, jobsDone: (n, t) => done.push([n, t]), jobsFailed: (n, t) => failed.push([n, t]) };
}

const asState = (p: ControlPlane): ProvisionerState => ({ plane: p, exhausters: new Map(), causesVersion: 0, lastExhausted: false });

describe("the provisioner's token bucket", () => {
  it("admits rate x t + burst calls over t (hand-computed: 10/s, burst 20, 30 s => 320)", () => {
    const p = plane();
    let admitted = 0;
    // A caller asking 7 calls every 100 ms for 30 s asks far more than the quota.
    for (let t = 0; t <= 30 * S; t += 100) admitted += p.callSequence(7, t);
    expect(admitted).toBe(10 * 30 + 20);
  });

  it("makes a command's calls one after another: the admitted ones stay spent when the rest are throttled", () => {
    const p = plane();
    expect(p.callSequence(30, 0)).toBe(20);
    expect(p.available(0)).toBe(0);
    expect(p.available(1500)).toBe(15);
    expect(p.takeWindow()).toEqual({ asked: 30, refused: 10 });
  });

  it("never holds more than burst", () => {
    const p = plane();
    expect(p.available(3_600 * S)).toBe(20);
  });
});

describe("the provisioner's jobs", () => {
  it("delivers N replicas with job limit J and duration D in waves: the last at ceil(N/J) x D", () => {
    for (const [n, j] of [[12, 5], [10, 5], [1, 5], [7, 1], [20, 3]] as const) {
      const p = plane({ maxConcurrentJobs: j, burst: 1000, rateRps: 1000 });
      const owner = recorder();
      p.submit(owner, n, 0);
      for (let t = 0; t <= 10 * 60 * S * n; t += S) p.advance(t);
      const total = owner.done.reduce((sum, [k]) => sum + k, 0);
      expect(total).toBe(n);
      expect(Math.max(...owner.done.map(([, t]) => t))).toBe(Math.ceil(n / j) * 60 * S);
      // Each wave is J replicas (the last the remainder), D apart.
      owner.done.forEach(([k, t], w) => {
        expect(t).toBe((w + 1) * 60 * S);
        expect(k).toBe(Math.min(j, n - w * j));
      });
    }
  });

  it("fails jobs not done by their timeout, queued or running", () => {
    const p = plane({ maxConcurrentJobs: 1, jobDurationMs: 60 * S, jobTimeoutMs: 90 * S });
    const owner = recorder();
    p.submit(owner, 3, 0);
    for (let t = 0; t <= 200 * S; t += S) p.advance(t);
    // Job 1 runs 0..60 s; job 2 starts at 60 s and would end at 120 s, past its deadline at 90 s;
    // job 3 waits in the queue until its deadline at 90 s.
    expect(owner.done).toEqual([[1, 60 * S]]);
    expect(owner.failed).toEqual([[1, 90 * S], [1, 90 * S]]);
    expect(p.queuedJobs + p.runningJobs).toBe(0);
  });

  it("takes a launch's calls all at once: a launch larger than what is left waits", () => {
    const p = plane({ callsPerJob: 15, burst: 20, rateRps: 10 });
    const owner = recorder();
    p.callSequence(10, 0); // 10 left
    p.submit(owner, 1, 0);
    expect(p.runningJobs).toBe(0);
    p.advance(S); // 20 tokens
    expect(p.runningJobs).toBe(1);
    expect(p.available(S)).toBe(5);
  });
});

describe("a server's lifecycle", () => {
  it("boots then warms linearly: ready capacity at each step equals the hand-computed values (B = 90 s, W = 60 s)", () => {
    const l = new ServerLifecycle({ bootMs: 90 * S, warmUpMs: 60 * S, drainMs: 0 }, 2);
    l.step(0, 2);
    // Scale-up 2 -> 6 seen at t0 = 10 s: the 4 new replicas boot until 100 s, warm until 160 s.
    const t0 = 10 * S;
    const expected = (t: number) => 2 + 4 * Math.min(1, Math.max(0, (t - t0 - 90 * S) / (60 * S)));
    for (let t = t0; t <= 200 * S; t += 5 * S) {
      l.step(t, 6);
      expect(l.servingPods).toBeCloseTo(expected(t), 9);
      expect(l.ready + l.starting).toBe(6);
      expect(l.ready).toBe(t >= t0 + 150 * S ? 6 : 2);
    }
    // Spot values: 130 s is half way through the warm-up (2 + 4 x 0.5 = 4).
    l.step(130 * S, 6);
    expect(l.servingPods).toBe(6);
  });

  it("spot-checks the warm-up half way: 2 + 4 x 0.5 = 4 serving replicas", () => {
    const l = new ServerLifecycle({ bootMs: 90 * S, warmUpMs: 60 * S, drainMs: 0 }, 2);
    l.step(10 * S, 6);
    l.step(130 * S, 6);
    expect(l.servingPods).toBe(4);
    expect(l.billed).toBe(6);
  });

  it("drains removed replicas: they serve nothing at once and cost until drained", () => {
    const l = new ServerLifecycle({ bootMs: 0, warmUpMs: 0, drainMs: 30 * S }, 6);
    l.step(0, 6);
    l.step(10 * S, 4);
    expect(l.servingPods).toBe(4);
    expect(l.drainingCount).toBe(2);
    expect(l.billed).toBe(6);
    l.step(39 * S, 4);
    expect(l.billed).toBe(6);
    l.step(40 * S, 4);
    expect(l.billed).toBe(4);
  });

  it("through a provisioner: replicas arrive after the job, then boot and warm (job 60 s, J = 2, N = 4)", () => {
    const p = plane({ maxConcurrentJobs: 2, burst: 100, rateRps: 100 });
    const l = new ServerLifecycle({ bootMs: 30 * S, warmUpMs: 0, drainMs: 0 }, 1);
    l.attach(asState(p));
    l.step(0, 5);
    expect(l.pending).toBe(4);
    // Waves at 60 s and 120 s, each ready 30 s later.
    const ready = (t: number) => 1 + (t >= 90 * S ? 2 : 0) + (t >= 150 * S ? 2 : 0);
    for (let t = S; t <= 200 * S; t += S) {
      l.step(t, 5);
      expect(l.ready).toBe(ready(t));
      expect(l.ready + l.starting + l.pending).toBe(5);
    }
  });

  it("cancels pending jobs first on a scale-in", () => {
    const p = plane({ maxConcurrentJobs: 1, burst: 100, rateRps: 100 });
    const l = new ServerLifecycle({ bootMs: 0, warmUpMs: 0, drainMs: 0 }, 1);
    l.attach(asState(p));
    l.step(0, 4);
    l.step(S, 2);
    expect(l.pending).toBe(1);
    expect(p.queuedJobs).toBe(0);
    expect(l.ready).toBe(1);
  });
});

describe("properties", () => {
  it("ready <= desired after steady state; ready + booting + pending = desired while scaling up; the quota is never exceeded", () => {
    fc.assert(
      fc.property(
        fc.record({
          boot: fc.integer({ min: 0, max: 120 }),
          warm: fc.integer({ min: 0, max: 120 }),
          drain: fc.integer({ min: 0, max: 60 }),
          jobs: fc.integer({ min: 1, max: 8 }),
          duration: fc.integer({ min: 1, max: 120 }),
          timeout: fc.integer({ min: 1, max: 400 }),
          rate: fc.integer({ min: 1, max: 20 }),
          burst: fc.integer({ min: 3, max: 40 }),
          callsPerJob: fc.integer({ min: 1, max: 3 }),
          storm: fc.integer({ min: 0, max: 30 }),
          desired: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 6 }),
        }),
        (r) => {
          const p = plane({ maxConcurrentJobs: r.jobs, jobDurationMs: r.duration * S, jobTimeoutMs: r.timeout * S, rateRps: r.rate, burst: r.burst, callsPerJob: r.callsPerJob });
          const l = new ServerLifecycle({ bootMs: r.boot * S, warmUpMs: r.warm * S, drainMs: r.drain * S }, 2);
          l.attach(asState(p));
          let admitted = 0;
          let t = 0;
          let previous = 2;
          for (const desired of r.desired) {
            for (let k = 0; k < 150; k++, t += S) {
              l.step(t, desired);
              // An agent storm between steps.
              if (r.storm > 0) p.callSequence(r.storm, t + 500);
              expect(l.servingPods).toBeLessThanOrEqual(desired + 1e-9);
              expect(l.ready).toBeLessThanOrEqual(desired);
              if (desired >= previous) expect(l.ready + l.starting + l.pending).toBe(desired);
              // Token bucket: admitted calls up to t never exceed burst + rate x elapsed.
              const w = p.takeWindow();
              admitted += w.asked - w.refused;
              expect(admitted).toBeLessThanOrEqual(r.burst + (r.rate * (t + 500)) / 1000 + 1e-6);
            }
            previous = desired;
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

// A service with a provisioner and a chatty agent billed on it; 1 s steps.
const scenario = (opts: { lifecycle?: boolean; agentCalls?: number; coordination?: string }) => `
name: capacity
seed: 1
duration: 10m
step: 1s
components:
  - id: web
    kind: service
    replicas: 2
    capacityPerReplica: 100/s
${opts.lifecycle === false ? "" : "    startup: { boot: 30s, warmUp: 30s }\n    provisioner: cloud"}
  - id: batch
    kind: service
    replicas: 4
${
  opts.lifecycle === false
    ? ""
    : `  - id: cloud
    kind: provisioner
    jobDuration: 30s
    callsPerJob: 15
    apiQuota: { rate: 10/s, burst: 20 }
    agentCalls: { chatty: ${opts.agentCalls ?? 0} }`
}
workload:
  - { id: users, target: web, pattern: { kind: steps, steps: [{ at: 0s, rate: 100/s }, { at: 1m, rate: 350/s }] } }
agents:
  - { id: scaler, kind: performance, target: web, step: 3, evaluationPeriod: 30s, cooldown: 5m }
  - id: chatty
    kind: statechart
    evaluationPeriod: 1s
    initial: on
    states:
      on:
        on:
          wake:
            - guard: { knob: { component: batch, knob: replicas, op: "<", value: 5 } }
              actions: [{ set: { target: batch, knob: replicas, value: 5, reason: tick } }]
            - actions: [{ set: { target: batch, knob: replicas, value: 4, reason: tock } }]
${opts.coordination ? `coordination: ${opts.coordination}` : ""}
`;

describe("in a run", () => {
  it("a quiet provisioner delivers the scale-up job + boot + warm-up after the request", () => {
    const run = runScenario(scenarioFromYaml(scenario({ agentCalls: 0 })));
    const scaled = run.log.find((r) => r.type === "replicas.scaled" && r.actor === "scaler")!;
    expect(scaled.t).toBe(60 * S);
    const ready = run.telemetry.series("web", "readyReplicas");
    const at = (t: number) => ready[run.telemetry.indexAt(t)];
    // Seen at 61 s. Launches of 15 calls from a 20-call bucket refilling 10/s, tried once a step:
    // 61 s (20 -> 5), 62 s (15 -> 0), 63 s refused (10), 64 s (20 -> 5). Each job 30 s, boot 30 s,
    // warm-up 30 s: ready at 151 s, 152 s and 154 s.
    expect([150, 151, 152, 153, 154].map((t) => at(t * S))).toEqual([2, 3, 4, 4, 5]);
    expect(at(300 * S)).toBe(5);
    expect(run.log.filter((r) => r.data.policy === "apiQuota")).toHaveLength(0);
  });

  it("an agent storm exhausts the quota: the scale-up never arrives, throttled commands are logged and cited", () => {
    const run = runScenario(scenarioFromYaml(scenario({ agentCalls: 12 })));
    const throttled = run.log.filter((r) => r.type === "command.rejected" && r.data.policy === "apiQuota");
    expect(throttled.length).toBeGreaterThan(400);
    expect(String(throttled[0].data.reason)).toMatch(/cloud API quota exhausted: \d+ of 12 calls admitted/);
    const ready = run.telemetry.series("web", "readyReplicas");
    expect(Math.max(...ready)).toBe(2);
    // Every replica beyond the first two is still waiting for the provisioner at the end.
    const end = run.telemetry.indexAt(9 * 60 * S);
    expect(run.telemetry.series("web", "pendingReplicas")[end]).toBe(run.telemetry.series("web", "replicas")[end] - 2);
    expect(run.telemetry.series("web", "pendingReplicas")[end]).toBeGreaterThanOrEqual(3);
    // Provenance: web's health flip after the surge cites the storm's throttled commands.
    const flip = run.log.find((r) => r.type === "health.changed" && r.actor === "web" && r.data.healthy === false)!;
    const stormSeqs = new Set(run.log.filter((r) => r.actor === "chatty").map((r) => r.seq));
    expect(flip.causes.some((seq) => stormSeqs.has(seq))).toBe(true);
  });

  it("a policy-rejected command makes no API calls", () => {
    const run = runScenario(scenarioFromYaml(scenario({ agentCalls: 12, coordination: "{ authorization: { scaler: [web.replicas] } }" })));
    expect(run.log.filter((r) => r.data.policy === "apiQuota")).toHaveLength(0);
    expect(Math.max(...run.telemetry.series("web", "readyReplicas"))).toBe(5);
  });

  it("without the new fields nothing changes: no new columns, same log as the same world without them", () => {
    const plain = runScenario(scenarioFromYaml(scenario({ lifecycle: false })));
    expect(plain.telemetry.signalNames).not.toContain("readyReplicas");
    expect(plain.telemetry.signalNames).not.toContain("queuedJobs");
    // Replicas follow the knob at once: the scale-up at 60 s serves from the next step.
    const scaled = plain.log.find((r) => r.type === "replicas.scaled" && r.actor === "scaler")!;
    expect(plain.telemetry.series("web", "available")[plain.telemetry.indexAt(scaled.t + S)]).toBe(1);
  });

  it("refuses a callsPerJob above burst, an unknown agent in agentCalls, and a provisioner that is not one", () => {
    const bad = scenario({ agentCalls: 1 }).replace("callsPerJob: 15", "callsPerJob: 25").replace("agentCalls: { chatty: 1 }", "agentCalls: { chaty: 1 }").replace("provisioner: cloud", "provisioner: batch");
    expect(() => scenarioFromYaml(bad)).toThrow(ScenarioError);
    try {
      scenarioFromYaml(bad);
    } catch (e) {
      const text = String((e as Error).message);
      expect(text).toMatch(/callsPerJob/);
      expect(text).toMatch(/chaty/);
      expect(text).toMatch(/provisioner/);
    }
  });
});

describe("load offered to a provisioner is API calls", () => {
  // The quiet scenario above, plus a poller that sends API calls to the provisioner for 2 minutes
  // from 30 s: 10 calls/s, exactly the refill rate, so once it has drained the burst (2 s) no
  // launch of 15 calls finds its tokens until the poller stops at 150 s.
  const polled = (rate: string) =>
    scenario({ agentCalls: 0 }).replace(
      "  - id: chatty\n",
      `  - id: poller
    kind: statechart
    evaluationPeriod: 30s
    initial: idle
    states:
      idle:
        on:
          wake: { target: polling, actions: [{ sendLoad: { to: cloud, rate: ${rate}, for: 2m, reason: list every instance } }] }
      polling: {}
  - id: chatty\n`,
    );

  it("takes the quota's tokens before the step's launches: the scale-up waits for the poller to stop", () => {
    const run = runScenario(scenarioFromYaml(polled("10/s")));
    const ready = run.telemetry.series("web", "readyReplicas");
    const at = (t: number) => ready[run.telemetry.indexAt(t)];
    // Without the poller the three replicas are ready at 151-154 s (test above). With it: the
    // scale-up's command at 60 s is applied before that step's calls are charged, so its first
    // launch takes 15 of the 20 tokens the bucket holds at that instant (ready at 150 s). From then
    // on each step's 10 calls leave 10 tokens, short of a launch's 15, until the poller's load
    // ends (150 s): the other two launches wait 90 s and are ready 90 s after that.
    expect(at(154 * S)).toBe(3);
    expect(at(235 * S)).toBe(3);
    expect(at(400 * S)).toBe(5);
    // The provisioner counts the calls as load and throttles none of the poller's (rate = refill).
    const load = run.telemetry.series("cloud", "loadRps");
    expect(load[run.telemetry.indexAt(100 * S)]).toBeGreaterThanOrEqual(10);
    expect(run.log.some((r) => r.type === "load.sent" && r.target === "cloud")).toBe(true);
  });

  it("above the quota the excess calls are throttled: the provisioner's error rate is the refused share", () => {
    const run = runScenario(scenarioFromYaml(polled("40/s")));
    const errors = run.telemetry.series("cloud", "errorRate");
    // 40 calls a step against 10 tokens a step (after the burst): at least 3/4 refused. The failed
    // launches of the scale-up add to the refused calls.
    expect(errors[run.telemetry.indexAt(100 * S)]).toBeGreaterThanOrEqual(0.75);
    expect(errors[run.telemetry.indexAt(400 * S)]).toBe(0);
  });
});
