// The validated, fully-defaulted scenario the engine consumes. Loaders turn files into this;
// every later stage reads it and never the raw file. All times are integer milliseconds.
import type { ChartDefinition } from "../agents/declarative/chart.js";

import type { BackoffPolicy } from "../model/retries.js";
import type { DetectorOptions } from "../detect/index.js";

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

/** A service or database: replicas of identical servers behind one queue (M/M/c). */
export interface ServerSpec extends ReplicatedSpec {
  kind: "service" | "database";
  /** CPU model (sim/model/cpu.ts); absent = capacity is capacityPerReplicaRps and there is no CPU knob. */
  cpu?: CpuSpec;
  /**
   * How long a request may wait in the backlog before the server drops it. 0 (the default)
   * means no backlog: load above capacity is shed at once.
   */
  maxQueueMs?: number;
}

/**
 * A population of clients calling `target`: the load a workload offers them is forwarded with
 * retries. An attempt fails for the client on an error or a response slower than `timeoutMs`;
 * failed attempts are retried (knob `retries`), capped at `retryBudget` extra attempts per
 * request when set.
 */
export interface ClientsSpec {
  id: string;
  kind: "clients";
  target: string;
  timeoutMs: number;
  retries: number;
  retryBudget?: number;
  /** How retries are spaced (default immediate). */
  backoff: BackoffPolicy;
  health: HealthSpec;
}

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

/** A load balancer splitting its load over targets in proportion to weights (knobs `weight.<target>`). */
export interface LoadBalancerSpec {
  id: string;
  kind: "loadBalancer";
  targets: string[];
  /** Initial weight per target, 0..100. */
  weights: Record<string, number>;
  /** With health checks the balancer has knobs `inService.<target>` (0/1, initially 1); absent = false. */
  healthChecks?: boolean;
  baseLatencyMs: number;
  costPerHour: number;
  health: HealthSpec;
}

/** A versioned document store (plans, configs, last-known-good snapshots). */
export interface DocumentStoreSpec {
  id: string;
  kind: "documentStore";
  /** Documents present at the start. */
  documents: { name: string; version: number; rows: number; sizeBytes: number; schema: string }[];
  health: HealthSpec;
}

/**
 * A DNS record whose value is a plan: knob `plan` names the version of `store`/`document` it
 * points at. It resolves (to `targets`, load split equally) while that version exists with at
 * least one row; resolvers cache the answer for `ttlMs`, so an empty record fails every
 * resolution once the caches expire.
 */
export interface DnsRecordSpec {
  id: string;
  kind: "dnsRecord";
  store: string;
  document: string;
  plan: number;
  ttlMs: number;
  targets: string[];
  baseLatencyMs: number;
  health: HealthSpec;
}

/** `count` database shards with a migration state: knob `migrated` (shards with index < migrated are migrated). No load. */
export interface ShardsSpec {
  id: string;
  kind: "shards";
  count: number;
  /** Initial value of the `migrated` knob. */
  migrated: number;
  health: HealthSpec;
}

/** How a node group reacts to a config that breaks its consumer's rules. */
export interface ConsumerGroupSpec {
  name: string;
  /** Share of the fleet's nodes (shares add up to 1). */
  share: number;
  /** crash: stop serving (crashAfterMs after loading); failOpen: ignore the config; degrade: serve wrong output. */
  onViolation: "crash" | "failOpen" | "degrade";
  /** crash only: delay between loading the config and crashing (asynchronous processing); 0 = at once. */
  crashAfterMs: number;
}

/**
 * A fleet of `replicas` nodes serving traffic like a service (M/M/c, dependsOn) that loads
 * `store`/`document`: knob `version` (0 = follow the newest version `propagationMs` after it
 * appears; N = version N). A config breaking `rules` makes each group crash, fail open or degrade.
 */
export interface ConfigConsumerSpec extends ReplicatedSpec {
  kind: "configConsumer";
  store: string;
  document: string;
  /** Initial value of the `version` knob. */
  version: number;
  propagationMs: number;
  rules: { rowsMax?: number; sizeBytesMax?: number; schema?: string };
  groups: ConsumerGroupSpec[];
  /** The fleet's balancer sees crashed nodes and spreads the load over the serving ones; absent = false. */
  failover?: boolean;
}

/**
 * A lease table with a work queue (EC2's DropletWorkflow Manager, sim/model/lease-table.ts):
 * `leases` leases of `leaseDurationMs`, each renewed by a job that calls `dependsOn`; `workers`
 * process queued jobs in FIFO order, `workPerLeaseMs` each; a requester gives up on a job after
 * `jobTimeoutMs` and queues another. Knob `queueLimit` (0 = none) turns away jobs beyond it.
 */
export interface LeaseTableSpec {
  id: string;
  kind: "leaseTable";
  leases: number;
  leaseDurationMs: number;
  workers: number;
  workPerLeaseMs: number;
  jobTimeoutMs: number;
  /** Initial value of the `queueLimit` knob; 0 = no admission control. */
  queueLimit: number;
  dependsOn: DependencySpec[];
  health: HealthSpec;
}

export type ComponentSpec = ServerSpec | LoadBalancerSpec | DocumentStoreSpec | DnsRecordSpec | ClientsSpec | ShardsSpec | ConfigConsumerSpec | LeaseTableSpec;

/** How offered load (requests per second) varies over time. */
export type LoadPattern =
  | { kind: "constant"; rps: number }
  | { kind: "steps"; steps: { atMs: number; rps: number }[] }
  | { kind: "diurnal"; meanRps: number; amplitude: number; periodMs: number; peakAtMs: number }
  | { kind: "spike"; baseRps: number; atMs: number; durationMs: number; multiplier: number };

/** A source of requests arriving at one component. */
export interface WorkloadSpec {
  id: string;
  target: string;
  pattern: LoadPattern;
  /** Relative standard deviation of per-step noise (0 = none), drawn from the workload's own stream. */
  noise: number;
}

export interface PerformanceAgentSpec {
  id: string;
  kind: "performance";
  target: string;
  latencyMsP95Max: number;
  utilizationMax: number;
  step: number;
  replicasMax: number;
  evaluationPeriodMs: number;
  breachesToAct: number;
  cooldownMs: number;
}

export interface CostAgentSpec {
  id: string;
  kind: "cost";
  target: string;
  utilizationMin: number;
  /** Scale in when the target's cost rate exceeds this (per hour); Infinity = no budget. */
  budgetPerHour: number;
  step: number;
  replicasMin: number;
  evaluationPeriodMs: number;
  breachesToAct: number;
  cooldownMs: number;
}

export interface RoutingAgentSpec {
  id: string;
  kind: "routing";
  /** The load balancer whose weights it moves. */
  target: string;
  latencyMsP95Max: number;
  errorRateMax: number;
  /** Weight points moved per decision from the worst target to the best. */
  shiftStep: number;
  weightMin: number;
  evaluationPeriodMs: number;
  cooldownMs: number;
}

/**
 * An agent written as a statechart in the scenario file (docs/agents.md): guards and actions
 * come from a fixed library, so the file carries data, never code. `evaluationPeriodMs` 0 =
 * never woken periodically (it acts only on its `after` timers).
 */
export interface StatechartAgentSpec extends ChartDefinition {
  id: string;
  kind: "statechart";
  evaluationPeriodMs: number;
}

/** Writes a new generation of a plan document every evaluation period. */
export interface PlanPublisherAgentSpec {
  id: string;
  kind: "planPublisher";
  store: string;
  document: string;
  rows: number;
  evaluationPeriodMs: number;
}

/** Applies the newest plan to a DNS record, then cleans up old plan versions. */
export interface EnactorAgentSpec {
  id: string;
  kind: "enactor";
  store: string;
  document: string;
  /** The dnsRecord whose `plan` knob it sets. */
  record: string;
  applyLatencyMs: number;
  /** Relative spread of the apply latency (0.5 = +-50%), drawn from the agent's stream. */
  applyJitter: number;
  cleanupDelayMs: number;
  keepGenerations: number;
  /** Never delete the version the record currently points at. */
  protectReferenced: boolean;
  /** Send the record version read at check time as a fencing token (compare-and-set). */
  fencing: boolean;
  evaluationPeriodMs: number;
}

/**
 * The Kubernetes Horizontal Pod Autoscaler on CPU: every sync period, desired replicas =
 * ceil(replicas x cpuUtilization / target) unless the ratio is within the tolerance; scale-up
 * at once, scale-down to the highest recommendation of the stabilization window.
 */
export interface HpaAgentSpec {
  id: string;
  kind: "hpa";
  target: string;
  cpuUtilizationTarget: number;
  tolerance: number;
  replicasMin: number;
  replicasMax: number;
  scaleDownStabilizationMs: number;
  evaluationPeriodMs: number;
}

/**
 * The Kubernetes Vertical Pod Autoscaler on CPU (recommender + updater): recommends per-pod
 * usage x (1 + safetyMargin), clamped to [minAllowed, maxAllowed], and applies it (evicting the
 * pods) when the current request differs from it by more than updateThreshold.
 */
export interface VpaAgentSpec {
  id: string;
  kind: "vpa";
  target: string;
  safetyMargin: number;
  minAllowedMillicores: number;
  maxAllowedMillicores: number;
  updateThreshold: number;
  evaluationPeriodMs: number;
}

/** Migrates one more shard of `target` on each wake at or after `startAtMs` (so every evaluation period). */
export interface MigratorAgentSpec {
  id: string;
  kind: "migrator";
  /** The shards component. */
  target: string;
  startAtMs: number;
  evaluationPeriodMs: number;
}

/**
 * Every evaluation period reads one random shard and puts a new version of `store`/`document`:
 * `rowsBad` rows when that shard is migrated (its query returns duplicates), else `rowsGood`.
 */
export interface ConfigGeneratorAgentSpec {
  id: string;
  kind: "configGenerator";
  shards: string;
  store: string;
  document: string;
  rowsGood: number;
  rowsBad: number;
  bytesPerRow: number;
  schema: string;
  /** Generates nothing at or after this time (an operator stopped the job); absent: never stops. */
  stopAtMs?: number;
  evaluationPeriodMs: number;
}

/**
 * Deploys each new version of `store`/`document` to the `targets` (config consumers' `version`
 * knob) `propagationMs` after it first sees it; with `keepLastGood`, skips versions breaking `rules`.
 */
export interface DistributorAgentSpec {
  id: string;
  kind: "distributor";
  store: string;
  document: string;
  targets: string[];
  propagationMs: number;
  keepLastGood: boolean;
  rules: { rowsMax?: number; sizeBytesMax?: number; schema?: string };
  evaluationPeriodMs: number;
}

/**
 * A load balancer's health checker: every probe interval (`evaluationPeriodMs`) it probes each
 * target (a probe fails on errorRate > errorRateMax or latencyMsP95 > latencyMsP95Max), takes a
 * target out of service (`inService.<target>` = 0) after `failuresToRemove` consecutive failed
 * probes and back after `successesToReturn` consecutive good ones. With `failover` false it only
 * probes and never writes (the load stays on failing targets).
 */
export interface HealthCheckerAgentSpec {
  id: string;
  kind: "healthChecker";
  /** The load balancer whose targets it probes. */
  target: string;
  errorRateMax: number;
  latencyMsP95Max: number;
  failuresToRemove: number;
  successesToReturn: number;
  failover: boolean;
  evaluationPeriodMs: number;
}

/**
 * Rolls each new version of `store`/`document` out to the consumers `targets` (together) through
 * `stages` (rollout percents, the last 100): a stage advances after `bakeMs` while every
 * consumer's error rate stays at most `errorRateMax` and its `available` at least
 * `availableMin`, and is rolled back (rollout 0) otherwise; `soakMs` after reaching 100% a copy
 * of the version is put into document `lkg` of the same store (last-known-good).
 */
export interface StagedDeployerAgentSpec {
  id: string;
  kind: "stagedDeployer";
  store: string;
  document: string;
  /** The consumers it deploys to (a file's `target` is a list of one). */
  targets: string[];
  lkg: string;
  stages: number[];
  bakeMs: number;
  soakMs: number;
  errorRateMax: number;
  availableMin: number;
  evaluationPeriodMs: number;
}

/**
 * When the error rate of `watch` (or the worst of `targets`) is above `errorRateMax` on
 * `evaluationsToAct` evaluations in a row, puts a copy of the newest `lkg` document as a new
 * version of `document` and deploys it to 100% of every target; then waits `cooldownMs`.
 */
export interface RollbackAgentSpec {
  id: string;
  kind: "rollback";
  /** The consumers it redeploys (a file's `target` is a list of one). */
  targets: string[];
  /** The component whose error rate it watches; absent = the worst of `targets`. */
  watch?: string;
  store: string;
  document: string;
  lkg: string;
  errorRateMax: number;
  evaluationsToAct: number;
  cooldownMs: number;
  evaluationPeriodMs: number;
}

/** At `atMs` writes `version` and rollout 100 to consumer `target` (bypassing stages). Never woken (evaluationPeriodMs 0). */
export interface CleanupOperatorAgentSpec {
  id: string;
  kind: "cleanupOperator";
  target: string;
  version: number;
  atMs: number;
  evaluationPeriodMs: number;
}

/** At `atMs` puts one version of `store`/`document` with the given content. Never woken (evaluationPeriodMs 0). */
export interface ConfigAuthorAgentSpec {
  id: string;
  kind: "configAuthor";
  store: string;
  document: string;
  atMs: number;
  rows: number;
  sizeBytes: number;
  schema: string;
  reason: string;
  evaluationPeriodMs: number;
}

export type AgentSpec = StagedDeployerAgentSpec | RollbackAgentSpec | CleanupOperatorAgentSpec | ConfigAuthorAgentSpec | PlanPublisherAgentSpec | EnactorAgentSpec | PerformanceAgentSpec | CostAgentSpec | RoutingAgentSpec | HpaAgentSpec | VpaAgentSpec | StatechartAgentSpec | MigratorAgentSpec | ConfigGeneratorAgentSpec | DistributorAgentSpec | HealthCheckerAgentSpec;

/** Coordination policies; each is off unless present. Knob patterns are `component.knob` with `*` wildcards. */
export interface CoordinationSpec {
  /** Agent id -> the knob patterns it may write; agents not listed may write nothing. */
  authorization?: Record<string, string[]>;
  lease?: { knobs: string[]; ttlMs: number; holder?: string };
  compareAndSet?: { knobs: string[]; requireVersion: boolean };
  cooldown?: { knobs: string[]; cooldownMs: number };
  /** The change counted in `direction` summed over every knob a rule matches is bounded per sliding window. */
  velocity?: { knobs: string[]; maxChange: number; windowMs: number; direction: "down" | "up" | "both" }[];
  approval?: { knobs: string[]; reviewDelayMs: number; maxRelativeChange: number };
  idempotency?: boolean;
  intents?: boolean;
  /** Document patterns (`store.document`) whose puts must satisfy the rules. */
  validation?: { documents: string[]; rowsMax?: number; sizeBytesMax?: number; schema?: string };
  /** Rollout knobs advance one stage at a time after `bakeMs`; `lkg` documents are promoted only when no rollout changed within `bakeMs`. */
  stagedRollout?: { knobs: string[]; stages: number[]; bakeMs: number; lkg: string[] };
}

/**
 * When a fault is active: from `startMs` for `durationMs`, or to the end of the run when
 * `durationMs` is absent. Every effect shares this timeline so a scenario reads as one schedule
 * of what goes wrong, and the engine logs each fault as `fault.started` / `fault.ended` with the
 * fault's id as the actor.
 */
export interface FaultTiming {
  id: string;
  startMs: number;
  durationMs?: number;
  /** A component id, or an agent id for agentCrash. */
  target: string;
}

/**
 * An agent crashing mid-workflow at `startMs` and, if `durationMs` is set, restarting after it:
 * from its persisted XState snapshot (durable execution: completed steps stay completed, pending
 * timers resume) or amnesiac from its initial state (repeating side effects unless idempotency
 * keys stop them).
 */
export interface AgentCrashFaultSpec extends FaultTiming {
  effect: "agentCrash";
  resume: "snapshot" | "amnesiac";
}

/**
 * A fault impairing component `target` while active (sim/model/impairment.ts). The effects
 * compose with the component's own behaviour rather than replace it, so a brownout on a loaded
 * database is worse than on an idle one, and overlapping faults on one component add up.
 * - errors: a share `rate` (0..1] of the requests the target serves fail there (1 = outage);
 *   own error rate becomes 1 - (1 - own)(1 - rate). Failed requests do not call its dependencies.
 * - latency: `addMs` added to the target's own p50, p95 and p99.
 * - capacityLoss: a share `fraction` (0..1] of a service's or database's serving capacity is
 *   gone (an availability zone lost), so the same load queues on fewer servers.
 */
export type ComponentFaultSpec = FaultTiming & (
  | { effect: "errors"; rate: number }
  | { effect: "latency"; addMs: number }
  | { effect: "capacityLoss"; fraction: number }
);

/** One entry of a scenario's fault timeline: an agent crash or a component impairment. */
export type FaultSpec = AgentCrashFaultSpec | ComponentFaultSpec;

/** A complete, validated scenario. Frozen by loaders. */
export interface Scenario {
  name: string;
  description: string;
  seed: string | number;
  durationMs: number;
  stepMs: number;
  /** Telemetry sampling interval (a multiple of stepMs). */
  sampleEveryMs: number;
  components: ComponentSpec[];
  workloads: WorkloadSpec[];
  agents: AgentSpec[];
  coordination: CoordinationSpec;
  faults?: FaultSpec[];
  /** Agent id -> the team, user or service an agent acts for; logged as `onBehalfOf` on its events. */
  onBehalfOf?: Record<string, string>;
  /** The variant of the scenario file this is (absent for a file without `variants`). Not logged. */
  variant?: string;
  /** Detector thresholds this scenario overrides (`detectors:` in the file); the rest are DETECTOR_DEFAULTS. */
  detectors?: Partial<DetectorOptions>;
}
