// Resolves the staged-rollout agents of a scenario file (stagedDeployer, rollback, cleanupOperator,
// configAuthor): parses units, applies the defaults resolve.ts merges into DEFAULTS, and reports
// problems. Reference checks stay in resolve.ts with the other kinds'. Pure.
import type { CleanupOperatorAgentSpec, ConfigAuthorAgentSpec, RollbackAgentSpec, StagedDeployerAgentSpec } from "./types.js";
import type { AgentFile } from "./schema.js";
import { agentPeriodMs, type Path, type ResolveTools } from "./resolve-tools.js";

/** Defaults of the staged-rollout agents (part of resolve.ts DEFAULTS). */
export const ROLLOUT_DEFAULTS = {
  stagedDeployer: { lkg: "lkg", stages: [1, 10, 100], bake: "2m", soak: "0s", errorRateMax: 0.01, availableMin: 1, evaluationPeriod: "30s" },
  rollback: { lkg: "lkg", errorRateMax: 0.2, evaluationsToAct: 3, cooldown: "10m", evaluationPeriod: "30s" },
  configAuthor: { schema: "v1", bytesPerRow: 100 },
} as const;


/**
 * The consumers an agent with `target` or `targets` acts on: exactly one of the two, and no id
 * twice. Reports a problem (and returns what it can) otherwise.
 */
export function consumerTargets(a: { target?: string; targets?: string[] }, path: Path, t: ResolveTools): string[] {
  if (a.target !== undefined && a.targets !== undefined) {
    t.problems.push({ path: [...path, "targets"], expected: "either `target` or `targets`, not both", found: "both", hint: `put ${a.target} into \`targets\` and drop \`target\`` });
    return [a.target, ...a.targets.filter((x) => x !== a.target)];
  }
  if (a.target !== undefined) return [a.target];
  if (a.targets === undefined) {
    t.problems.push({ path: [...path, "target"], expected: "the id of a configConsumer (`target`) or a list of them (`targets`)", found: "nothing (this field is required)", hint: "e.g. `target: edge` or `targets: [edge-eu, edge-us]`" });
    return [];
  }
  const twice = a.targets.find((x, i) => a.targets!.indexOf(x) !== i);
  if (twice !== undefined) t.problems.push({ path: [...path, "targets"], expected: "distinct consumer ids", found: JSON.stringify(a.targets), hint: `${twice} is listed twice` });
  return [...new Set(a.targets)];
}

/** Resolves a stagedDeployer agent: stages must ascend and end at 100. */
export function resolveStagedDeployer(a: Extract<AgentFile, { kind: "stagedDeployer" }>, path: Path, t: ResolveTools): StagedDeployerAgentSpec {
  const d = ROLLOUT_DEFAULTS.stagedDeployer;
  const stages = [...(a.stages ?? d.stages)];
  if (!stages.every((s, i) => i === 0 || s > stages[i - 1]) || stages[stages.length - 1] !== 100) {
    t.problems.push({ path: [...path, "stages"], expected: "ascending rollout percents ending at 100", found: JSON.stringify(stages), hint: "e.g. `stages: [1, 10, 100]`" });
  }
  if (a.lkg !== undefined && a.lkg === a.document) t.problems.push({ path: [...path, "lkg"], expected: "a document other than the one deployed", found: JSON.stringify(a.lkg), hint: "the last-known-good copy needs its own document, e.g. `lkg: lkg`" });
  return {
    id: a.id,
    kind: "stagedDeployer",
    store: a.store,
    document: a.document,
    targets: consumerTargets(a, path, t),
    lkg: a.lkg ?? d.lkg,
    stages,
    bakeMs: t.ms(a.bake ?? d.bake, [...path, "bake"]),
    soakMs: t.ms(a.soak ?? d.soak, [...path, "soak"]),
    errorRateMax: a.errorRateMax ?? d.errorRateMax,
    availableMin: a.availableMin ?? d.availableMin,
    evaluationPeriodMs: agentPeriodMs(t, a.evaluationPeriod ?? d.evaluationPeriod, [...path, "evaluationPeriod"], d.evaluationPeriod),
  };
}

/** Resolves a rollback agent. */
export function resolveRollback(a: Extract<AgentFile, { kind: "rollback" }>, path: Path, t: ResolveTools): RollbackAgentSpec {
  const d = ROLLOUT_DEFAULTS.rollback;
  return {
    id: a.id,
    kind: "rollback",
    targets: consumerTargets(a, path, t),
    ...(a.watch !== undefined ? { watch: a.watch } : {}),
    store: a.store,
    document: a.document,
    lkg: a.lkg ?? d.lkg,
    errorRateMax: a.errorRateMax ?? d.errorRateMax,
    evaluationsToAct: a.evaluationsToAct ?? d.evaluationsToAct,
    cooldownMs: t.ms(a.cooldown ?? d.cooldown, [...path, "cooldown"]),
    evaluationPeriodMs: agentPeriodMs(t, a.evaluationPeriod ?? d.evaluationPeriod, [...path, "evaluationPeriod"], d.evaluationPeriod),
  };
}

/** Resolves a cleanupOperator agent (acts once on a timer, never woken). */
export function resolveCleanupOperator(a: Extract<AgentFile, { kind: "cleanupOperator" }>, path: Path, t: ResolveTools): CleanupOperatorAgentSpec {
  return { id: a.id, kind: "cleanupOperator", target: a.target, version: a.version, atMs: t.ms(a.at, [...path, "at"]), evaluationPeriodMs: 0 };
}

/** Resolves a configAuthor agent (acts once on a timer, never woken). */
export function resolveConfigAuthor(a: Extract<AgentFile, { kind: "configAuthor" }>, path: Path, t: ResolveTools): ConfigAuthorAgentSpec {
  const d = ROLLOUT_DEFAULTS.configAuthor;
  return {
    id: a.id,
    kind: "configAuthor",
    store: a.store,
    document: a.document,
    atMs: t.ms(a.at, [...path, "at"]),
    rows: a.rows,
    sizeBytes: a.sizeBytes ?? a.rows * d.bytesPerRow,
    schema: a.schema ?? d.schema,
    reason: a.reason ?? `config change to ${a.store}.${a.document}`,
    evaluationPeriodMs: 0,
  };
}
