// The file format of the `configConsumer` kind: its YAML fields (the config it loads, its rules,
// node groups and replica fields), its resolved spec and the resolver applying its defaults.
import { z } from "zod";
import { componentId, documentRules, duration, id, replicatedFields, resolveDependencies, type ReplicatedSpec } from "../../../scenario/fields.js";
import type { KindSpec } from "../../../scenario/kind-spec.js";
import type { Path, ResolveTools } from "../../../scenario/resolve-tools.js";

/** Defaults of a config consumer (gathered into resolve.ts DEFAULTS through the registry). */
export const CONFIG_CONSUMER_DEFAULTS = {
  configConsumer: { replicas: 10, replicasMin: 1, replicasMax: 100, capacityPerReplica: "100/s", baseLatency: "5ms", latencyMax: "10s", costPerReplicaHour: 0.1, propagation: "30s" },
} as const;

/** A `configConsumer` component as written. */
export const configConsumerSchema = z.strictObject({
  id: componentId,
  kind: z.literal("configConsumer").describe("A fleet of nodes serving traffic like a service while loading a config document (knobs `replicas`, `version`, `rollout`)."),
  store: id.describe("Id of the documentStore holding the config."),
  document: id.describe("Name of the config document in `store` the fleet loads."),
  /** The config version deployed at the start; `latest` (= 0) follows the newest version. */
  version: z
    .union([z.int().min(0), z.literal("latest")])
    .optional()
    .describe("The config version loaded at the start (knob `version`); `latest` (= 0) follows the store, loading each new newest version `propagation` after it appears. Default `latest`."),
  propagation: duration.optional().describe("With version `latest`: delay between a new newest version appearing and the fleet loading it, a duration. Default `30s`."),
  rules: documentRules.optional().describe("Limits a loaded config must meet (rowsMax, sizeBytesMax, schema); a config breaking them triggers each group's onViolation. Default: none (every config is valid)."),
  groups: z
    .array(
      z.strictObject({
        name: id.describe("The group's name, unique within the fleet."),
        share: z.number().positive().max(1).describe("Share of the fleet's nodes in this group, in (0, 1]; the shares of all groups add up to 1."),
        onViolation: z.enum(["crash", "failOpen", "degrade"]).describe("What the group's nodes do with a config breaking the rules: `crash` (stop serving), `failOpen` (ignore it, serve correctly) or `degrade` (serve wrong output, signal `degraded`)."),
        crashAfter: duration.optional().describe("Only with onViolation `crash`: delay between loading the bad config and crashing (asynchronous processing), a duration. Default `0s` (at once)."),
      }),
    )
    .min(1)
    .optional()
    .describe("Node groups by share, each with its reaction to a bad config. Default `[{ name: all, share: 1, onViolation: crash }]`."),
  applyWhen: id
    .optional()
    .describe("A flag of this consumer (declared in `flags`) that gates applying configs: while it is off the nodes fetch and load versions as usual but run on the built-in config (valid), and crashed nodes restart; while on they apply what they loaded (`crashAfter` counts from the later of the load and the flag turning on). Turning it off is a kill switch for the new-config path. Default: none (always applied)."),
  /** The fleet's balancer moves load off crashed nodes onto the serving ones. */
  failover: z.boolean().optional().describe("The fleet's balancer sees crashed nodes and sends the whole load to the serving ones. Default false (load stays spread over all nodes, and the crashed nodes' share fails)."),
  ...replicatedFields,
}).describe("A fleet of nodes loading a config document (docs/model.md).");

/** A config consumer as written (before units are parsed and defaults applied). */
export type ConfigConsumerFile = z.infer<typeof configConsumerSchema>;

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
  /** The flag (a name in the component's `flags`) that must be on for loaded configs to apply; absent = always applied. */
  applyWhenFlag?: string;
  /** The fleet's balancer sees crashed nodes and spreads the load over the serving ones; absent = false. */
  failover?: boolean;
}

/** Resolves a configConsumer component: defaults, group shares adding up to 1, crashAfter only on crash. */
export function resolveConfigConsumer(c: ConfigConsumerFile, path: Path, t: ResolveTools): ConfigConsumerSpec {
  const d = CONFIG_CONSUMER_DEFAULTS.configConsumer;
  const replicasMin = c.replicasMin ?? Math.min(d.replicasMin, c.replicas ?? d.replicasMin);
  const replicasMax = c.replicasMax ?? Math.max(d.replicasMax, c.replicas ?? 0);
  const replicas = c.replicas ?? Math.max(replicasMin, Math.min(replicasMax, d.replicas));
  if (replicasMin > replicasMax) t.problems.push({ path: [...path, "replicasMin"], expected: `at most replicasMax (${replicasMax})`, found: String(replicasMin) });
  else if (replicas < replicasMin || replicas > replicasMax) t.problems.push({ path: [...path, "replicas"], expected: `a number in [replicasMin, replicasMax] = [${replicasMin}, ${replicasMax}]`, found: String(replicas) });
  const capacity = t.rps(c.capacityPerReplica ?? d.capacityPerReplica, [...path, "capacityPerReplica"]);
  if (capacity <= 0) t.problems.push({ path: [...path, "capacityPerReplica"], expected: "a rate above 0", found: JSON.stringify(c.capacityPerReplica) });
  const groupsFile = c.groups ?? [{ name: "all", share: 1, onViolation: "crash" as const }];
  const groups = groupsFile.map((g, i) => {
    const crashAfter = "crashAfter" in g ? g.crashAfter : undefined;
    if (crashAfter !== undefined && g.onViolation !== "crash") {
      t.problems.push({ path: [...path, "groups", i, "crashAfter"], expected: "crashAfter only on a group with onViolation: crash", found: JSON.stringify(crashAfter), hint: "set `onViolation: crash` or remove crashAfter" });
    }
    return { name: g.name, share: g.share, onViolation: g.onViolation, crashAfterMs: crashAfter === undefined ? 0 : t.ms(crashAfter, [...path, "groups", i, "crashAfter"]) };
  });
  const total = groups.reduce((a, g) => a + g.share, 0);
  if (Math.abs(total - 1) > 1e-9) t.problems.push({ path: [...path, "groups"], expected: "group shares adding up to 1", found: String(total) });
  const names = groups.map((g) => g.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) t.problems.push({ path: [...path, "groups", i, "name"], expected: "a unique group name", found: JSON.stringify(n) });
  });
  return {
    id: c.id,
    kind: "configConsumer",
    store: c.store,
    document: c.document,
    version: c.version === undefined || c.version === "latest" ? 0 : c.version,
    propagationMs: t.ms(c.propagation ?? d.propagation, [...path, "propagation"]),
    rules: { ...(c.rules ?? {}) },
    groups,
    ...(c.failover ? { failover: true } : {}),
    ...(c.applyWhen !== undefined ? { applyWhenFlag: c.applyWhen } : {}),
    replicas,
    replicasMin,
    replicasMax,
    capacityPerReplicaRps: capacity,
    baseLatencyMs: Math.max(1, t.ms(c.baseLatency ?? d.baseLatency, [...path, "baseLatency"])),
    latencyMsMax: t.ms(c.latencyMax ?? d.latencyMax, [...path, "latencyMax"]),
    costPerReplicaHour: c.costPerReplicaHour ?? d.costPerReplicaHour,
    dependsOn: resolveDependencies(c.dependsOn),
    health: t.health(c.health, [...path, "health"]),
  };
}

/** The spec module of `configConsumer`: `store` must be a documentStore, every dependency a component. */
export const configConsumerKind: KindSpec<typeof configConsumerSchema, ConfigConsumerSpec, typeof CONFIG_CONSUMER_DEFAULTS> = {
  kinds: ["configConsumer"],
  schema: configConsumerSchema,
  defaults: CONFIG_CONSUMER_DEFAULTS,
  resolve: resolveConfigConsumer,
  references: (s, path, reference) => {
    reference(s.store, [...path, "store"], ["documentStore"]);
    s.dependsOn.forEach((d, j) => reference(d.id, [...path, "dependsOn", j]));
  },
  downstream: (s) => s.dependsOn.map((d) => d.id),
  flagsUsed: (s, path) => (s.applyWhenFlag === undefined ? [] : [{ flag: s.applyWhenFlag, path: [...path, "applyWhen"] }]),
};
