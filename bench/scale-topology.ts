// Generator of the scale benchmark's scenarios: N components as chained shards of
// lb -> 2 web services -> api -> db, diurnal noisy load per lb and agents in proportion to N,
// built only from the public Scenario shape so it outlives changes to the engine's world model.
import type { AgentSpec, ComponentSpec, Scenario, WorkloadSpec } from "../sim/scenario/types.js";
import { costAgent, database, loadBalancer, performanceAgent, routingAgent, scenario, service } from "./specs.js";

const HOUR_MS = 3_600_000;

/** Components per shard: lb, web a, web b, api, db. */
export const COMPONENTS_PER_SHARD = 5;

/** What to generate. Only `components` and `durationMs` are required. */
export interface ScaleTopologyOptions {
  /** Number of components; a multiple of 5 and at least 10 (two shards, so the chain links two). */
  components: number;
  durationMs: number;
  /** Agents per component (default 0.25: one agent per 4 components); rounded to a whole count. */
  agentsPerComponent?: number;
  /** World step (default 5 s). */
  stepMs?: number;
  /**
   * Telemetry sampling interval (default 60 s). The engine keeps 13 Float32 signals per component
   * per sample for the whole run, so this, not the step, decides telemetry memory at large N.
   */
  sampleEveryMs?: number;
  seed?: number;
}

/** Share of each agent kind, as in the 24 h day (20 perf on web+api, 15 cost, 15 routing of 50). */
const AGENT_MIX = { perfWeb: 0.2, perfApi: 0.2, costWeb: 0.3, routing: 0.3 } as const;

/**
 * A scenario of `components / 5` shards. Shard i is lb{i} -> web{i}a, web{i}b -> api{i} ->
 * db{i}, and api{i} also sends half a call per request to db{i+1} (the last shard's to db0), so
 * the graph is one connected chain rather than islands, and acyclic. Each lb gets a diurnal load
 * peaking at a different hour with 5% noise. Agents, spread evenly over the shards: 20%
 * performance on web "a" services, 20% performance on apis, 30% cost on web services (as many
 * as there are web performance agents on the same "a" services, so they contend; the rest on
 * "b" services) and 30% routing on lbs. At 200 components that is the 24 h day's 10/10/15/15. Pure; throws a RangeError for an impossible size.
 */
export function scaleScenario(options: ScaleTopologyOptions): Scenario {
  const { components: n, durationMs } = options;
  const agentsPerComponent = options.agentsPerComponent ?? 0.25;
  const stepMs = options.stepMs ?? 5000;
  const sampleEveryMs = options.sampleEveryMs ?? 60_000;
  if (!Number.isInteger(n) || n < 2 * COMPONENTS_PER_SHARD || n % COMPONENTS_PER_SHARD !== 0) {
    throw new RangeError(`scale topology: components must be a multiple of ${COMPONENTS_PER_SHARD} and >= ${2 * COMPONENTS_PER_SHARD}, got ${n}; try ${Math.max(2, Math.round(n / COMPONENTS_PER_SHARD)) * COMPONENTS_PER_SHARD}`);
  }
  if (!(agentsPerComponent >= 0)) throw new RangeError(`scale topology: agentsPerComponent must be >= 0, got ${agentsPerComponent}`);
  if (sampleEveryMs % stepMs !== 0) throw new RangeError(`scale topology: sampleEveryMs (${sampleEveryMs}) must be a multiple of stepMs (${stepMs})`);
  const shards = n / COMPONENTS_PER_SHARD;

  const components: ComponentSpec[] = [];
  const workloads: WorkloadSpec[] = [];
  for (let i = 0; i < shards; i++) {
    const next = (i + 1) % shards;
    components.push(loadBalancer(`lb${i}`, [`web${i}a`, `web${i}b`]));
    for (const side of ["a", "b"]) {
      components.push(service(`web${i}${side}`, { replicas: 3, replicasMin: 1, replicasMax: 20, costPerReplicaHour: 0.4, dependsOn: [{ id: `api${i}`, callsPerRequest: 1 }] }));
    }
    components.push(
      service(`api${i}`, {
        replicas: 6,
        replicasMin: 2,
        replicasMax: 30,
        baseLatencyMs: 30,
        costPerReplicaHour: 0.6,
        dependsOn: [
          { id: `db${i}`, callsPerRequest: 2 },
          { id: `db${next}`, callsPerRequest: 0.5 },
        ],
      }),
    );
    components.push(database(`db${i}`, { replicas: 1, replicasMax: 8 }));
    workloads.push({
      id: `users${i}`,
      target: `lb${i}`,
      pattern: { kind: "diurnal", meanRps: 260 + 10 * (i % 8), amplitude: 0.6, periodMs: 24 * HOUR_MS, peakAtMs: (i % 24) * HOUR_MS },
      noise: 0.05,
    });
  }

  const total = Math.round(n * agentsPerComponent);
  const perfWeb = Math.round(total * AGENT_MIX.perfWeb);
  const perfApi = Math.round(total * AGENT_MIX.perfApi);
  const costWeb = Math.round(total * AGENT_MIX.costWeb);
  const routing = total - perfWeb - perfApi - costWeb;
  // The k-th of `count` agents goes to shard floor(k * shards / count): an even spread, not a
  // clump in the first shards. Past one agent per shard it wraps round the shards again.
  const shardOf = (k: number, count: number): number => (count <= shards ? Math.floor((k * shards) / count) : k % shards);
  const agents: AgentSpec[] = [];
  for (let k = 0; k < perfWeb; k++) agents.push(performanceAgent(`perf-web${k}`, `web${shardOf(k, perfWeb)}a`, { replicasMax: 20, step: 1, breachesToAct: 2 }));
  for (let k = 0; k < perfApi; k++) agents.push(performanceAgent(`perf-api${k}`, `api${shardOf(k, perfApi)}`, { replicasMax: 30, step: 2, breachesToAct: 2, latencyMsP95Max: 150 }));
  for (let k = 0; k < costWeb; k++) {
    // The first cost agents watch the very web service performance agent k scales, so the two
    // contend; the rest go to "b" web services, which no performance agent touches.
    const target = k < perfWeb ? `web${shardOf(k, perfWeb)}a` : `web${shardOf(k - perfWeb, costWeb - perfWeb)}b`;
    agents.push(costAgent(`cost-web${k}`, target, { replicasMin: 1, breachesToAct: 2 }));
  }
  for (let k = 0; k < routing; k++) agents.push(routingAgent(`route-lb${k}`, `lb${shardOf(k, routing)}`));

  return scenario({
    name: `bench-scale-${n}c-${agents.length}a`,
    description: `benchmark: ${n} components in ${shards} chained shards, ${agents.length} agents`,
    seed: options.seed ?? 7,
    durationMs,
    stepMs,
    sampleEveryMs,
    coordination: {},
    components,
    workloads,
    agents,
  });
}
