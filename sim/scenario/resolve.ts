// Turns a schema-valid scenario file into the engine's Scenario: parses durations and rates,
// applies documented defaults, and checks references (targets, dependencies, cycles, duplicate
// ids). Collects every problem instead of stopping at the first. Pure. Components are resolved
// and reference-checked by their kind's spec module, found in the registry by `kind`.
import { InputError } from "../core/errors.js";
import { parseDuration, parseRate } from "../core/units.js";
import { checkCpuRequest } from "../model/kinds/server/cpu.js";
import { CAPACITY_LOSS_KINDS, IMPAIRABLE_KINDS, LEAK_KINDS } from "../model/impairment.js";
import { componentKind, kindsAcceptingFault } from "../model/kinds/registry.js";
import { SIGNAL_NAMES } from "../model/signals.js";
import { parseResourceRate, type LeakableResource } from "../model/kinds/host/units.js";
import { topologicalOrder } from "../model/topology.js";
import { COMPONENT_DEFAULTS, kindSpecOf } from "../model/kinds/specs.js";
import type { AgentSpec, ComponentSpec, CoordinationSpec, FaultGate, FaultRamp, FaultSpec, HealthSpec, LoadPattern, Scenario, WorkloadSpec } from "./types.js";
import type { DetectorOptions } from "../detect/index.js";
import type { HealthFile } from "./fields.js";
import type { ScenarioFile } from "./schema.js";
import { knobsOf, resolveStatechartAgent } from "../agents/declarative/resolve.js";
import { knobMatcher } from "../engine/coordination/knob-pattern.js";
import { budgetProblems, coldStartProblems, rateProblem, runLengthProblems, replicaProblems } from "./budgets.js";
import { celRunProblems } from "../expr/budget.js";
import { derivedBudgetProblems, derivedProblems } from "../expr/derived.js";
import { closest, hintFor, listed } from "./problems.js";
import { CONFIG_DEFAULTS, resolveConfigGenerator, resolveDistributor, resolveMigrator } from "./resolve-config.js";
import { agentPeriodMs, type Path, type ResolveTools, type Unlocated } from "./resolve-tools.js";
import { LEASE_DEFAULTS, resolveHealthChecker } from "./resolve-lease.js";
import { resolveGroupCoordination } from "./resolve-coordination-group.js";
import { resolveVeto, vetoRunProblems } from "./resolve-veto.js";
import { resolvePartitions, resolveSites } from "./resolve-partition.js";
import { checkGroupRead, groupBudgetProblems, referencedAggregates, resolveGroups, type GroupSpec } from "./resolve-groups.js";
import { resolveCleanupOperator, resolveConfigAuthor, resolveRollback, resolveStagedDeployer, ROLLOUT_DEFAULTS } from "./resolve-rollout.js";


/** Defaults of the fault timeline (part of DEFAULTS, documented in docs/model.md "Faults"). */
export const FAULT_DEFAULTS = { errorsRate: 1, resume: "snapshot", rampShape: "linear", crashShare: 1 } as const;

/**
 * Defaults applied when a scenario file leaves a field out (documented in docs/model.md). Each
 * component kind's defaults live in its spec module (sim/model/kinds/<kind>/spec.ts) and are
 * gathered here through the registry, so the whole table reads in one place.
 */
export const DEFAULTS = {
  step: "1s",
  ...COMPONENT_DEFAULTS,
  health: { errorRateMax: 0.05, latencyP95Max: "500ms", unhealthyAfterSteps: 3, healthyAfterSteps: 5 },
  diurnal: { period: "24h", peakAt: "14h" },
  ramp: { shape: "linear" as "linear" | "exponential" },
  performance: { latencyP95Max: "100ms", utilizationMax: 0.75, step: 1, breachesToAct: 1, evaluationPeriod: "30s", cooldown: "1m" },
  cost: { utilizationMin: 0.4, step: 1, breachesToAct: 1, evaluationPeriod: "1m", cooldown: "2m" },
  routing: { latencyP95Max: "200ms", errorRateMax: 0.05, shiftStep: 10, weightMin: 0, evaluationPeriod: "30s", cooldown: "1m" },
  coordination: { leaseTtl: "5m" },
  stagedRollout: { stages: [1, 10, 100] },
  planPublisher: { rows: 3, evaluationPeriod: "30s" },
  enactor: { applyLatency: "2s", applyJitter: 0.5, cleanupDelay: "20s", keepGenerations: 5, evaluationPeriod: "10s" },
  hpa: { cpuUtilizationTarget: 0.7, tolerance: 0.1, scaleDownStabilization: "300s", evaluationPeriod: "15s" },
  vpa: { safetyMargin: 0.15, minAllowed: 50, maxAllowed: 8000, updateThreshold: 0.1, evaluationPeriod: "1m" },
  ...CONFIG_DEFAULTS,
  ...LEASE_DEFAULTS,
  ...ROLLOUT_DEFAULTS,
  faults: FAULT_DEFAULTS,
} as const;

/** Resolves `file` into a frozen Scenario, or returns the problems found (without positions). */
export function resolveScenario(file: ScenarioFile): { scenario: Scenario } | { problems: Unlocated[] } {
  const problems: Unlocated[] = [];
  const ms = (text: string, path: Path): number => {
    try {
      return parseDuration(text, path.join("."));
    } catch (e) {
      problems.push(fromInputError(e, path));
      return 0;
    }
  };
  const rps = (text: string | number, path: Path): number => {
    try {
      const value = parseRate(text, path.join("."));
      const tooFast = rateProblem(value, path);
      if (tooFast) problems.push(tooFast);
      return value;
    } catch (e) {
      problems.push(fromInputError(e, path));
      return 0;
    }
  };

  const durationMs = ms(file.duration, ["duration"]);
  const stepMs = ms(file.step ?? DEFAULTS.step, ["step"]);
  const sampleEveryMs = file.sampleEvery !== undefined ? ms(file.sampleEvery, ["sampleEvery"]) : stepMs;
  if (stepMs <= 0 && !problems.some((p) => p.path[0] === "step")) problems.push({ path: ["step"], expected: "a step longer than 0ms", found: JSON.stringify(file.step) });
  if (durationMs <= 0 && !problems.some((p) => p.path[0] === "duration")) problems.push({ path: ["duration"], expected: "a duration longer than 0ms", found: JSON.stringify(file.duration) });
  if (stepMs > 0 && sampleEveryMs % stepMs !== 0) {
    problems.push({ path: ["sampleEvery"], expected: `a multiple of step (${file.step ?? DEFAULTS.step})`, found: JSON.stringify(file.sampleEvery) });
  }

  const health = (h: HealthFile | undefined, path: Path): HealthSpec => ({
    errorRateMax: h?.errorRateMax ?? DEFAULTS.health.errorRateMax,
    latencyMsP95Max: ms(h?.latencyP95Max ?? DEFAULTS.health.latencyP95Max, [...path, "latencyP95Max"]),
    unhealthyAfterSteps: h?.unhealthyAfterSteps ?? DEFAULTS.health.unhealthyAfterSteps,
    healthyAfterSteps: h?.healthyAfterSteps ?? DEFAULTS.health.healthyAfterSteps,
  });

  // A built-in agent wakes once per period; 0 would mean waking forever at one instant (a
  // statechart's 0s, "never woken", is resolved elsewhere).
  const period = (text: string, path: Path, fallback: string): number => agentPeriodMs({ ms, problems }, text, path, fallback);
  const tools: ResolveTools = { ms, rps, health, problems };
  // The spec module's resolver returns its own kind's spec; the registry erases that type.
  const components: ComponentSpec[] = file.components.map((c, i) => withLabels(withFlags(kindSpecOf(c.kind).resolve(c, ["components", i], tools) as ComponentSpec, c), c));
  components.forEach((c, i) => problems.push(...replicaProblems(c, ["components", i]), ...coldStartProblems(c, ["components", i], stepMs)));
  // Telemetry holds every always-sampled signal plus the optional ones some component sets.
  const optional = new Set(components.flatMap((c) => componentKind(c.kind).optionalSignals?.(c) ?? []));
  for (const b of budgetProblems(durationMs, stepMs, sampleEveryMs, file.components.length, SIGNAL_NAMES.length + optional.size)) {
    problems.push({ path: [b.field === "sampleEvery" && file.sampleEvery === undefined ? "step" : b.field], expected: b.expected, found: b.found, hint: b.hint });
  }

  const byId = new Map<string, ComponentSpec>();
  const actorIds = new Map<string, Path>();
  const claim = (id: string, path: Path) => {
    const earlier = actorIds.get(id);
    if (earlier) problems.push({ path, expected: "a unique id", found: JSON.stringify(id), hint: `${formatPathShort(earlier)} already uses this id; component, workload and agent ids share one namespace` });
    else actorIds.set(id, path);
  };
  components.forEach((c, i) => {
    claim(c.id, ["components", i, "id"]);
    if (!byId.has(c.id)) byId.set(c.id, c);
  });
  const componentIds = [...byId.keys()];
  const reference = (id: string, path: Path, kinds?: readonly string[]): void => {
    const c = byId.get(id);
    if (!c) problems.push({ path, expected: `the id of a component (${listed(componentIds)})`, found: JSON.stringify(id), hint: hintFor(id, componentIds) });
    else if (kinds && !kinds.includes(c.kind)) problems.push({ path, expected: `a component of kind ${kinds.join(" or ")}`, found: `${JSON.stringify(id)}, a ${c.kind}` });
  };
  let referencesOk = true;
  const before = problems.length;
  components.forEach((c, i) => kindSpecOf(c.kind).references(c, ["components", i], reference));
  components.forEach((c, i) => {
    const declared = Object.keys(c.flags ?? {});
    for (const used of kindSpecOf(c.kind).flagsUsed?.(c, ["components", i]) ?? []) {
      if (declared.includes(used.flag)) continue;
      problems.push({ path: used.path, expected: declared.length > 0 ? `a flag of ${c.id} (${listed(declared)})` : `a flag ${c.id} declares`, found: JSON.stringify(used.flag), hint: declared.length > 0 ? hintFor(used.flag, declared) : `declare it: \`flags: { ${used.flag}: off }\`` });
    }
  });
  referencesOk = problems.length === before;
  if (referencesOk && byId.size === components.length) {
    try {
      const index = new Map(components.map((c, i) => [c.id, i]));
      topologicalOrder(components.map((c) => c.id), components.map((c) => kindSpecOf(c.kind).downstream(c).map((id) => index.get(id) ?? 0)));
    } catch (e) {
      problems.push(fromInputError(e, ["components"]));
    }
  }

  const groups = resolveGroups(file.groups, components, referencedAggregates(file.agents ?? [], (file.expect ?? []).flatMap((e) => ("threshold" in e ? [e.threshold] : []))), problems);
  problems.push(...derivedProblems(components, groups));
  if (stepMs > 0 && sampleEveryMs > 0) problems.push(...derivedBudgetProblems(components, groups, durationMs, stepMs, sampleEveryMs));
  if (groups !== undefined && stepMs > 0 && sampleEveryMs > 0) problems.push(...groupBudgetProblems(groups, durationMs, stepMs, sampleEveryMs));
  const groupTools = groups === undefined ? undefined : { has: (id: string) => groups.some((g) => g.id === id), read: (id: string, name: string, path: Path) => checkGroupRead(id, name, path, groups, components, problems) };

  const workloads: WorkloadSpec[] = (file.workload ?? []).map((w, i) => {
    const path: Path = ["workload", i];
    claim(w.id, [...path, "id"]);
    reference(w.target, [...path, "target"]);
    const p = w.pattern;
    const pp: Path = [...path, "pattern"];
    let pattern: LoadPattern;
    switch (p.kind) {
      case "constant":
        pattern = { kind: "constant", rps: rps(p.rate, [...pp, "rate"]) };
        break;
      case "steps":
        pattern = { kind: "steps", steps: p.steps.map((s, j) => ({ atMs: ms(s.at, [...pp, "steps", j, "at"]), rps: rps(s.rate, [...pp, "steps", j, "rate"]) })) };
        break;
      case "diurnal":
        pattern = { kind: "diurnal", meanRps: rps(p.mean, [...pp, "mean"]), amplitude: p.amplitude, periodMs: ms(p.period ?? DEFAULTS.diurnal.period, [...pp, "period"]), peakAtMs: ms(p.peakAt ?? DEFAULTS.diurnal.peakAt, [...pp, "peakAt"]) };
        if (pattern.periodMs <= 0) problems.push({ path: [...pp, "period"], expected: "a period longer than 0ms", found: JSON.stringify(p.period) });
        break;
      case "spike":
        pattern = { kind: "spike", baseRps: rps(p.base, [...pp, "base"]), atMs: ms(p.at, [...pp, "at"]), durationMs: ms(p.duration, [...pp, "duration"]), multiplier: p.multiplier };
        break;
      case "ramp": {
        const shape = p.shape ?? DEFAULTS.ramp.shape;
        pattern = { kind: "ramp", fromRps: rps(p.from, [...pp, "from"]), toRps: rps(p.to, [...pp, "to"]), atMs: ms(p.at, [...pp, "at"]), overMs: ms(p.over, [...pp, "over"]), shape };
        if (shape === "exponential" && !(pattern.fromRps > 0 && pattern.toRps > 0)) problems.push({ path: [...pp, "shape"], expected: "both rates above 0 for an exponential ramp (it grows by a constant factor)", found: `from ${JSON.stringify(p.from)} to ${JSON.stringify(p.to)}`, hint: "use `shape: linear`, or start from a small rate such as `1/s`" });
        break;
      }
    }
    return { id: w.id, target: w.target, pattern, noise: w.noise ?? 0 };
  });

  const agents: AgentSpec[] = (file.agents ?? []).map((a, i): AgentSpec => {
    const path: Path = ["agents", i];
    claim(a.id, [...path, "id"]);
    const target = "target" in a && a.target !== undefined ? byId.get(a.target) : undefined;
    const server = target && (target.kind === "service" || target.kind === "database") ? target : undefined;
    switch (a.kind) {
      case "performance": {
        reference(a.target, [...path, "target"], ["service", "database"]);
        const d = DEFAULTS.performance;
        return { id: a.id, kind: "performance", target: a.target, latencyMsP95Max: ms(a.latencyP95Max ?? d.latencyP95Max, [...path, "latencyP95Max"]), utilizationMax: a.utilizationMax ?? d.utilizationMax, step: a.step ?? d.step, replicasMax: a.replicasMax ?? server?.replicasMax ?? 1, evaluationPeriodMs: period(a.evaluationPeriod ?? d.evaluationPeriod, [...path, "evaluationPeriod"], d.evaluationPeriod), breachesToAct: a.breachesToAct ?? d.breachesToAct, cooldownMs: ms(a.cooldown ?? d.cooldown, [...path, "cooldown"]) };
      }
      case "cost": {
        reference(a.target, [...path, "target"], ["service", "database"]);
        const d = DEFAULTS.cost;
        return { id: a.id, kind: "cost", target: a.target, utilizationMin: a.utilizationMin ?? d.utilizationMin, budgetPerHour: a.budgetPerHour ?? Infinity, step: a.step ?? d.step, replicasMin: a.replicasMin ?? server?.replicasMin ?? 0, evaluationPeriodMs: period(a.evaluationPeriod ?? d.evaluationPeriod, [...path, "evaluationPeriod"], d.evaluationPeriod), breachesToAct: a.breachesToAct ?? d.breachesToAct, cooldownMs: ms(a.cooldown ?? d.cooldown, [...path, "cooldown"]) };
      }
      case "routing": {
        reference(a.target, [...path, "target"], ["loadBalancer"]);
        const d = DEFAULTS.routing;
        return { id: a.id, kind: "routing", target: a.target, latencyMsP95Max: ms(a.latencyP95Max ?? d.latencyP95Max, [...path, "latencyP95Max"]), errorRateMax: a.errorRateMax ?? d.errorRateMax, shiftStep: a.shiftStep ?? d.shiftStep, weightMin: a.weightMin ?? d.weightMin, evaluationPeriodMs: period(a.evaluationPeriod ?? d.evaluationPeriod, [...path, "evaluationPeriod"], d.evaluationPeriod), cooldownMs: ms(a.cooldown ?? d.cooldown, [...path, "cooldown"]) };
      }
      case "planPublisher": {
        reference(a.store, [...path, "store"], ["documentStore"]);
        return { id: a.id, kind: "planPublisher", store: a.store, document: a.document, rows: a.rows ?? DEFAULTS.planPublisher.rows, evaluationPeriodMs: period(a.evaluationPeriod ?? DEFAULTS.planPublisher.evaluationPeriod, [...path, "evaluationPeriod"], DEFAULTS.planPublisher.evaluationPeriod) };
      }
      case "enactor": {
        reference(a.store, [...path, "store"], ["documentStore"]);
        reference(a.record, [...path, "record"], ["dnsRecord"]);
        const d = DEFAULTS.enactor;
        return {
          id: a.id,
          kind: "enactor",
          store: a.store,
          document: a.document,
          record: a.record,
          applyLatencyMs: ms(a.applyLatency ?? d.applyLatency, [...path, "applyLatency"]),
          applyJitter: a.applyJitter ?? d.applyJitter,
          cleanupDelayMs: ms(a.cleanupDelay ?? d.cleanupDelay, [...path, "cleanupDelay"]),
          keepGenerations: a.keepGenerations ?? d.keepGenerations,
          protectReferenced: a.protectReferenced ?? false,
          fencing: a.fencing ?? false,
          evaluationPeriodMs: period(a.evaluationPeriod ?? d.evaluationPeriod, [...path, "evaluationPeriod"], d.evaluationPeriod),
        };
      }
      case "hpa": {
        reference(a.target, [...path, "target"], ["service", "database"]);
        if (server && !server.cpu) problems.push({ path: [...path, "target"], expected: "a service or database with a CPU model", found: JSON.stringify(a.target), hint: `add \`cpuPerRequest\` (and \`cpuRequest\`) to ${a.target}` });
        const d = DEFAULTS.hpa;
        const replicasMin = a.replicasMin ?? Math.max(1, server?.replicasMin ?? 1);
        const replicasMax = a.replicasMax ?? server?.replicasMax ?? 1;
        if (replicasMin > replicasMax) problems.push({ path: [...path, "replicasMin"], expected: `at most replicasMax (${replicasMax})`, found: String(replicasMin) });
        if (a.poolUtilizationTarget !== undefined && server && !server.pool) problems.push({ path: [...path, "poolUtilizationTarget"], expected: "a target with a worker pool", found: JSON.stringify(a.target), hint: `add \`pool: { size: ... }\` to ${a.target}, or remove poolUtilizationTarget` });
        return { id: a.id, kind: "hpa", target: a.target, cpuUtilizationTarget: a.cpuUtilizationTarget ?? d.cpuUtilizationTarget, tolerance: a.tolerance ?? d.tolerance, ...(a.poolUtilizationTarget !== undefined ? { poolUtilizationTarget: a.poolUtilizationTarget } : {}), replicasMin, replicasMax, scaleDownStabilizationMs: ms(a.scaleDownStabilization ?? d.scaleDownStabilization, [...path, "scaleDownStabilization"]), evaluationPeriodMs: period(a.evaluationPeriod ?? d.evaluationPeriod, [...path, "evaluationPeriod"], d.evaluationPeriod) };
      }
      case "vpa": {
        reference(a.target, [...path, "target"], ["service", "database"]);
        if (server && !server.cpu) problems.push({ path: [...path, "target"], expected: "a service or database with a CPU model", found: JSON.stringify(a.target), hint: `add \`cpuPerRequest\` (and \`cpuRequest\`) to ${a.target}` });
        const d = DEFAULTS.vpa;
        const minAllowedMillicores = a.minAllowed ?? d.minAllowed;
        const maxAllowedMillicores = a.maxAllowed ?? d.maxAllowed;
        for (const [field, value] of [["minAllowed", minAllowedMillicores], ["maxAllowed", maxAllowedMillicores]] as const) {
          const problem = checkCpuRequest(a.target, value);
          if (problem) problems.push({ path: [...path, field], expected: "a CPU request the knob accepts", found: String(value), hint: problem });
        }
        if (minAllowedMillicores > maxAllowedMillicores) problems.push({ path: [...path, "minAllowed"], expected: `at most maxAllowed (${maxAllowedMillicores})`, found: String(minAllowedMillicores) });
        return { id: a.id, kind: "vpa", target: a.target, safetyMargin: a.safetyMargin ?? d.safetyMargin, minAllowedMillicores, maxAllowedMillicores, updateThreshold: a.updateThreshold ?? d.updateThreshold, evaluationPeriodMs: period(a.evaluationPeriod ?? d.evaluationPeriod, [...path, "evaluationPeriod"], d.evaluationPeriod) };
      }
      case "migrator":
        reference(a.target, [...path, "target"], ["shards"]);
        return resolveMigrator(a, path, { ms, rps, health, problems });
      case "configGenerator":
        reference(a.shards, [...path, "shards"], ["shards"]);
        reference(a.store, [...path, "store"], ["documentStore"]);
        return resolveConfigGenerator(a, path, { ms, rps, health, problems });
      case "distributor":
        reference(a.store, [...path, "store"], ["documentStore"]);
        a.targets.forEach((t, j) => reference(t, [...path, "targets", j], ["configConsumer"]));
        return resolveDistributor(a, path, { ms, rps, health, problems });
      case "stagedDeployer":
        reference(a.store, [...path, "store"], ["documentStore"]);
        if (a.target !== undefined) reference(a.target, [...path, "target"], ["configConsumer"]);
        a.targets?.forEach((t, j) => reference(t, [...path, "targets", j], ["configConsumer"]));
        return resolveStagedDeployer(a, path, { ms, rps, health, problems });
      case "rollback":
        reference(a.store, [...path, "store"], ["documentStore"]);
        if (a.target !== undefined) reference(a.target, [...path, "target"], ["configConsumer"]);
        a.targets?.forEach((t, j) => reference(t, [...path, "targets", j], ["configConsumer"]));
        if (a.watch !== undefined) reference(a.watch, [...path, "watch"], ["service", "database", "loadBalancer", "dnsRecord", "clients", "configConsumer", "leaseTable"]);
        return resolveRollback(a, path, { ms, rps, health, problems });
      case "cleanupOperator":
        reference(a.target, [...path, "target"], ["configConsumer"]);
        return resolveCleanupOperator(a, path, { ms, rps, health, problems });
      case "configAuthor":
        reference(a.store, [...path, "store"], ["documentStore"]);
        return resolveConfigAuthor(a, path, { ms, rps, health, problems });
      case "healthChecker":
        reference(a.target, [...path, "target"], ["loadBalancer"]);
        if (target?.kind === "loadBalancer" && !target.healthChecks) problems.push({ path: [...path, "target"], expected: "a loadBalancer with health checks (knobs inService.<target>)", found: JSON.stringify(a.target), hint: `add \`healthChecks: true\` to ${a.target}` });
        return resolveHealthChecker(a, path, tools);
      case "statechart": {
        const resolved = resolveStatechartAgent(a, path, { component: (id) => byId.get(id), reference: (id, at) => reference(id, at), components: () => components, ...(groupTools ? { group: groupTools, groups: () => groups ?? [] } : {}) });
        problems.push(...resolved.problems);
        return resolved.spec;
      }
    }
  });

  const onBehalfOf: Record<string, string> = {};
  for (const a of file.agents ?? []) {
    const principal = (a as { onBehalfOf?: string }).onBehalfOf;
    if (principal !== undefined) onBehalfOf[a.id] = principal;
  }
  const coordination = resolveCoordination(file.coordination, agents.map((a) => a.id), components, ms, problems, groups);
  const agentIds = agents.map((a) => a.id);
  components.forEach((c, i) => {
    for (const used of kindSpecOf(c.kind).agentsUsed?.(c, ["components", i]) ?? []) {
      if (!agentIds.includes(used.agent)) problems.push({ path: used.path, expected: `the id of an agent (${listed(agentIds)})`, found: JSON.stringify(used.agent), hint: hintFor(used.agent, agentIds) });
    }
  });
  const faults = resolveFaults(file.faults ?? [], { ms, problems, components: byId, agentIds, actorIds, runMs: durationMs, runText: file.duration });
  const sites = resolveSites(file.sites, [...byId.keys()], agentIds, problems);
  const partitions = resolvePartitions(file.faults, { ms, problems, sites, actorIds, runMs: durationMs, runText: file.duration });
  const detectors = file.detectors === undefined ? undefined : resolveDetectors(file.detectors, ms);

  if (problems.length > 0) return { problems };
  const scenario: Scenario = { name: file.name, description: file.description ?? "", seed: file.seed, durationMs, stepMs, sampleEveryMs, components, workloads, agents, coordination, faults, onBehalfOf, ...(detectors !== undefined ? { detectors } : {}), ...(sites !== undefined ? { sites } : {}), ...(groups !== undefined ? { groups } : {}), ...(partitions !== undefined ? { partitions } : {}) };
  // Estimated only for a scenario that resolved: the estimate needs every period and timer.
  const tooLong = [...runLengthProblems(scenario, file.duration), ...celRunProblems(scenario, file.duration), ...vetoRunProblems(scenario)];
  if (tooLong.length > 0) return { problems: tooLong };
  return { scenario: deepFreeze(scenario) };
}

/**
 * Resolves the fault timeline: parses start, duration and latency, applies the defaults, and
 * checks that each target exists and suits its effect (an agent for agentCrash, a component that
 * serves requests for errors and latency, a service or database for capacityLoss) and that each
 * fault id is unique in the actor namespace, since it is the actor of the fault's events.
 * Collects problems; never throws.
 */
function resolveFaults(
  list: NonNullable<ScenarioFile["faults"]>,
  ctx: { ms: (text: string, path: Path) => number; problems: Unlocated[]; components: ReadonlyMap<string, ComponentSpec>; agentIds: string[]; actorIds: Map<string, Path>; runMs: number; runText: string },
): FaultSpec[] {
  const { ms, problems, components, agentIds } = ctx;
  const componentIds = [...components.keys()];
  // A duration the unit parser already rejected is reported once, not again as "not above 0".
  const positiveMs = (text: string, path: Path, what: string): number => {
    const before = problems.length;
    const value = ms(text, path);
    if (value <= 0 && problems.length === before) problems.push({ path, expected: `${what} longer than 0ms`, found: JSON.stringify(text) });
    return value;
  };
  return list.map((f, i): FaultSpec | null => {
    // Partitions have no target; resolve-partition.ts resolves them.
    if (f.effect === "partition") return null;
    const path: Path = ["faults", i];
    const earlier = ctx.actorIds.get(f.id);
    if (earlier) problems.push({ path: [...path, "id"], expected: "a unique id", found: JSON.stringify(f.id), hint: `${formatPathShort(earlier)} already uses this id; a fault's id is the actor of its events, so it must differ from every component, workload, agent and other fault id` });
    else ctx.actorIds.set(f.id, [...path, "id"]);

    const before = problems.length;
    const startMs = ms(f.start, [...path, "start"]);
    if (problems.length === before && ctx.runMs > 0 && startMs >= ctx.runMs) problems.push({ path: [...path, "start"], expected: `a start before the end of the run (duration ${ctx.runText})`, found: JSON.stringify(f.start), hint: "a fault that starts after the run never happens" });
    const durationMs = f.duration === undefined ? undefined : positiveMs(f.duration, [...path, "duration"], "a duration");
    const timing = { id: f.id, startMs, ...(durationMs !== undefined ? { durationMs } : {}), target: f.target };
    const targetPath: Path = [...path, "target"];

    if (f.effect === "agentCrash") {
      if (!agentIds.includes(f.target)) {
        const hint = components.has(f.target) ? `\`${f.target}\` is a component; agentCrash crashes an agent. To take a component down use \`effect: errors\` (rate 1 = outage) or \`capacityLoss\`` : hintFor(f.target, agentIds);
        problems.push({ path: targetPath, expected: `the id of an agent (${agentIds.length > 0 ? listed(agentIds) : "none defined"})`, found: JSON.stringify(f.target), hint });
      }
      return { ...timing, effect: "agentCrash", resume: f.resume ?? FAULT_DEFAULTS.resume };
    }

    const c = components.get(f.target);
    if (!c) {
      const hint = agentIds.includes(f.target) ? `\`${f.target}\` is an agent; only \`effect: agentCrash\` targets agents` : hintFor(f.target, componentIds);
      problems.push({ path: targetPath, expected: `the id of a component (${listed(componentIds)})`, found: JSON.stringify(f.target), hint });
    } else if (f.effect === "capacityLoss" && !CAPACITY_LOSS_KINDS.includes(c.kind)) {
      const hint = c.kind === "loadBalancer" || c.kind === "dnsRecord"
        ? `a ${c.kind} has no replicas; target one of its targets (${c.targets.join(", ")}), or use \`effect: errors\` on ${c.id}`
        : `only services and databases have replica capacity to lose; use \`effect: errors\` or \`latency\` on ${c.id}`;
      problems.push({ path: targetPath, expected: "a service or database (capacityLoss takes away replicas' capacity)", found: `${JSON.stringify(f.target)}, a ${c.kind}`, hint });
    } else if (f.effect === "crash" && !kindsAcceptingFault("crash").includes(c.kind)) {
      problems.push({ path: targetPath, expected: `a component with replicas that restart (${kindsAcceptingFault("crash").join(", ")})`, found: `${JSON.stringify(f.target)}, a ${c.kind}`, hint: "crash faults crash a service's or database's replicas; use `effect: errors` (rate 1 = outage) on other kinds" });
    } else if (f.effect === "leak") {
      if (!LEAK_KINDS.includes(c.kind)) problems.push({ path: targetPath, expected: `a component that can leak (${LEAK_KINDS.join(", ")})`, found: `${JSON.stringify(f.target)}, a ${c.kind}`, hint: "a leak fills a host's resources: target the host the component runs on (`runsOn`)" });
    } else if (!IMPAIRABLE_KINDS.includes(c.kind)) {
      const hint = c.kind === "clients" ? `clients make requests rather than serve them; impair the component they call (\`${c.target}\`)` : `a ${c.kind} serves no requests; impair a component that reads it instead`;
      problems.push({ path: targetPath, expected: `a component that serves requests (${IMPAIRABLE_KINDS.join(", ")})`, found: `${JSON.stringify(f.target)}, a ${c.kind}`, hint });
    }
    const ramps = resolveFaultRamps(f, path, durationMs, positiveMs, problems);
    const edge = f.effect === "errors" || f.effect === "latency" ? resolveEdge(f.from, f.target, path, components, problems) : {};
    const gated = f.when === undefined ? timing : { ...timing, when: resolveFaultGate(f.when.flag, [...path, "when", "flag"], components, problems) };
    switch (f.effect) {
      case "errors":
        return { ...gated, ...ramps, ...edge, effect: "errors", rate: f.rate ?? FAULT_DEFAULTS.errorsRate };
      case "latency":
        return { ...gated, ...ramps, ...edge, effect: "latency", addMs: positiveMs(f.add, [...path, "add"], "an added latency") };
      case "capacityLoss":
        return { ...gated, ...ramps, effect: "capacityLoss", fraction: f.fraction };
      case "crash":
        return { ...gated, effect: "crash", share: f.share ?? FAULT_DEFAULTS.crashShare, ...(f.after !== undefined ? { afterMs: positiveMs(f.after, [...path, "after"], "a crash period") } : {}) };
      case "leak":
        return { ...gated, effect: "leak", resource: f.resource, ratePerS: leakRate(f.resource, f.rate, [...path, "rate"], problems) };
    }
  }).filter((f): f is FaultSpec => f !== null);
}

/** A leak fault's rate in its resource's unit per second (`10Mi/s`, `5/s`), or 0 with a problem at `path`. */
function leakRate(resource: LeakableResource, text: string | number, path: Path, problems: Unlocated[]): number {
  try {
    const rate = parseResourceRate(resource, text, "rate");
    if (rate <= 0) problems.push({ path, expected: "a leak rate above 0", found: JSON.stringify(text) });
    return rate;
  } catch (e) {
    problems.push(fromInputError(e, path));
    return 0;
  }
}

/**
 * A component fault's ramps in milliseconds, only the fields the file sets (a fault without
 * ramps resolves exactly as before ramps existed). Checks that a ramp-down has a duration to end
 * before and that the ramps fit in it. Collects problems.
 */
function resolveFaultRamps(
  f: { rampUp?: string; rampDown?: string; rampShape?: "linear" | "exponential"; duration?: string },
  path: Path,
  durationMs: number | undefined,
  positiveMs: (text: string, path: Path, what: string) => number,
  problems: Unlocated[],
): FaultRamp {
  const ramps: FaultRamp = {};
  if (f.rampUp !== undefined) ramps.rampUpMs = positiveMs(f.rampUp, [...path, "rampUp"], "a ramp");
  if (f.rampDown !== undefined) {
    ramps.rampDownMs = positiveMs(f.rampDown, [...path, "rampDown"], "a ramp");
    if (durationMs === undefined) problems.push({ path: [...path, "rampDown"], expected: "a fault with a `duration` (a ramp-down ends at the fault's end)", found: JSON.stringify(f.rampDown), hint: "add `duration`, or drop `rampDown`" });
  }
  if (f.rampShape !== undefined) ramps.rampShape = f.rampShape;
  if (durationMs !== undefined && (ramps.rampUpMs ?? 0) + (ramps.rampDownMs ?? 0) > durationMs) {
    problems.push({ path: [...path, "rampUp"], expected: `rampUp + rampDown within the fault's duration (${f.duration})`, found: `${f.rampUp ?? "0s"} + ${f.rampDown ?? "0s"}`, hint: "shorten the ramps or lengthen the fault" });
  }
  return ramps;
}

/**
 * An edge fault's caller: `from` must be a component that calls `target` (its kind names its
 * callees). Returns `{ from }` when set, `{}` otherwise. Collects problems.
 */
function resolveEdge(from: string | undefined, target: string, path: Path, components: ReadonlyMap<string, ComponentSpec>, problems: Unlocated[]): { from?: string } {
  if (from === undefined) return {};
  const caller = components.get(from);
  const callers = [...components.values()].filter((c) => kindSpecOf(c.kind).downstream(c as never).includes(target)).map((c) => c.id);
  if (!caller) {
    problems.push({ path: [...path, "from"], expected: `the id of a component that calls ${target} (${callers.length > 0 ? listed(callers) : "none does"})`, found: JSON.stringify(from), hint: hintFor(from, callers) });
  } else if (!kindSpecOf(caller.kind).downstream(caller as never).includes(target)) {
    problems.push({ path: [...path, "from"], expected: `a component that calls ${target} (${callers.length > 0 ? listed(callers) : "none does"})`, found: `${JSON.stringify(from)}, which does not call it`, hint: "an edge fault sits on a dependency edge: `from` must list the target in its dependsOn or targets" });
  }
  return { from };
}

/**
 * A fault's `when.flag` (`<component>.<name>`, shape checked by the schema) as a gate, reporting
 * a component that does not exist or does not declare the flag. Pure apart from `problems`.
 */
function resolveFaultGate(text: string, path: Path, components: ReadonlyMap<string, ComponentSpec>, problems: Unlocated[]): FaultGate {
  const dot = text.indexOf(".");
  const gate = { component: text.slice(0, dot), flag: text.slice(dot + 1) };
  const c = components.get(gate.component);
  const declared = Object.keys(c?.flags ?? {});
  if (!c) problems.push({ path, expected: `a flag as <component>.<name> of a component (${listed([...components.keys()])})`, found: JSON.stringify(text), hint: hintFor(gate.component, [...components.keys()]) });
  else if (!declared.includes(gate.flag)) {
    problems.push({
      path,
      expected: declared.length > 0 ? `a flag of ${gate.component} (${listed(declared)})` : `a flag ${gate.component} declares`,
      found: JSON.stringify(text),
      hint: declared.length > 0 ? hintFor(gate.flag, declared) : `declare it on the component: \`flags: { ${gate.flag}: off }\``,
    });
  }
  return gate;
}

/** `spec` with the `flags` of its file entry resolved (`on`/true = true); unchanged when it declares none. Pure. */
function withFlags(spec: ComponentSpec, file: object): ComponentSpec {
  const flags = (file as { flags?: Record<string, boolean | "on" | "off"> }).flags;
  if (flags === undefined) return spec;
  const resolved: Record<string, boolean> = {};
  for (const name of Object.keys(flags)) resolved[name] = flags[name] === true || flags[name] === "on";
  return { ...spec, flags: resolved };
}

/** `spec` with the `labels` of its file entry; unchanged when it declares none. Pure. */
function withLabels(spec: ComponentSpec, file: object): ComponentSpec {
  const { labels, derived, healthRule } = file as { labels?: Record<string, string>; derived?: Record<string, string>; healthRule?: { unhealthyWhen: string } };
  return labels === undefined && derived === undefined && healthRule === undefined ? spec : { ...spec, ...(labels !== undefined ? { labels: { ...labels } } : {}), ...(derived !== undefined ? { derived: { ...derived } } : {}), ...(healthRule !== undefined ? { healthRule: { ...healthRule } } : {}) };
}

/**
 * Converts the `detectors:` section to detector options: durations to `...Ms`, counts as they
 * are; only the fields the file sets (detect() fills the rest from DETECTOR_DEFAULTS).
 */
function resolveDetectors(d: NonNullable<ScenarioFile["detectors"]>, ms: (text: string, path: Path) => number): Partial<DetectorOptions> {
  const out: Partial<DetectorOptions> = {};
  const duration = (text: string | undefined, key: string) => (text === undefined ? undefined : ms(text, ["detectors", key]));
  const values: Partial<DetectorOptions> = {
    thrashWindowMs: duration(d.thrashWindow, "thrashWindow"),
    thrashReversalsMin: d.thrashReversalsMin,
    oscillationWindowMs: duration(d.oscillationWindow, "oscillationWindow"),
    oscillationReversalsMin: d.oscillationReversalsMin,
    flapWindowMs: duration(d.flapWindow, "flapWindow"),
    healthFlipsMin: d.healthFlipsMin,
    configReturnsMin: d.configReturnsMin,
    cascadeDepthMin: d.cascadeDepthMin,
    causalSearchMax: d.causalSearchMax,
    retryAmplificationMin: d.retryAmplificationMin,
    retryStormPersistMs: duration(d.retryStormPersist, "retryStormPersist"),
    intentWindowMs: duration(d.intentWindow, "intentWindow"),
  };
  for (const [key, value] of Object.entries(values) as [keyof DetectorOptions, number | undefined][]) if (value !== undefined) out[key] = value;
  return out;
}

/** Converts the coordination section's durations and checks agent references. */
function resolveCoordination(c: ScenarioFile["coordination"], agentIds: string[], components: ComponentSpec[], ms: (text: string, path: Path) => number, problems: Unlocated[], groups?: readonly GroupSpec[]): CoordinationSpec {
  if (!c) return {};
  const agent = (id: string, path: Path) => {
    if (!agentIds.includes(id)) problems.push({ path, expected: `the id of an agent (${agentIds.length > 0 ? listed(agentIds) : "none defined"})`, found: JSON.stringify(id), hint: hintFor(id, agentIds) });
  };
  // A pattern that matches no knob guards nothing: almost always a typo. Documents
  // (`store.document`) go through the same policies; their names are open, so any pattern
  // that can match under a document store is accepted.
  const knobKeys = components.flatMap((k) => (knobsOf(k) ?? []).map((name) => `${k.id}.${name}`));
  const stores = components.filter((k) => k.kind === "documentStore").map((k) => `${k.id}.`);
  const knobs = (patterns: readonly string[], path: Path) => {
    patterns.forEach((p, i) => {
      if (knobKeys.some((key) => knobMatcher([p]).matches(key))) return;
      if (stores.some((s) => p.startsWith(s) || (p.includes("*") && s.startsWith(p.split("*")[0])))) return;
      const guess = closest(p, knobKeys);
      problems.push({ path: [...path, i], expected: "a knob pattern that matches a knob of the components", found: `${JSON.stringify(p)}, which matches none`, hint: guess ? `did you mean \`${guess}\`? (knobs: ${knobsListed(knobKeys)})` : `the components' knobs are ${knobsListed(knobKeys)}` });
    });
  };
  if (c.authorization) for (const [a, patterns] of Object.entries(c.authorization)) knobs(patterns, ["coordination", "authorization", a]);
  for (const rule of ["lease", "compareAndSet", "cooldown", "approval", "stagedRollout"] as const) {
    const r = c[rule];
    if (r?.knobs) knobs(r.knobs, ["coordination", rule, "knobs"]);
  }
  c.velocity?.forEach((v, i) => knobs(v.knobs, ["coordination", "velocity", i, "knobs"]));
  const out: CoordinationSpec = {};
  if (c.authorization) {
    for (const a of Object.keys(c.authorization)) agent(a, ["coordination", "authorization", a]);
    out.authorization = c.authorization;
  }
  const leaseTtlMs = c.lease ? ms(c.lease.ttl ?? DEFAULTS.coordination.leaseTtl, ["coordination", "lease", "ttl"]) : 0;
  if (c.lease?.knobs) {
    if (c.lease.holder) agent(c.lease.holder, ["coordination", "lease", "holder"]);
    out.lease = { knobs: c.lease.knobs, ttlMs: leaseTtlMs, holder: c.lease.holder };
  }
  if (c.compareAndSet) out.compareAndSet = { knobs: c.compareAndSet.knobs, requireVersion: c.compareAndSet.requireVersion ?? false };
  if (c.cooldown) out.cooldown = { knobs: c.cooldown.knobs, cooldownMs: ms(c.cooldown.cooldown, ["coordination", "cooldown", "cooldown"]) };
  if (c.velocity) out.velocity = c.velocity.map((v, i) => ({ knobs: v.knobs, maxChange: v.maxChange, windowMs: ms(v.window, ["coordination", "velocity", i, "window"]), direction: v.direction ?? "both", ...(v.onExceed ? { onExceed: v.onExceed } : {}) }));
  if (c.approval) out.approval = { knobs: c.approval.knobs, reviewDelayMs: ms(c.approval.reviewDelay, ["coordination", "approval", "reviewDelay"]), maxRelativeChange: c.approval.maxRelativeChange ?? Infinity };
  if (c.idempotency) out.idempotency = true;
  if (c.intents) out.intents = true;
  if (c.validation) out.validation = { ...c.validation };
  if (c.stagedRollout) {
    const stages = [...(c.stagedRollout.stages ?? DEFAULTS.stagedRollout.stages)];
    const ascending = stages.every((s, i) => i === 0 || s > stages[i - 1]);
    if (!ascending || stages[stages.length - 1] !== 100) problems.push({ path: ["coordination", "stagedRollout", "stages"], expected: "ascending percents ending at 100", found: JSON.stringify(stages), hint: "e.g. `stages: [1, 10, 100]`" });
    out.stagedRollout = { knobs: c.stagedRollout.knobs, stages, bakeMs: ms(c.stagedRollout.bake, ["coordination", "stagedRollout", "bake"]), lkg: [...(c.stagedRollout.lkg ?? [])] };
  }
  if (c.veto) out.veto = resolveVeto(c.veto, { components, ms, knobs, problems, ...(groups ? { groups } : {}) });
  Object.assign(out, resolveGroupCoordination(c, leaseTtlMs, { agentIds, componentIds: components.map((k) => k.id), knobKeys, ms, knobs, agent, problems, ...(groups ? { groups } : {}) }));
  return out;
}

function knobsListed(items: string[], max = 8): string {
  return items.length === 0 ? "none (no component has knobs)" : listed(items, max);
}

function formatPathShort(path: Path): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").replace(/^\./, "");
}

function fromInputError(e: unknown, path: Path): Unlocated {
  if (e instanceof InputError) return { path, expected: e.expected, found: e.found, hint: e.hint };
  throw e;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
