// Resolves the config-pipeline agents of a scenario file (migrator, configGenerator, distributor):
// parses units, applies the defaults resolve.ts merges into DEFAULTS, and reports problems. The
// pipeline's components (shards, configConsumer) are resolved by their kinds' spec modules
// (sim/model/kinds/). Reference checks stay in resolve.ts with the other agents'. Pure.
import type { ConfigGeneratorAgentSpec, DistributorAgentSpec, MigratorAgentSpec } from "./types.js";
import type { AgentFile } from "./schema.js";
import { agentPeriodMs, type Path, type ResolveTools } from "./resolve-tools.js";

/** Defaults of the config-pipeline agents (part of resolve.ts DEFAULTS). */
export const CONFIG_DEFAULTS = {
  migrator: { startAt: "0s", evaluationPeriod: "6m" },
  configGenerator: { rowsGood: 60, rowsBad: 240, bytesPerRow: 100, schema: "v1", evaluationPeriod: "5m" },
  distributor: { propagation: "30s", evaluationPeriod: "5s" },
} as const;

/** Resolves a migrator agent. */
export function resolveMigrator(a: Extract<AgentFile, { kind: "migrator" }>, path: Path, t: ResolveTools): MigratorAgentSpec {
  const d = CONFIG_DEFAULTS.migrator;
  return { id: a.id, kind: "migrator", target: a.target, startAtMs: t.ms(a.startAt ?? d.startAt, [...path, "startAt"]), evaluationPeriodMs: agentPeriodMs(t, a.evaluationPeriod ?? d.evaluationPeriod, [...path, "evaluationPeriod"], d.evaluationPeriod) };
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
    evaluationPeriodMs: agentPeriodMs(t, a.evaluationPeriod ?? d.evaluationPeriod, [...path, "evaluationPeriod"], d.evaluationPeriod),
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
    evaluationPeriodMs: agentPeriodMs(t, a.evaluationPeriod ?? d.evaluationPeriod, [...path, "evaluationPeriod"], d.evaluationPeriod),
  };
}
