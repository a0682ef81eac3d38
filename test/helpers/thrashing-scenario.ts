// Large runs for the views' e2e tests: scenario text like bench/scenarios/ui-100k.yaml, smaller.
// Each of `pairs` services is scaled by a performance agent and a cost agent whose targets leave
// no replica count that satisfies both, so they thrash and log many commands.

export interface ThrashingScenario {
  name: string;
  description: string;
  pairs: number;
  /** A duration as in scenario files, e.g. "90m". */
  duration: string;
  /** The shared database's flow mapping (default: a database with its kind's defaults). */
  db?: string;
  /** YAML lines of the `variants:` section, indented under it. */
  variants: string[];
}

export function thrashingScenario(o: ThrashingScenario): string {
  const lines = [`name: ${o.name}`, `description: ${o.description}`, "seed: 7", `duration: ${o.duration}`, "step: 5s", "components:"];
  for (let i = 0; i < o.pairs; i++) lines.push(`  - { id: svc${i}, kind: service, replicas: 6, replicasMin: 2, replicasMax: 20, capacityPerReplica: 100/s, baseLatency: 20ms, costPerReplicaHour: 0.40, dependsOn: [db] }`);
  lines.push(`  - ${o.db ?? "{ id: db, kind: database }"}`, "workload:");
  for (let i = 0; i < o.pairs; i++) lines.push(`  - { id: users${i}, target: svc${i}, pattern: { kind: diurnal, mean: ${450 + (i % 7) * 5}/s, amplitude: 0.08, period: 24h, peakAt: ${i % 24}h }, noise: 0.02 }`);
  lines.push("agents:");
  for (let i = 0; i < o.pairs; i++) {
    lines.push(`  - { id: perf${i}, kind: performance, target: svc${i}, latencyP95Max: 80ms, utilizationMax: 0.75, step: 2, evaluationPeriod: 10s, breachesToAct: 1, cooldown: 20s }`);
    lines.push(`  - { id: cost${i}, kind: cost, target: svc${i}, utilizationMin: 0.65, step: 2, evaluationPeriod: 10s, breachesToAct: 1, cooldown: 20s }`);
  }
  lines.push("variants:", ...o.variants);
  return `${lines.join("\n")}\n`;
}
