// End to end through the real engine and XState agents: when twenty autoscalers each resize one
// target of a balancer, an agent reading the balancer's latency cites every one of them (causes
// are exact: no recency cap drops the 9th..20th).
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { loadScenario } from "../../sim/scenario/load.js";

function twentyScalers(n = 20): string {
  const lines = ["name: twenty-scalers", "description: twenty autoscalers each resize one target of one balancer; an observer reads the balancer's latency", "seed: 1", "duration: 10m", "step: 5s", "components:"];
  lines.push(`  - { id: front, kind: loadBalancer, targets: [${Array.from({ length: n }, (_, i) => `s${i}`).join(", ")}] }`);
  for (let i = 0; i < n; i++) lines.push(`  - { id: s${i}, kind: service, replicas: 2, replicasMax: 10, capacityPerReplica: 100/s }`);
  lines.push("workload:", `  - { id: users, target: front, pattern: { kind: constant, rate: ${n * 190}/s } }`, "agents:");
  for (let i = 0; i < n; i++) lines.push(`  - { id: scaler${i}, kind: performance, target: s${i}, utilizationMax: 0.75, step: 2, evaluationPeriod: 30s, breachesToAct: 2 }`);
  lines.push(
    "  - id: observer",
    "    kind: statechart",
    "    evaluationPeriod: 5m",
    "    initial: watching",
    "    states:",
    "      watching:",
    "        on:",
    "          wake:",
    '            guard: { signal: { component: front, name: latencyMsP95, op: ">", value: 0 } }',
    "            target: done",
    "            actions:",
    '              - set: { target: front, knob: weight.s0, value: 60, reason: "front latency seen" }',
    "      done: {}",
  );
  return lines.join("\n");
}

describe("exact causes", () => {
  it("an agent reading one signal cites all 20 agents whose actions reached it", () => {
    const run = runScenario(loadScenario(twentyScalers(), "twenty.yaml"));
    const observed = run.log.find((r) => r.actor === "observer")!;
    expect(observed).toBeDefined();
    const latestScaleBefore = new Map<string, number>();
    for (const r of run.log) if (r.seq < observed.seq && r.actor.startsWith("scaler") && r.type === "replicas.scaled") latestScaleBefore.set(r.actor, r.seq);
    expect(latestScaleBefore.size).toBe(20);
    for (const [actor, seq] of latestScaleBefore) expect(observed.causes, `${actor}'s #${seq}`).toContain(seq);
  });
});
