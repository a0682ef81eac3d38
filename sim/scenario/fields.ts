// Fields several parts of a scenario file share (ids, durations, rates, health, dependencies,
// replica fields, document rules) as zod types, with the resolved shapes of the shared component
// fields. Component kinds' spec modules and schema.ts import these; this file imports neither.
import { z } from "zod";
import { parseDuration, parseRate } from "../core/units.js";
import { checkedBy } from "./checked-by.js";

// The helpers below carry no description: in the generated JSON Schema a helper's description
// would show on every field that uses it and hide fields lacking their own. Each field says what
// it means, its unit and its default with `.describe()` (defaults: DEFAULTS in resolve.ts, which
// gathers each kind's defaults from its spec module).

/** An id: letters, digits, - and _, starting with a letter. */
export const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "an id of letters, digits, - and _, starting with a letter");
/** `250ms`, `30s`, `5m`, `1h30m`. */
export const duration = z.string().superRefine(checkedBy((v) => parseDuration(v)));
/** `200/s`, `12000/m`, or a plain number of requests per second. */
export const rate = z.union([z.string().superRefine(checkedBy((v) => parseRate(v))), z.number().nonnegative()]);
/** A number in [0, 1]. */
export const fraction = z.number().min(0).max(1);

/** A component's `health` section: when it counts as unhealthy. */
export const healthSchema = z.strictObject({
  errorRateMax: fraction.optional().describe("A step is bad when the error rate (0-1) is above this. Default 0.05."),
  latencyP95Max: duration.optional().describe("A step is bad when the p95 latency is above this duration. Default `500ms`."),
  unhealthyAfterSteps: z.int().min(1).optional().describe("Consecutive bad steps before the component turns unhealthy. Default 3."),
  healthyAfterSteps: z.int().min(1).optional().describe("Consecutive good steps (error rate below half of errorRateMax and p95 below 80% of latencyP95Max) before it is healthy again. Default 5."),
});

/** A `health` section as written (durations still strings). */
export type HealthFile = z.infer<typeof healthSchema>;

/** Every component's `id` field. */
export const componentId = id.describe("The component's id, unique among components, workloads, agents and faults; knob patterns name its knobs `<id>.<knob>`.");
/** Every component's optional `health` field. */
export const health = healthSchema.optional().describe("When the component counts as unhealthy (signal `healthy`, `health.changed` events), with hysteresis; see docs/model.md. Default: the defaults of each field.");

/** One entry of `dependsOn`: an id, or `{ id, callsPerRequest }`. */
export const dependency = z.union([
  id.describe("The id of a component each served request calls once."),
  z.strictObject({
    id: id.describe("The id of the component called."),
    callsPerRequest: z.number().positive().optional().describe("Calls made to it per served request (sequentially: latencies add up, success rates multiply). Default 1."),
  }),
]);

/** Fields every replicated server-like component has (services, databases, config consumers). */
export const replicatedFields = {
  replicas: z.int().min(0).optional().describe("Initial number of replicas (knob `replicas`), within [replicasMin, replicasMax]. Default: service 2, database 1, configConsumer 10."),
  replicasMin: z.int().min(0).optional().describe("Fewest replicas the `replicas` knob accepts. Default 1 (or `replicas` when that is lower)."),
  replicasMax: z.int().min(1).optional().describe("Most replicas the `replicas` knob accepts. Default: service and configConsumer 100, database 16 (or `replicas` when that is higher)."),
  capacityPerReplica: rate.optional().describe("Requests one replica serves per second: a rate such as `200/s` or `12000/m`, or a number per second. Default: service and configConsumer `100/s`, database `2000/s`. Replaced by cpuRequest / cpuPerRequest with a CPU model."),
  baseLatency: duration.optional().describe("Service time of one request without queueing, a duration above 0. Default: service `20ms`, database and configConsumer `5ms`."),
  latencyMax: duration.optional().describe("Latency cap: requests that would take longer time out and count as errors. A duration; default `10s`."),
  costPerReplicaHour: z.number().nonnegative().optional().describe("Dollars per replica per hour (signal `costPerHour` = replicas x this). Default: service and configConsumer 0.1, database 1."),
  dependsOn: z.array(dependency).optional().describe("Components each served request calls: their latency and errors propagate to this one. Default: none."),
  health,
};

/** Content rules of a document (config consumers' limits, a distributor's keep-last-good check). */
export const documentRules = z.strictObject({
  rowsMax: z.int().min(0).optional().describe("A document with more rows than this breaks the rules. Default: no limit."),
  sizeBytesMax: z.int().min(0).optional().describe("A document larger than this many bytes breaks the rules. Default: no limit."),
  schema: z.string().optional().describe("A document with another schema tag breaks the rules. Default: any tag."),
});

/** When a component counts as unhealthy, with hysteresis so it does not flap on noise. */
export interface HealthSpec {
  /** Unhealthy when the error rate is above this... */
  errorRateMax: number;
  /** ...or the p95 latency is above this. */
  latencyMsP95Max: number;
  /** Consecutive bad steps before healthy -> unhealthy. */
  unhealthyAfterSteps: number;
  /** Consecutive good steps (below half the error limit and 80% of the latency limit) before unhealthy -> healthy. */
  healthyAfterSteps: number;
}

/** A dependency edge: each request served by the caller makes `callsPerRequest` calls to `id`. */
export interface DependencySpec {
  id: string;
  callsPerRequest: number;
}

/** What every replicated server-like component has (services, databases, config consumers). */
export interface ReplicatedSpec {
  id: string;
  replicas: number;
  replicasMin: number;
  replicasMax: number;
  capacityPerReplicaRps: number;
  baseLatencyMs: number;
  /** Latency is capped here: requests slower than this time out and count as errors. */
  latencyMsMax: number;
  costPerReplicaHour: number;
  dependsOn: DependencySpec[];
  health: HealthSpec;
}

/** A `dependsOn` list as written, resolved to edges (an id alone means one call per request). Pure. */
export function resolveDependencies(list: readonly z.infer<typeof dependency>[] | undefined): DependencySpec[] {
  return (list ?? []).map((dep) => (typeof dep === "string" ? { id: dep, callsPerRequest: 1 } : { id: dep.id, callsPerRequest: dep.callsPerRequest ?? 1 }));
}
