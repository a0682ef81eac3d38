// Resolves the DWFM/NLB kinds of a scenario file (the leaseTable component and the healthChecker
// agent): parses units, applies the defaults resolve.ts includes in DEFAULTS, and reports
// problems. Reference checks stay in resolve.ts with the other kinds'. Pure.
import type { HealthCheckerAgentSpec, LeaseTableSpec } from "./types.js";
import type { AgentFile, ComponentFile, Path, ResolveTools } from "./resolve-tools.js";

/** Defaults of the leaseTable component and the healthChecker agent (part of resolve.ts DEFAULTS). */
export const LEASE_DEFAULTS = {
  leaseTable: { leases: 10_000, leaseDuration: "5m", workers: 16, workPerLease: "50ms", jobTimeout: "30s", queueLimit: 0 },
  healthChecker: { errorRateMax: 0.05, latencyP95Max: "500ms", failuresToRemove: 3, successesToReturn: 3, failover: true, probeInterval: "10s" },
} as const;

/** Resolves a leaseTable component; durations must be above 0. */
export function resolveLeaseTable(c: Extract<ComponentFile, { kind: "leaseTable" }>, path: Path, t: ResolveTools): LeaseTableSpec {
  const d = LEASE_DEFAULTS.leaseTable;
  const positiveMs = (field: "leaseDuration" | "workPerLease" | "jobTimeout"): number => {
    const v = t.ms(c[field] ?? d[field], [...path, field]);
    if (v <= 0) t.problems.push({ path: [...path, field], expected: "a duration longer than 0ms", found: JSON.stringify(c[field]) });
    return Math.max(1, v);
  };
  return {
    id: c.id,
    kind: "leaseTable",
    leases: c.leases ?? d.leases,
    leaseDurationMs: positiveMs("leaseDuration"),
    workers: c.workers ?? d.workers,
    workPerLeaseMs: positiveMs("workPerLease"),
    jobTimeoutMs: positiveMs("jobTimeout"),
    queueLimit: c.queueLimit ?? d.queueLimit,
    dependsOn: (c.dependsOn ?? []).map((dep) => (typeof dep === "string" ? { id: dep, callsPerRequest: 1 } : { id: dep.id, callsPerRequest: dep.callsPerRequest ?? 1 })),
    health: t.health(c.health, [...path, "health"]),
  };
}

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
    evaluationPeriodMs: Math.max(1, t.ms(a.probeInterval ?? d.probeInterval, [...path, "probeInterval"])),
  };
}
