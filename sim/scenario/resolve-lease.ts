// Resolves the NLB health-checker agent of a scenario file: parses units, applies the defaults
// resolve.ts includes in DEFAULTS, and reports problems. (The DWFM leaseTable component is
// resolved by its kind's spec module, sim/model/kinds/lease-table/spec.ts.) Pure.
import type { HealthCheckerAgentSpec } from "./types.js";
import type { AgentFile } from "./schema.js";
import { agentPeriodMs, type Path, type ResolveTools } from "./resolve-tools.js";

/** Defaults of the healthChecker agent (part of resolve.ts DEFAULTS). */
export const LEASE_DEFAULTS = {
  healthChecker: { errorRateMax: 0.05, latencyP95Max: "500ms", failuresToRemove: 3, successesToReturn: 3, failover: true, probeInterval: "10s" },
} as const;

/** Resolves a healthChecker agent (its target is checked to be a loadBalancer by resolve.ts). */
export function resolveHealthChecker(a: Extract<AgentFile, { kind: "healthChecker" }>, path: Path, t: ResolveTools): HealthCheckerAgentSpec {
  const d = LEASE_DEFAULTS.healthChecker;
  return {
    id: a.id,
    kind: "healthChecker",
    target: a.target,
    errorRateMax: a.errorRateMax ?? d.errorRateMax,
    latencyMsP95Max: t.ms(a.latencyP95Max ?? d.latencyP95Max, [...path, "latencyP95Max"]),
    failuresToRemove: a.failuresToRemove ?? d.failuresToRemove,
    successesToReturn: a.successesToReturn ?? d.successesToReturn,
    failover: a.failover ?? d.failover,
    evaluationPeriodMs: agentPeriodMs(t, a.probeInterval ?? d.probeInterval, [...path, "probeInterval"], d.probeInterval),
  };
}
