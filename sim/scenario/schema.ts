// The scenario file format as zod types: the single source of truth for what a file may say.
// Durations and rates stay strings here; resolve.ts converts them and applies defaults.
// Component kinds' fields live in their spec modules (sim/model/kinds/<kind>/spec.ts); the
// component union is built from their registry.
import { z } from "zod";
import { KIND_SPECS } from "../model/kinds/specs.js";
import { statechartAgentSchema } from "./declarative-schema.js";
import { documentRules, duration, fraction, id, rate } from "./fields.js";
import { expectSchema, variantsSchema } from "./expect-schema.js";
import { detectorsSchema } from "./detectors-schema.js";
import { groupCoordinationFields, leaseScopes, velocityOnExceed } from "./coordination-group-schema.js";
import { vetoField } from "./veto-schema.js";
import { groupsSchema, labelsField } from "./resolve-groups.js";
import { derivedField, healthRuleField } from "../expr/derived.js";

/** The schemas of a tuple of kind spec modules, as a tuple type, so the union infers each kind's fields. */
type SchemasOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] extends { schema: infer S } ? S : never };

/** `a, b or c`. Pure. */
function listed(words: readonly string[]): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

/** A flag's initial state: `on`/`off` or true/false. */
const flagState = z.union([z.boolean(), z.enum(["on", "off"])]);

/** The `flags` field every kind has (sim/model/flags.ts): the world holds flags for any kind. */
export const flagsField = z
  .record(id, flagState)
  .optional()
  .describe("Feature flags of the component: name -> initial state (`on`/`off`, or true/false). Each is a knob `flag.<name>` (0 off, 1 on) that agents write like any knob (`flag.changed` events); faults with `when: { flag: <component>.<name> }` and config consumers with `applyWhen` act only while it is on. Default: none.");

/** A component of the world model: one of the registered kinds' schemas (each with `flags`), chosen by `kind`. */
export const componentSchema = z
  .discriminatedUnion("kind", KIND_SPECS.map((k) => k.schema.extend({ flags: flagsField, labels: labelsField, derived: derivedField, healthRule: healthRuleField })) as unknown as SchemasOf<typeof KIND_SPECS>)
  .describe(`A component of the world model, chosen by \`kind\`: ${listed(KIND_SPECS.flatMap((k) => k.kinds))}.`);

const rampShape = z.enum(["linear", "exponential"]);
const rateField = (what: string) => rate.describe(`${what}: a rate such as \`200/s\` or \`12000/m\`, or a number of requests per second.`);

export const patternSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({
      kind: z.literal("constant").describe("The same rate all the time."),
      rate: rateField("Requests offered per second"),
    }),
    z.strictObject({
      kind: z.literal("steps").describe("A rate that changes at given times (0 before the first step)."),
      steps: z
        .array(
          z.strictObject({
            at: duration.describe("When this rate starts, a duration from the start of the run such as `30m`."),
            rate: rateField("Requests offered per second from `at` on"),
          }),
        )
        .min(1)
        .describe("The rate changes, each holding from its `at` until the next."),
    }),
    z.strictObject({
      kind: z.literal("diurnal").describe("A daily cycle: mean x (1 + amplitude x cos(2 pi (t - peakAt) / period))."),
      mean: rateField("Mean requests offered per second"),
      amplitude: fraction.describe("Relative swing around the mean, 0-1 (0.5 = from half to one and a half times the mean)."),
      period: duration.optional().describe("Length of one cycle, a duration above 0. Default `24h`."),
      peakAt: duration.optional().describe("Time of the peak within the cycle, a duration. Default `14h`."),
    }),
    z.strictObject({
      kind: z.literal("spike").describe("A base rate multiplied for a while."),
      base: rateField("Requests offered per second outside the spike"),
      at: duration.describe("When the spike starts, a duration from the start of the run."),
      duration: duration.describe("How long the spike lasts, a duration."),
      multiplier: z.number().nonnegative().describe("The rate during the spike is base x multiplier."),
    }),
    z.strictObject({
      kind: z.literal("ramp").describe("A rate moving from `from` to `to` over a window: `from` before `at`, `to` after `at + over`."),
      from: rateField("Requests offered per second up to `at`"),
      to: rateField("Requests offered per second from `at + over` on"),
      at: duration.describe("When the ramp starts, a duration from the start of the run."),
      over: duration.describe("How long the ramp takes, a duration (0 = a step at `at`)."),
      shape: rampShape.optional().describe("`linear`, or `exponential` (a constant growth rate: from x (to / from)^(elapsed / over); needs both rates above 0). Default `linear`."),
    }),
  ])
  .describe("How the offered rate varies over time, chosen by `kind`: constant, steps, diurnal, spike or ramp.");

export const workloadSchema = z.strictObject({
  id: id.describe("The workload's id, unique among components, workloads, agents and faults; the actor of its `workload.changed` events."),
  target: id.describe("Id of the component the load is offered to."),
  pattern: patternSchema,
  noise: z.number().min(0).max(1).optional().describe("Relative standard deviation of multiplicative Gaussian noise per step, 0-1, drawn from the workload's own seeded stream. Default 0."),
}).describe("A source of requests offered to one component (docs/model.md#workload).");

const agentId = id.describe("The agent's id, unique among components, workloads, agents and faults; the `actor` of its events in the log.");
const onBehalfOf = z.string().min(1).optional().describe("The team, user or service the agent acts for, logged as `onBehalfOf` on its events. Default: none.");
/** An agent's wake period with its default, described on the field. */
const evaluationPeriod = (fallback: string, what = "How often the agent wakes and evaluates") => duration.optional().describe(`${what}, a duration. Default \`${fallback}\`.`);
/** An agent's pause after acting with its default, described on the field. */
const cooldown = (fallback: string) => duration.optional().describe(`How long the agent waits after acting before it evaluates again, a duration. Default \`${fallback}\`.`);
const breachesToAct = z.int().min(1).optional().describe("Evaluations in a row with a breach before the agent acts. Default 1.");

export const agentSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    id: agentId,
    kind: z.literal("performance").describe("Autoscaler: adds replicas to a service or database when its p95 latency or utilization is above target (docs/model.md#agents)."),
    onBehalfOf,
    target: id.describe("Id of the service or database whose `replicas` it scales."),
    latencyP95Max: duration.optional().describe("A breach: the target's p95 latency above this duration. Default `100ms`."),
    utilizationMax: z.number().positive().optional().describe("A breach: the target's utilization (offered load / capacity) above this ratio. Default 0.75."),
    step: z.int().min(1).optional().describe("Replicas added per action. Default 1."),
    replicasMax: z.int().min(1).optional().describe("Never scales above this many replicas. Default: the target's replicasMax."),
    breachesToAct,
    evaluationPeriod: evaluationPeriod("30s"),
    cooldown: cooldown("1m"),
  }).describe("The performance agent: scales a service out on latency or utilization."),
  z.strictObject({
    id: agentId,
    kind: z.literal("cost").describe("Rightsizer: removes replicas from a service or database when its utilization is below a floor or its cost is over budget (docs/model.md#agents)."),
    onBehalfOf,
    target: id.describe("Id of the service or database whose `replicas` it scales in."),
    utilizationMin: z.number().nonnegative().optional().describe("A breach: the target's utilization below this ratio. Default 0.4."),
    budgetPerHour: z.number().positive().optional().describe("A breach: the target's cost above this many dollars per hour. Default: no budget."),
    step: z.int().min(1).optional().describe("Replicas removed per action. Default 1."),
    replicasMin: z.int().min(0).optional().describe("Never scales below this many replicas. Default: the target's replicasMin."),
    breachesToAct,
    evaluationPeriod: evaluationPeriod("1m"),
    cooldown: cooldown("2m"),
  }).describe("The cost agent: scales a service in on low utilization or over budget."),
  z.strictObject({
    id: agentId,
    kind: z.literal("routing").describe("Traffic router: moves load-balancer weight from the worst breaching target to the healthiest one (docs/model.md#agents)."),
    onBehalfOf,
    target: id.describe("Id of the loadBalancer whose `weight.<target>` knobs it moves."),
    latencyP95Max: duration.optional().describe("A target breaches when its p95 latency is above this duration. Default `200ms`."),
    errorRateMax: fraction.optional().describe("A target breaches when its error rate (0-1) is above this. Default 0.05."),
    shiftStep: z.number().positive().max(100).optional().describe("Weight points (of 100) moved per action. Default 10."),
    weightMin: z.number().min(0).max(100).optional().describe("Never lowers a weight below this (0-100). Default 0."),
    evaluationPeriod: evaluationPeriod("30s"),
    cooldown: cooldown("1m"),
  }).describe("The routing agent: shifts load-balancer weight away from slow or failing targets."),
  z.strictObject({
    id: agentId,
    kind: z.literal("hpa").describe("The Kubernetes Horizontal Pod Autoscaler on CPU (docs/model.md#agents)."),
    onBehalfOf,
    target: id.describe("Id of the service or database with a CPU model (`cpuPerRequest`) whose `replicas` it scales."),
    cpuUtilizationTarget: z.number().positive().optional().describe("Target cpuUtilization (ratio): recommends ceil(replicas x cpuUtilization / target). Default 0.7."),
    tolerance: fraction.optional().describe("No change while cpuUtilization / target is within this of 1. Default 0.1."),
    poolUtilizationTarget: z.number().gt(0).max(1).optional().describe("A second metric (0-1]: the target's pool utilization (needs a `pool`). Recommends ceil(replicas x poolUtilization / target) too and takes the larger recommendation, as Kubernetes does with several metrics. Default: CPU only."),
    replicasMin: z.int().min(1).optional().describe("Fewest replicas it recommends. Default: the target's replicasMin, at least 1."),
    replicasMax: z.int().min(1).optional().describe("Most replicas it recommends. Default: the target's replicasMax."),
    scaleDownStabilization: duration.optional().describe("Scales down only to the highest recommendation of this window, a duration. Default `300s`."),
    evaluationPeriod: evaluationPeriod("15s", "The HPA sync period: how often it evaluates"),
  }).describe("The hpa agent: Kubernetes HPA on CPU utilization."),
  z.strictObject({
    id: agentId,
    kind: z.literal("vpa").describe("The Kubernetes Vertical Pod Autoscaler on CPU (docs/model.md#agents)."),
    onBehalfOf,
    target: id.describe("Id of the service or database with a CPU model (`cpuPerRequest`) whose `cpuRequestMillicores` it sets."),
    safetyMargin: z.number().nonnegative().optional().describe("Recommendation = per-pod CPU usage x (1 + safetyMargin), in millicores. Default 0.15."),
    minAllowed: z.int().positive().optional().describe("Lowest CPU request it recommends, in millicores within [50, 8000]. Default 50."),
    maxAllowed: z.int().positive().optional().describe("Highest CPU request it recommends, in millicores within [50, 8000]. Default 8000."),
    updateThreshold: fraction.optional().describe("Applies the recommendation (evicting the pods) only when it differs from the current request by more than this fraction of it. Default 0.1."),
    evaluationPeriod: evaluationPeriod("1m", "The VPA updater period: how often it evaluates"),
  }).describe("The vpa agent: Kubernetes VPA on CPU requests."),
  statechartAgentSchema,
  z.strictObject({
    id: agentId,
    kind: z.literal("healthChecker").describe("A load balancer's health checker: probes every target and takes failing ones out of service (docs/model.md#agents)."),
    onBehalfOf,
    target: id.describe("Id of the loadBalancer (with `healthChecks: true`) whose `inService.<target>` knobs it writes."),
    errorRateMax: fraction.optional().describe("A probe fails when the target's error rate (0-1) is above this. Default 0.05."),
    latencyP95Max: duration.optional().describe("A probe fails when the target's p95 latency is above this duration. Default `500ms`."),
    failuresToRemove: z.int().min(1).optional().describe("Failed probes in a row before it takes an in-service target out. Default 3."),
    successesToReturn: z.int().min(1).optional().describe("Good probes in a row before it returns an out-of-service target. Default 3."),
    failover: z.boolean().optional().describe("false: it only probes and never writes, so load stays on failing targets. Default true."),
    probeInterval: duration.optional().describe("How often it probes every target, a duration. Default `10s`."),
  }).describe("The healthChecker agent: removes and returns load-balancer targets by probe results."),
  z.strictObject({
    id: agentId,
    kind: z.literal("planPublisher").describe("Puts a new generation of a plan document every evaluation period (docs/model.md#agents)."),
    onBehalfOf,
    store: id.describe("Id of the documentStore it writes to."),
    document: id.describe("Name of the plan document it puts new generations of."),
    rows: z.int().min(0).optional().describe("Endpoints (rows) per generation. Default 3."),
    evaluationPeriod: evaluationPeriod("30s", "How often it publishes a generation"),
  }).describe("The planPublisher agent: publishes DNS plans."),
  z.strictObject({
    id: agentId,
    kind: z.literal("enactor").describe("Applies the newest plan to a DNS record, then deletes old plan versions (docs/model.md#agents)."),
    onBehalfOf,
    store: id.describe("Id of the documentStore holding the plans."),
    document: id.describe("Name of the plan document in `store`."),
    record: id.describe("Id of the dnsRecord whose `plan` knob it sets."),
    applyLatency: duration.optional().describe("Delay between seeing a newer plan and applying it, a duration. Default `2s`."),
    applyJitter: z.number().min(0).max(1).optional().describe("Relative spread of applyLatency (0.5 = +-50%), drawn from the agent's own stream. Default 0.5."),
    cleanupDelay: duration.optional().describe("Delay after applying before it deletes old plan versions, a duration. Default `20s`."),
    keepGenerations: z.int().min(0).optional().describe("Cleanup deletes versions older than the applied one minus this. Default 5."),
    protectReferenced: z.boolean().optional().describe("Never delete the version the record points at. Default false."),
    fencing: z.boolean().optional().describe("Send the record version read at check time as `expectedVersion` (a fencing token the compareAndSet policy checks). Default false."),
    evaluationPeriod: evaluationPeriod("10s", "How often it checks for a newer plan"),
  }).describe("The enactor agent: applies DNS plans and cleans up old ones."),
  z.strictObject({
    id: agentId,
    kind: z.literal("migrator").describe("Migrates one more shard on each wake at or after startAt, until all are migrated (docs/model.md#agents)."),
    onBehalfOf,
    target: id.describe("Id of the shards component whose `migrated` knob it raises."),
    startAt: duration.optional().describe("Migrates nothing before this time, a duration from the start of the run. Default `0s`."),
    evaluationPeriod: evaluationPeriod("6m", "How often it migrates one more shard"),
  }).describe("The migrator agent: a gradual shard migration."),
  z.strictObject({
    id: agentId,
    kind: z.literal("configGenerator").describe("Reads one random shard and puts a new config version whose size depends on whether that shard is migrated (docs/model.md#agents)."),
    onBehalfOf,
    shards: id.describe("Id of the shards component it reads a random shard of (from its own stream)."),
    store: id.describe("Id of the documentStore it writes to."),
    document: id.describe("Name of the config document it puts new versions of."),
    rowsGood: z.int().min(0).optional().describe("Rows of a version generated from an unmigrated shard. Default 60."),
    rowsBad: z.int().min(0).optional().describe("Rows of a version generated from a migrated shard (duplicate rows). Default 240."),
    bytesPerRow: z.int().min(0).optional().describe("Bytes per row: sizeBytes = rows x this. Default 100."),
    schema: z.string().optional().describe("Schema tag of the versions it puts. Default `v1`."),
    stopAt: duration.optional().describe("Generates nothing at or after this time (an operator stopped the job), a duration from the start of the run. Default: never stops."),
    evaluationPeriod: evaluationPeriod("5m", "How often it generates a version"),
  }).describe("The configGenerator agent: generates a config file from shard queries."),
  z.strictObject({
    id: agentId,
    kind: z.literal("stagedDeployer").describe("Rolls each new config version out to a config consumer stage by stage, rolls a failing stage back, and promotes a healthy version to last-known-good (docs/model.md#agents)."),
    onBehalfOf,
    store: id.describe("Id of the documentStore holding the config and the LKG document."),
    document: id.describe("Name of the config document whose new versions it rolls out."),
    target: id.optional().describe("Id of the configConsumer whose `rollout` and `version` knobs it writes. Give `target` or `targets`."),
    targets: z.array(id).min(1).optional().describe("Ids of several configConsumers (e.g. edge sites) it rolls out to together: every stage goes to all of them, and any of them failing rolls the stage back. Give `target` or `targets`."),
    lkg: id.optional().describe("Name of the last-known-good document in `store` it copies a promoted version into; must differ from `document`. Default `lkg`."),
    stages: z.array(z.number().positive().max(100)).min(1).optional().describe("Rollout percents, ascending and ending at 100. Default `[1, 10, 100]`."),
    bake: duration.optional().describe("Healthy time a stage needs before the next stage, a duration. Default `2m`."),
    soak: duration.optional().describe("Healthy time at the last stage before it promotes the version to `lkg`, a duration. Default `0s`."),
    errorRateMax: fraction.optional().describe("The target is unhealthy when its error rate (0-1) is above this. Default 0.01."),
    availableMin: fraction.optional().describe("The target is unhealthy when its `available` share is below this (0-1). Default 1 (no crashed node)."),
    evaluationPeriod: evaluationPeriod("30s", "How often it checks the target and advances"),
  }).describe("The stagedDeployer agent: staged config rollout with bake, rollback and LKG promotion."),
  z.strictObject({
    id: agentId,
    kind: z.literal("rollback").describe("Restores the last-known-good config when a config consumer fails for several evaluations in a row (docs/model.md#agents)."),
    onBehalfOf,
    target: id.optional().describe("Id of the configConsumer it watches and redeploys (knobs `version`, `rollout`). Give `target` or `targets`."),
    targets: z.array(id).min(1).optional().describe("Ids of several configConsumers it redeploys together; without `watch` it acts on the worst error rate among them. Give `target` or `targets`."),
    watch: id.optional().describe("Id of the component whose error rate it watches instead of the targets' (e.g. the load balancer in front of them, which still fails when health checks took every target out). Default: the targets."),
    store: id.describe("Id of the documentStore holding the config and the LKG document."),
    document: id.describe("Name of the config document it puts the restored copy into."),
    lkg: id.optional().describe("Name of the last-known-good document in `store` whose newest version it restores. Default `lkg`."),
    errorRateMax: fraction.optional().describe("A bad evaluation: the target's error rate (0-1) above this. Default 0.2."),
    evaluationsToAct: z.int().min(1).optional().describe("Bad evaluations in a row before it restores the LKG. Default 3."),
    cooldown: cooldown("10m"),
    evaluationPeriod: evaluationPeriod("30s"),
  }).describe("The rollback agent: restores the last-known-good config when the consumer keeps failing (docs/model.md#agents)."),
  z.strictObject({
    id: agentId,
    kind: z.literal("cleanupOperator").describe("Acts once on a timer: writes a config consumer's `version` and `rollout: 100`, bypassing the stages (docs/model.md#agents)."),
    target: id.describe("Id of the configConsumer it writes."),
    version: z.int().min(1).describe("The config version it writes to the `version` knob."),
    at: duration.describe("When it writes, a duration from the start of the run."),
  }).describe("The cleanupOperator agent: a one-off write that skips the rollout stages."),
  z.strictObject({
    id: agentId,
    kind: z.literal("configAuthor").describe("Acts once on a timer: puts one version of a config document, a control-plane config change (docs/model.md#agents)."),
    store: id.describe("Id of the documentStore it writes to."),
    document: id.describe("Name of the document it puts a version of."),
    at: duration.describe("When it puts the version, a duration from the start of the run."),
    rows: z.int().min(0).describe("Rows of the version it puts."),
    sizeBytes: z.int().min(0).optional().describe("Size of the version in bytes. Default rows x 100."),
    schema: z.string().optional().describe("Schema tag of the version. Default `v1`."),
    reason: z.string().optional().describe("The reason logged with the put. Default `config change to <store>.<document>`."),
  }).describe("The configAuthor agent: one config change at a given time."),
  z.strictObject({
    id: agentId,
    kind: z.literal("distributor").describe("Deploys each new version of a config document to config consumers' `version` knob after a propagation delay (docs/model.md#agents)."),
    onBehalfOf,
    store: id.describe("Id of the documentStore holding the config."),
    document: id.describe("Name of the config document it distributes."),
    targets: z.array(id).min(1).describe("Ids of the configConsumers whose `version` knob it sets."),
    propagation: duration.optional().describe("Delay between seeing a new version and deploying it, a duration. Default `30s`."),
    keepLastGood: z.boolean().optional().describe("Skip versions breaking `rules` (no command), so consumers keep the last good one; needs `rules`. Default false."),
    rules: documentRules.optional().describe("The rules (rowsMax, sizeBytesMax, schema) keepLastGood checks. Default: none."),
    evaluationPeriod: evaluationPeriod("5s", "How often it looks for a new version"),
  }).describe("The distributor agent: config propagation to a fleet."),
]).describe("An agent, chosen by `kind`: a built-in kind (docs/model.md#agents) or `statechart`, an agent written in YAML (docs/agents.md).");

const knobPatterns = z.array(z.string().regex(/^[A-Za-z*][A-Za-z0-9_*.-]*$/, "a knob pattern such as `web.replicas` or `lb.weight.*`")).min(1);

/** The knob patterns a policy covers, described on the field. */
const knobsOf = (what: string, examples = "`web.replicas`, `lb.weight.*`") =>
  knobPatterns.describe(`${what}, as patterns \`component.knob\` (documents: \`store.document\`) where \`*\` matches any characters, e.g. ${examples}.`);

export const coordinationSchema = z.strictObject({
  authorization: z
    .record(id, knobPatterns)
    .optional()
    .describe("Least privilege: agent id -> the knob patterns it may write (`*` matches any characters); an agent not listed may write nothing. Default: off."),
  lease: z
    .strictObject({
      knobs: knobsOf("Knobs the lease covers, each leased on its own").optional(),
      ttl: duration.optional().describe("Without `holder`: how long the first writer holds the lease, renewed by each of its writes; a duration. Default `5m`."),
      holder: id.optional().describe("Id of the agent that owns the knobs for the whole run; only it may write them. Default: none (first writer takes the lease)."),
      scopes: leaseScopes,
    })
    .optional()
    .describe("Lease / ownership per knob (`knobs`) or per scope of knobs (`scopes`): only the lease holder may write. Default: off."),
  compareAndSet: z
    .strictObject({
      knobs: knobsOf("Knobs fenced by compare-and-set", "`dns.plan`"),
      requireVersion: z.boolean().optional().describe("Also reject writes naming no `expectedVersion`. Default false."),
    })
    .optional()
    .describe("Compare-and-set (fencing): a write naming `expectedVersion` is rejected if the knob was written since that version. Default: off."),
  cooldown: z
    .strictObject({
      knobs: knobsOf("Knobs the cooldown covers"),
      cooldown: duration.describe("How long other actors must wait after one actor writes a knob, a duration such as `10m`."),
    })
    .optional()
    .describe("Cross-actor cooldown: after one actor writes a knob, the others must wait. Default: off."),
  velocity: z
    .array(
      z.strictObject({
        knobs: knobsOf("Knobs the rule sums over", "`lb.weight.*`, `nlb.inService.*`"),
        maxChange: z.number().positive().describe("Largest total change (counted in `direction`, summed over every knob the rule matches) within `window`."),
        window: duration.describe("Length of the sliding window, a duration such as `10m`."),
        direction: z.enum(["down", "up", "both"]).optional().describe("Which changes count: `down`, `up` or `both`. Default `both`."),
        onExceed: velocityOnExceed,
      }),
    )
    .optional()
    .describe("Velocity limits: each rule bounds the total change of its knobs per sliding window. Default: none."),
  approval: z
    .strictObject({
      knobs: knobsOf("Knobs whose commands wait for review"),
      reviewDelay: duration.describe("How long commands wait for the simulated reviewer, a duration such as `5m`."),
      maxRelativeChange: z.number().nonnegative().optional().describe("After review, changes larger than this relative change (|new - current| / current) are rejected (blast radius). Default: no limit."),
    })
    .optional()
    .describe("Approval gate: commands are held for a simulated reviewer, then rejected or re-checked and applied. Default: off."),
  idempotency: z.boolean().optional().describe("A command whose `idempotencyKey` was already applied is not applied again (`command.duplicate`). Default false."),
  intents: z.boolean().optional().describe("Agents may publish intents (`intent.published`) and read other agents' live intents; without it publishing is a no-op. Default false."),
  stagedRollout: z
    .strictObject({
      knobs: knobsOf("Rollout knobs (percent) that must advance stage by stage", "`edge.rollout`"),
      stages: z.array(z.number().positive().max(100)).min(1).optional().describe("Rollout percents, ascending and ending at 100. Default `[1, 10, 100]`."),
      bake: duration.describe("Least time between a stage's write and raising the knob to the next stage (and the soak gate for `lkg` puts), a duration such as `10m`."),
      lkg: knobsOf("Last-known-good documents whose puts are rejected while any matched rollout changed within `bake`", "`afd.lkg`").optional(),
    })
    .optional()
    .describe("Staged rollout: raising a rollout knob must go to the next stage after `bake`; lowering is always allowed. Default: off."),
  validation: z
    .strictObject({
      documents: knobsOf("Documents whose puts are checked", "`cfg.features`"),
      rowsMax: z.int().min(0).optional().describe("A put with more rows than this is refused. Default: no limit."),
      sizeBytesMax: z.int().min(0).optional().describe("A put larger than this many bytes is refused. Default: no limit."),
      schema: z.string().optional().describe("A put with another schema tag is refused. Default: any tag."),
    })
    .optional()
    .describe("Validation of documents before they propagate: puts breaking the rules are refused, so readers keep the last good version. Default: off."),
  ...groupCoordinationFields,
  veto: vetoField,
}).describe("Coordination policies; each is off unless present, so one scenario runs blind and coordinated (docs/coordination.md).");

/** Fields every fault has: one timeline (start, duration) and a target; see docs/model.md "Faults". */
const faultTimeline = {
  id: id.describe("The fault's id: the actor of its `fault.started` and `fault.ended` events. Unique among components, workloads, agents and faults."),
  start: duration.describe("When the fault begins, as a duration from the start of the run, e.g. `30m`."),
  duration: duration.optional().describe("How long the fault lasts, e.g. `10m`. Default: until the end of the run."),
};
const componentTarget = id.describe("The id of the component the fault impairs.");
/** Fields of component faults whose magnitude ramps in and out; see docs/model.md "Ramps". */
const faultRamps = {
  rampUp: duration.optional().describe("The fault's magnitude ramps from 0 to full over this long after `start`, a duration. Default: none (a step)."),
  rampDown: duration.optional().describe("The fault's magnitude ramps from full to 0 over this long before its end (needs `duration`), a duration. Default: none (a step)."),
  rampShape: rampShape.optional().describe("How the ramps move: `linear`, or `exponential` (geometric from 1% of the magnitude, x100 over the ramp). Default `linear`."),
};
const edgeFrom = id.optional().describe("The id of a component that calls `target`: the fault is then on the dependency edge from -> target, seen only by that caller's calls to the target (the target and its other callers are unaffected). Default: none (the whole target).");
/** A component fault's gate: the flag it waits for. */
const faultWhen = z
  .strictObject({
    flag: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_-]*\.[A-Za-z][A-Za-z0-9_-]*$/, "a flag as <component>.<flag>, e.g. web.newParser")
      .describe("The flag, as `<component>.<name>` (a flag the component declares in `flags`)."),
  })
  .optional()
  .describe("Gates the fault behind a feature flag: it impairs its target only while the flag is on, within its start and duration (a code path that fails only with the flag on). `fault.started` is logged when both hold, caused by the flag write that turned it on; `fault.ended` when either stops, caused by the write that turned it off (a kill switch). Default: no gate.");

export const faultSchema = z.discriminatedUnion("effect", [
  z.strictObject({
    ...faultTimeline,
    ...faultRamps,
    target: componentTarget,
    from: edgeFrom,
    effect: z.literal("errors").describe("A share of the requests the target serves fail there (composed with its own error rate); failed requests do not reach its dependencies."),
    when: faultWhen,
    rate: z.number().positive().max(1).optional().describe("Share of the target's requests that fail, in (0, 1]. Default 1 (a full outage)."),
  }),
  z.strictObject({
    ...faultTimeline,
    ...faultRamps,
    target: componentTarget,
    from: edgeFrom,
    effect: z.literal("latency").describe("Latency added to the target's own p50, p95 and p99; callers see it end to end."),
    when: faultWhen,
    add: duration.describe("The latency added, e.g. `300ms`. Required."),
  }),
  z.strictObject({
    ...faultTimeline,
    ...faultRamps,
    target: id.describe("The id of the service or database whose capacity is lost."),
    effect: z.literal("capacityLoss").describe("A share of a service's or database's serving capacity is gone (e.g. an availability zone): the same load queues on fewer servers."),
    when: faultWhen,
    fraction: z.number().positive().max(1).describe("Share of the replicas' capacity lost, in (0, 1]; 1 = no capacity at all. Required."),
  }),
  z.strictObject({
    ...faultTimeline,
    target: id.describe("The id of the service or database whose replicas crash."),
    effect: z.literal("crash").describe("A share of the target's replicas crash at `start` and restart after the server's backoff (`restart`), cold-starting if it has `coldStart`; with `after` they crash again that long after each restart while the fault lasts (a crash loop)."),
    when: faultWhen,
    share: z.number().positive().max(1).optional().describe("Share of the serving replicas that crash at `start`, in (0, 1]; rounded, at least one. Default 1 (all)."),
    after: duration.optional().describe("While the fault lasts, the replicas it crashed crash again this long after each restart (a crash loop), a duration above 0. Default: they crash once."),
  }),
  z.strictObject({
    ...faultTimeline,
    target: id.describe("The id of the host that leaks."),
    effect: z.literal("leak").describe("A host leaks a resource at a constant rate (a memory or file descriptor leak) until the fault ends or an OOM kill restarts what runs on it (docs/model.md#host)."),
    when: faultWhen,
    resource: z.enum(["memory", "fileDescriptors", "threads"]).describe("The resource leaked. Required."),
    rate: z.union([z.string(), z.number().nonnegative()]).describe("How fast it leaks: `10Mi/s` for memory, `5/s` for descriptors or threads, or a number per second. Required."),
  }),
  z.strictObject({
    ...faultTimeline,
    duration: duration.optional().describe("How long the agent stays down before it restarts, e.g. `30s`. Default: it never restarts."),
    target: id.describe("The id of the agent that crashes."),
    effect: z.literal("agentCrash").describe("The agent crashes mid-workflow: its actor stops and its wakes are ignored until it restarts."),
    resume: z.enum(["snapshot", "amnesiac"]).optional().describe("How it restarts: `snapshot` from its persisted XState snapshot (durable execution, pending timers resume) or `amnesiac` from its initial state. Default `snapshot`."),
  }),
  z.strictObject({
    ...faultTimeline,
    duration: duration.optional().describe("How long the partition lasts before it heals, e.g. `5m`. Default: it never heals."),
    effect: z.literal("partition").describe("A network partition between sides (groups of `sites`): calls crossing sides fail, agents read the other side as it was when the partition started, and their commands to it are rejected (docs/model.md \"Partitions\")."),
    sides: z
      .array(z.union([id, z.array(id).min(1)]))
      .min(2)
      .describe("The sides, each a site name or a list of site names from `sites`, e.g. `[us-east, us-west]` or `[[us-east], [us-west, eu]]`; at least two, disjoint. Sites on no side, and ids in no site, stay reachable from every side."),
  }),
]);

export const scenarioSchema = z.strictObject({
  name: id.describe("The scenario's id: letters, digits, - and _; shown in reports and run files."),
  description: z.string().optional().describe("What the scenario reproduces, what is published fact and what is a simulator choice."),
  seed: z.union([z.int(), z.string().min(1)]).describe("The seed of every random stream: the same scenario and seed give the same event log and final hash."),
  duration: duration.describe("Simulated time to run, e.g. `4h`."),
  step: duration.optional().describe("Interval at which signals are derived from the model, e.g. `5s`. Default `1s`."),
  sampleEvery: duration.optional().describe("Telemetry sampling interval, a multiple of `step`. Default: `step`."),
  components: z.array(componentSchema).min(1).describe("The infrastructure: services, databases, load balancers, DNS records, stores, clients... (docs/model.md)."),
  workload: z.array(workloadSchema).optional().describe("Request sources: a load pattern offered to a component."),
  agents: z.array(agentSchema).optional().describe("The automations acting on the model, built-in kinds or declarative statecharts (docs/agents.md)."),
  coordination: coordinationSchema.optional().describe("Coordination policies every command passes through; all off unless listed here (docs/coordination.md)."),
  faults: z.array(faultSchema).optional().describe("Faults on the timeline: a start, an optional duration, a target and an effect."),
  sites: z
    .record(id, z.array(id).min(1))
    .optional()
    .describe("Named sites (zones, regions, data centres): site name -> the ids of the components and agents in it, each id in at most one site. Partition faults cut between sites; an id in no site is reachable from every site. Default: none."),
  groups: groupsSchema.optional(),
  detectors: detectorsSchema.optional().describe("Detector thresholds for this scenario (thrashing, flapping, cascade, retry storm, intent attribution), overriding the defaults in docs/detectors.md."),
  definitions: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Named values shared by all variants (a statechart, a list of sites...), used through YAML anchors and by templates (`forEach: sites`, `${sites[0]}`); not scenario content themselves (docs/scenario-format.md \"Templates\")."),
  expect: expectSchema.optional(),
  variants: variantsSchema.optional(),
});

/** A scenario file as written (before units are parsed and defaults applied). */
export type ScenarioFile = z.infer<typeof scenarioSchema>;
/** One component as written. */
export type ComponentFile = ScenarioFile["components"][number];
/** One agent as written. */
export type AgentFile = NonNullable<ScenarioFile["agents"]>[number];
