// Builders of engine-ready Scenario parts for generated benchmark scenarios, filled in with the
// same defaults the loader applies (sim/scenario/resolve.ts DEFAULTS), and frozen like loader output.
import type { AgentSpec, ComponentSpec, HealthSpec, LoadBalancerSpec, PerformanceAgentSpec, CostAgentSpec, RoutingAgentSpec, Scenario, ServerSpec } from "../sim/scenario/types.js";

/** The loader's default health limits (500 ms p95, 5% errors, 3 bad / 5 good steps). Pure. */
export function defaultHealth(): HealthSpec {
  return { errorRateMax: 0.05, latencyMsP95Max: 500, unhealthyAfterSteps: 3, healthyAfterSteps: 5 };
}

/** A service with the loader's defaults, overridden by `over`. Pure. */
export function service(id: string, over: Partial<ServerSpec> = {}): ServerSpec {
  return {
    id,
    kind: "service",
    replicas: 2,
    replicasMin: 1,
    replicasMax: 100,
    capacityPerReplicaRps: 100,
    baseLatencyMs: 20,
    latencyMsMax: 10_000,
    costPerReplicaHour: 0.1,
    dependsOn: [],
    health: defaultHealth(),
    ...over,
  };
}

/** A database with the loader's defaults, overridden by `over`. Pure. */
export function database(id: string, over: Partial<ServerSpec> = {}): ServerSpec {
  return { ...service(id), kind: "database", replicas: 1, replicasMax: 16, capacityPerReplicaRps: 2000, baseLatencyMs: 5, costPerReplicaHour: 1, ...over };
}

/** A load balancer splitting evenly over `targets`. Pure. */
export function loadBalancer(id: string, targets: string[]): LoadBalancerSpec {
  const weights: Record<string, number> = {};
  for (const t of targets) weights[t] = 100 / targets.length;
  return { id, kind: "loadBalancer", targets, weights, baseLatencyMs: 1, costPerHour: 0.05, health: defaultHealth() };
}

/** A performance agent with the loader's defaults (100 ms p95, 75% utilization, 30 s, 1 m cooldown). Pure. */
export function performanceAgent(id: string, target: string, over: Partial<PerformanceAgentSpec> = {}): PerformanceAgentSpec {
  return { id, kind: "performance", target, latencyMsP95Max: 100, utilizationMax: 0.75, step: 1, replicasMax: 100, evaluationPeriodMs: 30_000, breachesToAct: 1, cooldownMs: 60_000, ...over };
}

/** A cost agent with the loader's defaults (40% utilization floor, no budget, 1 m, 2 m cooldown). Pure. */
export function costAgent(id: string, target: string, over: Partial<CostAgentSpec> = {}): CostAgentSpec {
  return { id, kind: "cost", target, utilizationMin: 0.4, budgetPerHour: Infinity, step: 1, replicasMin: 1, evaluationPeriodMs: 60_000, breachesToAct: 1, cooldownMs: 120_000, ...over };
}

/** A routing agent with the loader's defaults (200 ms p95, 5% errors, 10 points, 30 s, 1 m cooldown). Pure. */
export function routingAgent(id: string, target: string, over: Partial<RoutingAgentSpec> = {}): RoutingAgentSpec {
  return { id, kind: "routing", target, latencyMsP95Max: 200, errorRateMax: 0.05, shiftStep: 10, weightMin: 0, evaluationPeriodMs: 30_000, cooldownMs: 60_000, ...over };
}

/** Assembles and deep-freezes a scenario, as the loader does. */
export function scenario(parts: Omit<Scenario, "components" | "agents"> & { components: ComponentSpec[]; agents: AgentSpec[] }): Scenario {
  return deepFreeze(parts);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
