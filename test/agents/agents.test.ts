// Each built-in agent alone, run by the real engine and the real XState interpreter: it wakes
// on its own simulated-clock timers, acts only through commands, and respects its bounds.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const base = (load: string, agents: string, replicas = 4) => `
name: agent-test
seed: 1
duration: 1h
step: 5s
components:
  - { id: web, kind: service, replicas: ${replicas}, replicasMin: 2, replicasMax: 12, capacityPerReplica: 100/s, baseLatency: 20ms }
workload:
  - { id: users, target: web, pattern: { kind: constant, rate: ${load} } }
agents:
${agents}`;

describe("performance agent", () => {
  const scenario = scenarioFromYaml(
    base("900/s", "  - { id: perf, kind: performance, target: web, utilizationMax: 0.7, step: 2, evaluationPeriod: 30s, cooldown: 2m }"),
  );
  const run = runScenario(scenario);
  const scalings = run.log.filter((r) => r.type === "replicas.scaled");

  it("scales out under load until utilization is under its target", () => {
    expect(scalings.map((r) => r.data.to)).toEqual([6, 8, 10, 12]);
    expect(run.telemetry.series("web", "utilization").at(-1)).toBeLessThan(0.8);
  });

  it("wakes every evaluation period and waits out its cooldown between actions (simulated clock)", () => {
    expect(scalings[0].t).toBe(30_000);
    // Cooldown (2m) ends at the same instant as the 4th wake after an action; the cooldown timer was
    // queued first, so that wake already finds the agent watching and it acts again: 120 s apart.
    for (let i = 1; i < scalings.length; i++) expect(scalings[i].t - scalings[i - 1].t).toBe(120_000);
    expect(run.stats.decisions).toBeGreaterThanOrEqual(scenario.durationMs / 30_000);
  });

  it("stops at replicasMax instead of issuing out-of-bounds commands", () => {
    expect(run.stats.rejected).toBe(0);
    expect(Math.max(...scalings.map((r) => r.data.to as number))).toBe(12);
  });

  it("records its machine states with simulated times", () => {
    const states = run.agentStates.filter((s) => s.agent === "perf");
    expect(states[0]).toEqual({ t: 0, agent: "perf", state: "watching" });
    expect(states[1]).toEqual({ t: 30_000, agent: "perf", state: "coolingDown" });
    expect(states[2]).toEqual({ t: 150_000, agent: "perf", state: "watching" });
  });
});

describe("performance agent with breachesToAct", () => {
  it("acts only after that many consecutive breaching evaluations", () => {
    const run = runScenario(scenarioFromYaml(base("900/s", "  - { id: perf, kind: performance, target: web, utilizationMax: 0.7, breachesToAct: 3, evaluationPeriod: 30s }")));
    expect(run.log.find((r) => r.type === "replicas.scaled")!.t).toBe(90_000);
  });
});

describe("cost agent", () => {
  const run = runScenario(scenarioFromYaml(base("100/s", "  - { id: cost, kind: cost, target: web, utilizationMin: 0.5, evaluationPeriod: 1m, cooldown: 1m }", 8)));
  const scalings = run.log.filter((r) => r.type === "replicas.scaled");

  it("scales an idle service in, one step at a time, down to replicasMin", () => {
    expect(scalings.map((r) => r.data.to)).toEqual([7, 6, 5, 4, 3, 2]);
    expect(scalings.every((r) => r.actor === "cost")).toBe(true);
    expect(run.stats.rejected).toBe(0);
  });

  it("scales in when over budget even when utilization is fine", () => {
    const overBudget = runScenario(
      scenarioFromYaml(base("700/s", "  - { id: cost, kind: cost, target: web, utilizationMin: 0.1, budgetPerHour: 0.5, evaluationPeriod: 1m, cooldown: 1m }", 8)),
    );
    const first = overBudget.log.find((r) => r.type === "replicas.scaled")!;
    expect(first.data.reason).toMatch(/web\.costPerHour = 0\.800 > budget 0\.500/);
  });
});

describe("routing agent", () => {
  const scenario = scenarioFromYaml(`
name: routing-test
seed: 3
duration: 30m
step: 5s
components:
  - { id: lb, kind: loadBalancer, targets: [fast, slow] }
  - { id: fast, kind: service, replicas: 8, capacityPerReplica: 100/s, baseLatency: 20ms }
  - { id: slow, kind: service, replicas: 3, capacityPerReplica: 100/s, baseLatency: 20ms }
workload:
  - { id: users, target: lb, pattern: { kind: constant, rate: 700/s } }
agents:
  - { id: router, kind: routing, target: lb, latencyP95Max: 60ms, shiftStep: 10, evaluationPeriod: 30s, cooldown: 30s }
`);
  const run = runScenario(scenario);
  const changes = run.log.filter((r) => r.type === "weight.changed");

  it("moves weight from the overloaded target to the healthy one", () => {
    expect(changes.length).toBeGreaterThanOrEqual(2);
    expect(changes[0].data).toMatchObject({ knob: "weight.slow", from: 50, to: 40 });
    expect(changes[1].data).toMatchObject({ knob: "weight.fast", from: 50, to: 60 });
    expect(changes[0].data.reason).toMatch(/^slow\.(latencyMsP95|errorRate) = /);
  });

  it("brings the slow target back under its latency limit", () => {
    expect(run.telemetry.series("slow", "latencyMsP95").at(-1)).toBeLessThan(60);
    expect(run.telemetry.series("lb", "errorRate").at(-1)).toBeLessThan(0.01);
  });

  it("gives its commands the events its observations came from", () => {
    const firstHealthChange = run.log.find((r) => r.type === "health.changed" && r.target === "slow")!;
    expect(changes[0].causes).toContain(firstHealthChange.seq);
    // The second shift read weights and latencies shaped by the first shift's two writes.
    const [first, second] = [changes.slice(0, 2), changes.slice(2, 4)];
    expect(second.length).toBe(2);
    for (const c of second) for (const f of first) expect(c.causes).toContain(f.seq);
  });
});
