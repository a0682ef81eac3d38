// The validated, fully-defaulted scenario the engine consumes. Loaders turn files into this;
// every later stage reads it and never the raw file. All times are integer milliseconds.
import type { ChartDefinition } from "../agents/declarative/chart.js";
import type { DetectorOptions } from "../detect/index.js";
import type { RegisteredComponentSpec } from "../model/kinds/specs.js";
import type { ArbiterRule, BoundRule, FailStaticRule, LeaseScope } from "./coordination-group-types.js";
import type { GroupSpec } from "./resolve-groups.js";

// Component kinds' resolved specs are defined with their file format in their spec modules
// (sim/model/kinds/<kind>/spec.ts) and re-exported here, where every stage imports them from.
export type { DependencySpec, HealthSpec, ReplicatedSpec } from "./fields.js";
export type { ClientsSpec } from "../model/kinds/clients/spec.js";
export type { ConfigConsumerSpec, ConsumerGroupSpec } from "../model/kinds/config-consumer/spec.js";
export type { DnsRecordSpec } from "../model/kinds/dns-record/spec.js";
export type { DocumentStoreSpec } from "../model/kinds/document-store/spec.js";
export type { ArbiterRule, BoundRule, FailStaticRule, LeaseScope } from "./coordination-group-types.js";
import type { VetoRule } from "./veto-types.js";
export type { VetoRule } from "./veto-types.js";
export type { LeaseTableSpec } from "../model/kinds/lease-table/spec.js";
export type { LoadBalancerSpec } from "../model/kinds/load-balancer/spec.js";
export type { ProvisionerSpec } from "../model/kinds/provisioner/spec.js";
export type { CpuSpec, ServerSpec } from "../model/kinds/server/spec.js";
export type { ShardsSpec } from "../model/kinds/shards/spec.js";

/**
 * A component of any registered kind (sim/model/kinds/specs.ts), discriminated by `kind`, with
 * the fields every kind shares beyond its own: `flags`, flag name -> initial state (true = on),
 * each a knob `flag.<name>` (sim/model/flags.ts). Absent when the file declares none.
 */
export type ComponentSpec = RegisteredComponentSpec & { flags?: Readonly<Record<string, boolean>>; labels?: Readonly<Record<string, string>>; derived?: Readonly<Record<string, string>>; healthRule?: { unhealthyWhen: string } };

/** How offered load (requests per second) varies over time. */
export type LoadPattern =
  | { kind: "constant"; rps: number }
  | { kind: "steps"; steps: { atMs: number; rps: number }[] }
  | { kind: "diurnal"; meanRps: number; amplitude: number; periodMs: number; peakAtMs: number }
  | { kind: "spike"; baseRps: number; atMs: number; durationMs: number; multiplier: number }
  | { kind: "ramp"; fromRps: number; toRps: number; atMs: number; overMs: number; shape: RampShape };

/** How a ramp interpolates between its endpoints: a straight line, or geometrically (a constant growth rate). */
export type RampShape = "linear" | "exponential";

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
  /** A second metric, the target's poolUtilization (docs/model.md "Worker pools"); the larger recommendation wins. */
  poolUtilizationTarget?: number;
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
  velocity?: { knobs: string[]; maxChange: number; windowMs: number; direction: "down" | "up" | "both"; onExceed?: "reject" | "clip" }[];
  approval?: { knobs: string[]; reviewDelayMs: number; maxRelativeChange: number };
  idempotency?: boolean;
  intents?: boolean;
  /** Document patterns (`store.document`) whose puts must satisfy the rules. */
  validation?: { documents: string[]; rowsMax?: number; sizeBytesMax?: number; schema?: string };
  /** Rollout knobs advance one stage at a time after `bakeMs`; `lkg` documents are promoted only when no rollout changed within `bakeMs`. */
  stagedRollout?: { knobs: string[]; stages: number[]; bakeMs: number; lkg: string[] };
  /** Group-level policies (sim/scenario/coordination-group-types.ts). */
  bounds?: BoundRule[];
  failStatic?: FailStaticRule[];
  leaseScopes?: LeaseScope[];
  arbiter?: ArbiterRule[];
  /** Signal-gated vetoes (sim/scenario/veto-types.ts). */
  veto?: VetoRule[];
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
 * How a component fault's magnitude ramps in after its start (over `rampUpMs`) and out before
 * its end (over `rampDownMs`); absent = a step. The magnitude is scaled by rampFactor
 * (sim/model/ramp.ts), so the fault's events stay one start and one end.
 */
export interface FaultRamp {
  rampUpMs?: number;
  rampDownMs?: number;
  rampShape?: RampShape;
}

/**
 * The flag a gated component fault waits for (`when: { flag: web.newParser }`): the fault
 * impairs its target only while the flag knob `flag.<flag>` of `component` is 1, within its
 * timeline (the code path that fails only with the flag on).
 */
export interface FaultGate {
  component: string;
  flag: string;
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
 * - leak: a host (docs/model.md#host) leaks `ratePerS` of `resource` (bytes, descriptors or
 *   threads per second) from its start until its end or an OOM kill restarts what runs on it.
 * With `from` (errors and latency only) the fault is on the dependency edge from -> target: only
 * calls from component `from` to `target` see it, not the target itself nor its other callers.
 */
export type ComponentFaultSpec = FaultTiming & FaultRamp & { when?: FaultGate } & (
  | { effect: "errors"; rate: number; from?: string }
  | { effect: "latency"; addMs: number; from?: string }
  | { effect: "capacityLoss"; fraction: number }
  // crash (services and databases, sim/model/kinds/server/restarts.ts): a share of the replicas
  // crash at the start; with afterMs they crash again that long after each restart while it lasts.
  | { effect: "crash"; share: number; afterMs?: number }
  | { effect: "leak"; resource: "memory" | "fileDescriptors" | "threads"; ratePerS: number }
);

/** One entry of a scenario's fault timeline: an agent crash or a component impairment. */
export type FaultSpec = AgentCrashFaultSpec | ComponentFaultSpec;

/**
 * A network partition between sides, each a list of site names (`sites`), from `startMs` for
 * `durationMs` (to the end of the run when absent): calls crossing sides fail, agents see the
 * other side as of the start, and their commands to it are rejected (sim/model/partition.ts).
 * Written in the file under `faults` with `effect: partition`; resolved apart from FaultSpec
 * because it has no target.
 */
export interface PartitionSpec {
  id: string;
  startMs: number;
  durationMs?: number;
  effect: "partition";
  sides: string[][];
}

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
  /** Site name -> the component and agent ids in it (absent when the file names no sites). */
  sites?: Record<string, string[]>;
  /** Named sets of components with aggregate signals (sim/model/groups.ts); absent when the file declares none. */
  groups?: GroupSpec[];
  /** Network partitions between sites (absent when there are none). */
  partitions?: PartitionSpec[];
  /** Agent id -> the team, user or service an agent acts for; logged as `onBehalfOf` on its events. */
  onBehalfOf?: Record<string, string>;
  /** The variant of the scenario file this is (absent for a file without `variants`). Not logged. */
  variant?: string;
  /** Detector thresholds this scenario overrides (`detectors:` in the file); the rest are DETECTOR_DEFAULTS. */
  detectors?: Partial<DetectorOptions>;
  /**
   * SHA-256 (hex) of the scenario file's text this was loaded from (absent for a scenario built
   * in code). The engine logs it in `run.started`, which binds a run file's embedded text to its chain.
   */
  sourceSha256?: string;
}
