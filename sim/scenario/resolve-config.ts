// Resolves the config-pipeline kinds of a scenario file (shards, configConsumer) and their agents
// (migrator, configGenerator, distributor): parses units, applies the defaults resolve.ts passes
// in, and reports problems. Reference checks stay in resolve.ts with the other kinds'. Pure.
import type { ConfigConsumerSpec, ConfigGeneratorAgentSpec, DistributorAgentSpec, MigratorAgentSpec, ShardsSpec } from "./types.js";
import { evaluationPeriod as period, type AgentFile, type ComponentFile, type Path, type ResolveTools } from "./resolve-tools.js";

/** Defaults of the config-pipeline kinds (part of resolve.ts DEFAULTS). */
export const CONFIG_DEFAULTS = {
  shards: { migrated: 0 },
  configConsumer: { replicas: 10, replicasMin: 1, replicasMax: 100, capacityPerReplica: "100/s", baseLatency: "5ms", latencyMax: "10s", costPerReplicaHour: 0.1, propagation: "30s" },
  migrator: { startAt: "0s", evaluationPeriod: "6m" },
  configGenerator: { rowsGood: 60, rowsBad: 240, bytesPerRow: 100, schema: "v1", evaluationPeriod: "5m" },
  distributor: { propagation: "30s", evaluationPeriod: "5s" },
} as const;

/** Resolves a shards component. */
export function resolveShards(c: Extract<ComponentFile, { kind: "shards" }>, path: Path, t: ResolveTools): ShardsSpec {
  const migrated = c.migrated ?? CONFIG_DEFAULTS.shards.migrated;
  if (migrated > c.count) t.problems.push({ path: [...path, "migrated"], expected: `at most count (${c.count})`, found: String(migrated) });
  return { id: c.id, kind: "shards", count: c.count, migrated, health: t.health(c.health, [...path, "health"]) };
}

/** Resolves a configConsumer component: defaults, group shares adding up to 1, crashAfter only on crash. */
export function resolveConfigConsumer(c: Extract<ComponentFile, { kind: "configConsumer" }>, path: Path, t: ResolveTools): ConfigConsumerSpec {
  const d = CONFIG_DEFAULTS.configConsumer;
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
    replicas,
    replicasMin,
    replicasMax,
    capacityPerReplicaRps: capacity,
    baseLatencyMs: Math.max(1, t.ms(c.baseLatency ?? d.baseLatency, [...path, "baseLatency"])),
    latencyMsMax: t.ms(c.latencyMax ?? d.latencyMax, [...path, "latencyMax"]),
    costPerReplicaHour: c.costPerReplicaHour ?? d.costPerReplicaHour,
    dependsOn: (c.dependsOn ?? []).map((dep) => (typeof dep === "string" ? { id: dep, callsPerRequest: 1 } : { id: dep.id, callsPerRequest: dep.callsPerRequest ?? 1 })),
    health: t.health(c.health, [...path, "health"]),
  };
}


/** Resolves a migrator agent. */
export function resolveMigrator(a: Extract<AgentFile, { kind: "migrator" }>, path: Path, t: ResolveTools): MigratorAgentSpec {
  const d = CONFIG_DEFAULTS.migrator;
  return { id: a.id, kind: "migrator", target: a.target, startAtMs: t.ms(a.startAt ?? d.startAt, [...path, "startAt"]), evaluationPeriodMs: period(t.ms(a.evaluationPeriod ?? d.evaluationPeriod, [...path, "evaluationPeriod"])) };
}

/** Resolves a configGenerator agent. */
export function resolveConfigGenerator(a: Extract<AgentFile, { kind: "configGenerator" }>, path: Path, t: ResolveTools): ConfigGeneratorAgentSpec {
  const d = CONFIG_DEFAULTS.configGenerator;
  return {
    id: a.id,
    kind: "configGenerator",
    shards: a.shards,
    store: a.store,
    document: a.document,
    rowsGood: a.rowsGood ?? d.rowsGood,
    rowsBad: a.rowsBad ?? d.rowsBad,
    bytesPerRow: a.bytesPerRow ?? d.bytesPerRow,
    schema: a.schema ?? d.schema,
    ...(a.stopAt === undefined ? {} : { stopAtMs: t.ms(a.stopAt, [...path, "stopAt"]) }),
    evaluationPeriodMs: period(t.ms(a.evaluationPeriod ?? d.evaluationPeriod, [...path, "evaluationPeriod"])),
  };
}

/** Resolves a distributor agent. */
export function resolveDistributor(a: Extract<AgentFile, { kind: "distributor" }>, path: Path, t: ResolveTools): DistributorAgentSpec {
  const d = CONFIG_DEFAULTS.distributor;
  if (a.keepLastGood && !a.rules) t.problems.push({ path: [...path, "rules"], expected: "rules (rowsMax, sizeBytesMax, schema) next to keepLastGood: true", found: "none", hint: "add e.g. `rules: { rowsMax: 200 }`" });
  return {
    id: a.id,
    kind: "distributor",
    store: a.store,
    document: a.document,
    targets: [...a.targets],
    propagationMs: t.ms(a.propagation ?? d.propagation, [...path, "propagation"]),
    keepLastGood: a.keepLastGood ?? false,
    rules: { ...(a.rules ?? {}) },
    evaluationPeriodMs: period(t.ms(a.evaluationPeriod ?? d.evaluationPeriod, [...path, "evaluationPeriod"])),
  };
}
