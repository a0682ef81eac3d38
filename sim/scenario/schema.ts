// The scenario file format as zod types: the single source of truth for what a file may say.
// Durations and rates stay strings here; resolve.ts converts them and applies defaults.
import { z } from "zod";
import { InputError } from "../core/errors.js";
import { parseDuration, parseRate } from "../core/units.js";
import { statechartAgentSchema } from "./declarative-schema.js";

/** Adds a custom issue carrying expected/found/hint when `parse` throws an InputError. */
function checkedBy(parse: (value: unknown) => unknown) {
  return (value: unknown, ctx: z.RefinementCtx) => {
    try {
      parse(value);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      ctx.addIssue({ code: "custom", message: e.message, params: { expected: e.expected, found: e.found, hint: e.hint } });
    }
  };
}

const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "an id of letters, digits, - and _, starting with a letter");
/** `250ms`, `30s`, `5m`, `1h30m`. */
const duration = z.string().superRefine(checkedBy((v) => parseDuration(v))).describe("a duration such as `250ms`, `30s`, `5m` or `1h30m`");
/** `200/s`, `12000/m`, or a plain number of requests per second. */
const rate = z.union([z.string().superRefine(checkedBy((v) => parseRate(v))), z.number().nonnegative()]).describe("a rate such as `200/s` or `12000/m`");
const fraction = z.number().min(0).max(1);

export const healthSchema = z.strictObject({
  errorRateMax: fraction.optional(),
  latencyP95Max: duration.optional(),
  unhealthyAfterSteps: z.int().min(1).optional(),
  healthyAfterSteps: z.int().min(1).optional(),
});

const dependency = z.union([id, z.strictObject({ id, callsPerRequest: z.number().positive().optional() })]);

/** Fields every replicated server-like component has (services, databases, config consumers). */
const replicatedFields = {
  replicas: z.int().min(0).optional(),
  replicasMin: z.int().min(0).optional(),
  replicasMax: z.int().min(1).optional(),
  capacityPerReplica: rate.optional(),
  baseLatency: duration.optional(),
  latencyMax: duration.optional(),
  costPerReplicaHour: z.number().nonnegative().optional(),
  dependsOn: z.array(dependency).optional(),
  health: healthSchema.optional(),
};

export const serverSchema = z.strictObject({
  id,
  kind: z.enum(["service", "database"]),
  ...replicatedFields,
  /** How long a request may wait in the backlog before it is dropped; absent = no backlog. */
  maxQueue: duration.optional(),
  /** CPU model (docs/model.md): CPU time per request, CPU request per pod in millicores, pod restart time. */
  cpuPerRequest: duration.optional(),
  cpuRequest: z.int().positive().optional(),
  podRestart: duration.optional(),
});

export const loadBalancerSchema = z.strictObject({
  id,
  kind: z.literal("loadBalancer"),
  targets: z.array(id).min(1),
  weights: z.record(z.string(), z.number().min(0).max(100)).optional(),
  /** Targets can be taken out of service and returned (knobs `inService.<target>`). */
  healthChecks: z.boolean().optional(),
  baseLatency: duration.optional(),
  costPerHour: z.number().nonnegative().optional(),
  health: healthSchema.optional(),
});

export const documentStoreSchema = z.strictObject({
  id,
  kind: z.literal("documentStore"),
  documents: z.array(z.strictObject({ name: id, version: z.int().min(1).optional(), rows: z.int().min(0), sizeBytes: z.int().min(0).optional(), schema: z.string().optional() })).optional(),
  health: healthSchema.optional(),
});

export const dnsRecordSchema = z.strictObject({
  id,
  kind: z.literal("dnsRecord"),
  store: id,
  document: id,
  plan: z.int().min(0).optional(),
  ttl: duration.optional(),
  targets: z.array(id).min(1),
  baseLatency: duration.optional(),
  health: healthSchema.optional(),
});

export const clientsSchema = z.strictObject({
  id,
  kind: z.literal("clients"),
  target: id,
  timeout: duration.optional(),
  retries: z.int().min(0).max(100).optional(),
  retryBudget: z.number().min(0).optional(),
  backoff: z.enum(["immediate", "exponential"]).optional(),
  backoffBase: duration.optional(),
  backoffMax: duration.optional(),
  jitter: z.boolean().optional(),
  health: healthSchema.optional(),
});

/** Content rules of a document (config consumers' limits, a distributor's keep-last-good check). */
const documentRules = z.strictObject({ rowsMax: z.int().min(0).optional(), sizeBytesMax: z.int().min(0).optional(), schema: z.string().optional() });

export const shardsSchema = z.strictObject({
  id,
  kind: z.literal("shards"),
  count: z.int().min(1),
  migrated: z.int().min(0).optional(),
  health: healthSchema.optional(),
});

export const configConsumerSchema = z.strictObject({
  id,
  kind: z.literal("configConsumer"),
  store: id,
  document: id,
  /** The config version deployed at the start; `latest` (= 0) follows the newest version. */
  version: z.union([z.int().min(0), z.literal("latest")]).optional(),
  propagation: duration.optional(),
  rules: documentRules.optional(),
  groups: z.array(z.strictObject({ name: id, share: z.number().positive().max(1), onViolation: z.enum(["crash", "failOpen", "degrade"]), crashAfter: duration.optional() })).min(1).optional(),
  /** The fleet's balancer moves load off crashed nodes onto the serving ones. */
  failover: z.boolean().optional(),
  ...replicatedFields,
});

/** A lease table with a work queue (DWFM); see docs/model.md. */
export const leaseTableSchema = z.strictObject({
  id,
  kind: z.literal("leaseTable"),
  leases: z.int().min(1).optional(),
  leaseDuration: duration.optional(),
  workers: z.int().min(1).optional(),
  workPerLease: duration.optional(),
  jobTimeout: duration.optional(),
  /** Admission control: queued jobs beyond this are turned away; absent or 0 = no limit. */
  queueLimit: z.int().min(0).optional(),
  dependsOn: z.array(dependency).optional(),
  health: healthSchema.optional(),
});

export const componentSchema = z.discriminatedUnion("kind", [serverSchema, loadBalancerSchema, documentStoreSchema, dnsRecordSchema, clientsSchema, shardsSchema, configConsumerSchema, leaseTableSchema]);

export const patternSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("constant"), rate }),
  z.strictObject({ kind: z.literal("steps"), steps: z.array(z.strictObject({ at: duration, rate })).min(1) }),
  z.strictObject({ kind: z.literal("diurnal"), mean: rate, amplitude: fraction, period: duration.optional(), peakAt: duration.optional() }),
  z.strictObject({ kind: z.literal("spike"), base: rate, at: duration, duration, multiplier: z.number().nonnegative() }),
]);

export const workloadSchema = z.strictObject({
  id,
  target: id,
  pattern: patternSchema,
  noise: z.number().min(0).max(1).optional(),
});

const agentTiming = {
  evaluationPeriod: duration.optional(),
  cooldown: duration.optional(),
};

export const agentSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    id,
    kind: z.literal("performance"),
    onBehalfOf: z.string().min(1).optional(),
    target: id,
    latencyP95Max: duration.optional(),
    utilizationMax: z.number().positive().optional(),
    step: z.int().min(1).optional(),
    replicasMax: z.int().min(1).optional(),
    breachesToAct: z.int().min(1).optional(),
    ...agentTiming,
  }),
  z.strictObject({
    id,
    kind: z.literal("cost"),
    onBehalfOf: z.string().min(1).optional(),
    target: id,
    utilizationMin: z.number().nonnegative().optional(),
    budgetPerHour: z.number().positive().optional(),
    step: z.int().min(1).optional(),
    replicasMin: z.int().min(0).optional(),
    breachesToAct: z.int().min(1).optional(),
    ...agentTiming,
  }),
  z.strictObject({
    id,
    kind: z.literal("routing"),
    onBehalfOf: z.string().min(1).optional(),
    target: id,
    latencyP95Max: duration.optional(),
    errorRateMax: fraction.optional(),
    shiftStep: z.number().positive().max(100).optional(),
    weightMin: z.number().min(0).max(100).optional(),
    ...agentTiming,
  }),
  z.strictObject({
    id,
    kind: z.literal("hpa"),
    onBehalfOf: z.string().min(1).optional(),
    target: id,
    cpuUtilizationTarget: z.number().positive().optional(),
    tolerance: fraction.optional(),
    replicasMin: z.int().min(1).optional(),
    replicasMax: z.int().min(1).optional(),
    scaleDownStabilization: duration.optional(),
    evaluationPeriod: duration.optional(),
  }),
  z.strictObject({
    id,
    kind: z.literal("vpa"),
    onBehalfOf: z.string().min(1).optional(),
    target: id,
    safetyMargin: z.number().nonnegative().optional(),
    minAllowed: z.int().positive().optional(),
    maxAllowed: z.int().positive().optional(),
    updateThreshold: fraction.optional(),
    evaluationPeriod: duration.optional(),
  }),
  statechartAgentSchema,
  z.strictObject({
    id,
    kind: z.literal("healthChecker"),
    onBehalfOf: z.string().min(1).optional(),
    target: id,
    errorRateMax: fraction.optional(),
    latencyP95Max: duration.optional(),
    failuresToRemove: z.int().min(1).optional(),
    successesToReturn: z.int().min(1).optional(),
    failover: z.boolean().optional(),
    probeInterval: duration.optional(),
  }),
  z.strictObject({
    id,
    kind: z.literal("planPublisher"),
    onBehalfOf: z.string().min(1).optional(),
    store: id,
    document: id,
    rows: z.int().min(0).optional(),
    evaluationPeriod: duration.optional(),
  }),
  z.strictObject({
    id,
    kind: z.literal("enactor"),
    onBehalfOf: z.string().min(1).optional(),
    store: id,
    document: id,
    record: id,
    applyLatency: duration.optional(),
    applyJitter: z.number().min(0).max(1).optional(),
    cleanupDelay: duration.optional(),
    keepGenerations: z.int().min(0).optional(),
    protectReferenced: z.boolean().optional(),
    fencing: z.boolean().optional(),
    evaluationPeriod: duration.optional(),
  }),
  z.strictObject({
    id,
    kind: z.literal("migrator"),
    onBehalfOf: z.string().min(1).optional(),
    target: id,
    startAt: duration.optional(),
    evaluationPeriod: duration.optional(),
  }),
  z.strictObject({
    id,
    kind: z.literal("configGenerator"),
    onBehalfOf: z.string().min(1).optional(),
    shards: id,
    store: id,
    document: id,
    rowsGood: z.int().min(0).optional(),
    rowsBad: z.int().min(0).optional(),
    bytesPerRow: z.int().min(0).optional(),
    schema: z.string().optional(),
    evaluationPeriod: duration.optional(),
  }),
  z.strictObject({
    id,
    kind: z.literal("stagedDeployer"),
    onBehalfOf: z.string().min(1).optional(),
    store: id,
    document: id,
    target: id,
    lkg: id.optional(),
    stages: z.array(z.number().positive().max(100)).min(1).optional(),
    bake: duration.optional(),
    soak: duration.optional(),
    errorRateMax: fraction.optional(),
    availableMin: fraction.optional(),
    evaluationPeriod: duration.optional(),
  }),
  z.strictObject({
    id,
    kind: z.literal("rollback"),
    onBehalfOf: z.string().min(1).optional(),
    target: id,
    store: id,
    document: id,
    lkg: id.optional(),
    errorRateMax: fraction.optional(),
    evaluationsToAct: z.int().min(1).optional(),
    cooldown: duration.optional(),
    evaluationPeriod: duration.optional(),
  }),
  z.strictObject({ id, kind: z.literal("cleanupOperator"), target: id, version: z.int().min(1), at: duration }),
  z.strictObject({ id, kind: z.literal("configAuthor"), store: id, document: id, at: duration, rows: z.int().min(0), sizeBytes: z.int().min(0).optional(), schema: z.string().optional(), reason: z.string().optional() }),
  z.strictObject({
    id,
    kind: z.literal("distributor"),
    onBehalfOf: z.string().min(1).optional(),
    store: id,
    document: id,
    targets: z.array(id).min(1),
    propagation: duration.optional(),
    keepLastGood: z.boolean().optional(),
    rules: documentRules.optional(),
    evaluationPeriod: duration.optional(),
  }),
]);

const knobPatterns = z.array(z.string().regex(/^[A-Za-z*][A-Za-z0-9_*.-]*$/, "a knob pattern such as `web.replicas` or `lb.weight.*`")).min(1);

export const coordinationSchema = z.strictObject({
  authorization: z.record(id, knobPatterns).optional(),
  lease: z.strictObject({ knobs: knobPatterns, ttl: duration.optional(), holder: id.optional() }).optional(),
  compareAndSet: z.strictObject({ knobs: knobPatterns, requireVersion: z.boolean().optional() }).optional(),
  cooldown: z.strictObject({ knobs: knobPatterns, cooldown: duration }).optional(),
  velocity: z.array(z.strictObject({ knobs: knobPatterns, maxChange: z.number().positive(), window: duration, direction: z.enum(["down", "up", "both"]).optional() })).optional(),
  approval: z.strictObject({ knobs: knobPatterns, reviewDelay: duration, maxRelativeChange: z.number().nonnegative().optional() }).optional(),
  idempotency: z.boolean().optional(),
  intents: z.boolean().optional(),
  stagedRollout: z.strictObject({ knobs: knobPatterns, stages: z.array(z.number().positive().max(100)).min(1).optional(), bake: duration, lkg: knobPatterns.optional() }).optional(),
  validation: z.strictObject({ documents: knobPatterns, rowsMax: z.int().min(0).optional(), sizeBytesMax: z.int().min(0).optional(), schema: z.string().optional() }).optional(),
});

export const faultSchema = z.discriminatedUnion("kind", [
  z.strictObject({ id, kind: z.literal("agentCrash"), agent: id, at: duration, restartAfter: duration.optional(), resume: z.enum(["snapshot", "amnesiac"]).optional() }),
]);

export const scenarioSchema = z.strictObject({
  name: id,
  description: z.string().optional(),
  seed: z.union([z.int(), z.string().min(1)]),
  duration,
  step: duration.optional(),
  sampleEvery: duration.optional(),
  components: z.array(componentSchema).min(1),
  workload: z.array(workloadSchema).optional(),
  agents: z.array(agentSchema).optional(),
  coordination: coordinationSchema.optional(),
  faults: z.array(faultSchema).optional(),
});

/** A scenario file as written (before units are parsed and defaults applied). */
export type ScenarioFile = z.infer<typeof scenarioSchema>;
