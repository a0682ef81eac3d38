// The file format of the `service` and `database` kinds: their YAML fields, their resolved spec
// (ServerSpec, with the optional CPU model) and the resolver applying their defaults. Pure data.
import { z } from "zod";
import { checkCpuRequest } from "./cpu.js";
import { coldStartSchema, resolveRestarts, restartSchema, RESTART_DEFAULTS, type ColdStartSpec, type RestartSpec } from "./restarts-spec.js";
import { lifecycleFields, resolveLifecycle, type LifecycleSpec } from "./lifecycle-spec.js";
import { componentId, duration, replicatedFields, resolveDependencies, type ReplicatedSpec } from "../../../scenario/fields.js";
import type { KindSpec } from "../../../scenario/kind-spec.js";
import { resolveResident, runsOnField, usesField, type ResidentSpec } from "../host/spec.js";
import type { Path, ResolveTools, Unlocated } from "../../../scenario/resolve-tools.js";

/** Defaults of services, databases and their CPU model (gathered into resolve.ts DEFAULTS through the registry). */
export const SERVER_DEFAULTS = {
  service: { replicas: 2, replicasMin: 1, replicasMax: 100, capacityPerReplica: "100/s", baseLatency: "20ms", latencyMax: "10s", costPerReplicaHour: 0.1 },
  database: { replicas: 1, replicasMin: 1, replicasMax: 16, capacityPerReplica: "2000/s", baseLatency: "5ms", latencyMax: "10s", costPerReplicaHour: 1 },
  cpu: { cpuRequest: 500, podRestart: "30s" },
  pool: { queue: 0 },
  ...RESTART_DEFAULTS,
} as const;

/** Most workers per replica a pool may have (a budget: validate ok => run finishes). */
export const POOL_SIZE_MAX = 1_000_000;
/** Most waiting places per replica a pool may have. */
export const POOL_QUEUE_MAX = 1_000_000;

/** A server's pool as resolved: workers and waiting places per replica (docs/model.md "Worker pools"). */
export interface PoolSpec {
  /** Workers per replica: requests in progress at once. */
  size: number;
  /** Waiting places per replica for requests arriving while every worker is busy; 0 = reject at once. */
  queue: number;
}

/** A server's worker `pool` as written (docs/model.md "Worker pools"). */
export const poolSchema = z.strictObject({
  size: z.int().min(1).max(POOL_SIZE_MAX).describe(`Workers per replica (threads, connections): requests in progress at once, each held for its own latency plus its downstream calls. 1 to ${POOL_SIZE_MAX}.`),
  queue: z.int().min(0).max(POOL_QUEUE_MAX).optional().describe(`Waiting places per replica for requests arriving while every worker is busy; requests arriving with them full are rejected (errors). 0 = reject as soon as the pool is full. 0 to ${POOL_QUEUE_MAX}. Default 0.`),
}).describe("A worker pool per replica (M/M/c/K): signals concurrency, poolUtilization, queueLength. Default: no pool.");

/** A `service` or `database` component as written. */
export const serverSchema = z.strictObject({
  id: componentId,
  kind: z.enum(["service", "database"]).describe("`service` or `database`: replicas of identical servers behind one M/M/c queue; they differ only in defaults (docs/model.md)."),
  ...replicatedFields,
  /** How long a request may wait in the backlog before it is dropped; absent = no backlog. */
  maxQueue: duration.optional().describe("Backlog: load above capacity waits in a FIFO queue, and requests that would wait longer than this duration are dropped (errors). Default: no backlog (load above 99% of capacity is shed)."),
  /** CPU model (docs/model.md): CPU time per request, CPU request per pod in millicores, pod restart time. */
  cpuPerRequest: duration.optional().describe("CPU time one request costs, a duration such as `20ms`; turns on the CPU model (knob `cpuRequestMillicores`, signal `cpuUtilization`). Default: no CPU model."),
  cpuRequest: z.int().positive().optional().describe("CPU request per pod in millicores, in [50, 8000] (initial knob `cpuRequestMillicores`); capacity per replica = cpuRequest / cpuPerRequest. Needs cpuPerRequest. Default 500."),
  podRestart: duration.optional().describe("How long a pod is out of service while it restarts after a CPU resize. Needs cpuPerRequest. Default `30s`."),
  pool: poolSchema.optional(),
  restart: restartSchema,
  coldStart: coldStartSchema,
  runsOn: runsOnField,
  uses: usesField,
  ...lifecycleFields,
}).describe("A service or database: replicas of identical servers behind one queue (docs/model.md).");

/** A service or database as written (before units are parsed and defaults applied). */
export type ServerFile = z.infer<typeof serverSchema>;

/**
 * A server's CPU model: each request costs `perRequestMs` of CPU time and each pod may use up to
 * its request (knob `cpuRequestMillicores`, initially `requestMillicores`), so capacity per pod
 * is request / perRequestMs. Resizing the request restarts the pods one at a time.
 */
export interface CpuSpec {
  perRequestMs: number;
  requestMillicores: number;
  /** How long one evicted pod is out of service while it restarts with the new request. */
  podRestartMs: number;
}

/** A service or database: replicas of identical servers behind one queue (M/M/c). */
export interface ServerSpec extends ReplicatedSpec, ResidentSpec {
  kind: "service" | "database";
  /** CPU model (sim/model/cpu.ts); absent = capacity is capacityPerReplicaRps and there is no CPU knob. */
  cpu?: CpuSpec;
  /**
   * How long a request may wait in the backlog before the server drops it. 0 (the default)
   * means no backlog: load above capacity is shed at once.
   */
  maxQueueMs?: number;
  /** Worker pool per replica (./pool.ts); absent = requests in progress are not limited. */
  pool?: PoolSpec;
  /** Restart policy of crashed replicas (./restarts.ts); absent = the kubelet's defaults when a crash fault hits. */
  restart?: RestartSpec;
  /** Cold start from a dependency before a starting replica serves; absent = replicas serve at once. */
  coldStart?: ColdStartSpec;
  /** Capacity lifecycle (./lifecycle.ts); absent = replicas serve as soon as the knob says so. */
  lifecycle?: LifecycleSpec;
}

/**
 * Resolves a service or database: replica bounds, a latency and capacity above 0, and the CPU
 * model. Reports problems through `t`; pure apart from that.
 */
export function resolveServer(c: ServerFile, path: Path, t: ResolveTools): ServerSpec {
  const { ms, rps, health, problems } = t;
  const d = SERVER_DEFAULTS[c.kind];
  const replicasMin = c.replicasMin ?? Math.min(d.replicasMin, c.replicas ?? d.replicasMin);
  const replicasMax = c.replicasMax ?? Math.max(d.replicasMax, c.replicas ?? 0);
  const replicas = c.replicas ?? Math.max(replicasMin, Math.min(replicasMax, d.replicas));
  if (replicasMin > replicasMax) problems.push({ path: [...path, "replicasMin"], expected: `at most replicasMax (${replicasMax})`, found: String(replicasMin) });
  else if (replicas < replicasMin || replicas > replicasMax) problems.push({ path: [...path, "replicas"], expected: `a number in [replicasMin, replicasMax] = [${replicasMin}, ${replicasMax}]`, found: String(replicas) });
  const baseLatencyMs = ms(c.baseLatency ?? d.baseLatency, [...path, "baseLatency"]);
  if (baseLatencyMs <= 0 && c.baseLatency !== undefined) problems.push({ path: [...path, "baseLatency"], expected: "a latency above 0ms", found: JSON.stringify(c.baseLatency) });
  const capacity = rps(c.capacityPerReplica ?? d.capacityPerReplica, [...path, "capacityPerReplica"]);
  if (capacity <= 0 && c.capacityPerReplica !== undefined) problems.push({ path: [...path, "capacityPerReplica"], expected: "a rate above 0", found: JSON.stringify(c.capacityPerReplica) });
  const cpu = resolveServerCpu(c, path, ms, problems);
  const lifecycle = resolveLifecycle(c, path, t);
  return {
    id: c.id,
    kind: c.kind,
    replicas,
    replicasMin,
    replicasMax,
    capacityPerReplicaRps: cpu ? cpu.requestMillicores / cpu.perRequestMs : capacity,
    baseLatencyMs: Math.max(1, baseLatencyMs),
    latencyMsMax: ms(c.latencyMax ?? d.latencyMax, [...path, "latencyMax"]),
    costPerReplicaHour: c.costPerReplicaHour ?? d.costPerReplicaHour,
    dependsOn: resolveDependencies(c.dependsOn),
    health: health(c.health, [...path, "health"]),
    ...(cpu ? { cpu } : {}),
    ...(c.maxQueue !== undefined ? { maxQueueMs: ms(c.maxQueue, [...path, "maxQueue"]) } : {}),
    ...(c.pool !== undefined ? { pool: { size: c.pool.size, queue: c.pool.queue ?? SERVER_DEFAULTS.pool.queue } } : {}),
    ...resolveRestarts(c, resolveDependencies(c.dependsOn).map((dep) => dep.id), path, t),
    ...resolveResident(c, path, t),
    ...(lifecycle ? { lifecycle } : {}),
  };
}

/**
 * The CPU model of a server (undefined without `cpuPerRequest`). Reports CPU fields set without
 * cpuPerRequest, a capacityPerReplica that the CPU model would override, and out-of-range requests.
 */
function resolveServerCpu(c: ServerFile, path: Path, ms: (text: string, path: Path) => number, problems: Unlocated[]): CpuSpec | undefined {
  if (c.cpuPerRequest === undefined) {
    for (const field of ["cpuRequest", "podRestart"] as const) {
      if (c[field] !== undefined) problems.push({ path: [...path, field], expected: "cpuPerRequest next to it (the CPU model is on only when cpuPerRequest is set)", found: JSON.stringify(c[field]), hint: "add e.g. `cpuPerRequest: 20ms`" });
    }
    return undefined;
  }
  if (c.capacityPerReplica !== undefined) {
    problems.push({ path: [...path, "capacityPerReplica"], expected: "no capacityPerReplica on a server with cpuPerRequest", found: JSON.stringify(c.capacityPerReplica), hint: "capacity per replica is cpuRequest / cpuPerRequest; remove one of them" });
  }
  const perRequestMs = ms(c.cpuPerRequest, [...path, "cpuPerRequest"]);
  if (perRequestMs <= 0) problems.push({ path: [...path, "cpuPerRequest"], expected: "a CPU time above 0ms", found: JSON.stringify(c.cpuPerRequest) });
  const requestMillicores = c.cpuRequest ?? SERVER_DEFAULTS.cpu.cpuRequest;
  const bad = checkCpuRequest(c.id, requestMillicores);
  if (bad) problems.push({ path: [...path, "cpuRequest"], expected: "a CPU request in millicores the knob accepts", found: String(requestMillicores), hint: bad });
  return { perRequestMs: Math.max(1, perRequestMs), requestMillicores, podRestartMs: ms(c.podRestart ?? SERVER_DEFAULTS.cpu.podRestart, [...path, "podRestart"]) };
}

/** The spec module of `service` and `database`: every dependency must be a component. */
export const serverKind: KindSpec<typeof serverSchema, ServerSpec, typeof SERVER_DEFAULTS> = {
  kinds: ["service", "database"],
  schema: serverSchema,
  defaults: SERVER_DEFAULTS,
  resolve: resolveServer,
  references: (s, path, reference) => {
    s.dependsOn.forEach((d, j) => reference(d.id, [...path, "dependsOn", j]));
    if (s.runsOn !== undefined) reference(s.runsOn, [...path, "runsOn"], ["host"]);
    if (s.lifecycle?.provisioner !== undefined) reference(s.lifecycle.provisioner, [...path, "provisioner"], ["provisioner"]);
  },
  // A component on a host calls it like a dependency: the host's failures reach it end to end.
  downstream: (s) => (s.runsOn === undefined ? s.dependsOn.map((d) => d.id) : [...s.dependsOn.map((d) => d.id), s.runsOn]),
};
