// The file format of the `leaseTable` kind (EC2's DropletWorkflow Manager): its YAML fields, its
// resolved spec and the resolver applying its defaults (durations above 0). Pure data.
import { z } from "zod";
import { componentId, dependency, duration, health, resolveDependencies, type DependencySpec, type HealthSpec } from "../../../scenario/fields.js";
import type { KindSpec } from "../../../scenario/kind-spec.js";
import type { Path, ResolveTools } from "../../../scenario/resolve-tools.js";

/** Defaults of a lease table (gathered into resolve.ts DEFAULTS through the registry). */
export const LEASE_TABLE_DEFAULTS = {
  leaseTable: { leases: 10_000, leaseDuration: "5m", workers: 16, workPerLease: "50ms", jobTimeout: "30s", queueLimit: 0 },
} as const;

/** A lease table with a work queue (DWFM); see docs/model.md. */
export const leaseTableSchema = z.strictObject({
  id: componentId,
  kind: z.literal("leaseTable").describe("A lease table with a work queue (EC2's DropletWorkflow Manager); its load is its own renewals, workloads aimed at it are ignored."),
  leases: z.int().min(1).optional().describe("Number of leases. Default 10000."),
  leaseDuration: duration.optional().describe("How long a renewed or re-leased lease lasts, a duration above 0. Default `5m`."),
  workers: z.int().min(1).optional().describe("Workers serving the job queue. Default 16."),
  workPerLease: duration.optional().describe("Work time one job takes one worker, a duration above 0. Default `50ms`."),
  jobTimeout: duration.optional().describe("A requester gives up on a job this long after queueing it and queues a new one (the old job is still processed, for nothing); a duration above 0. Default `30s`."),
  /** Admission control: queued jobs beyond this are turned away; absent or 0 = no limit. */
  queueLimit: z.int().min(0).optional().describe("Admission control (knob `queueLimit`): jobs beyond this many queued are turned away; 0 = no limit. Default 0."),
  dependsOn: z.array(dependency).optional().describe("Components every processed job calls; a job succeeds with their success rate of the previous step. Default: none."),
  health,
}).describe("A lease table with a work queue (docs/model.md).");

/** A lease table as written (before units are parsed and defaults applied). */
export type LeaseTableFile = z.infer<typeof leaseTableSchema>;

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

/** Resolves a leaseTable component; durations must be above 0. */
export function resolveLeaseTable(c: LeaseTableFile, path: Path, t: ResolveTools): LeaseTableSpec {
  const d = LEASE_TABLE_DEFAULTS.leaseTable;
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
    dependsOn: resolveDependencies(c.dependsOn),
    health: t.health(c.health, [...path, "health"]),
  };
}

/** The spec module of `leaseTable`: every dependency must be a component. */
export const leaseTableKind: KindSpec<typeof leaseTableSchema, LeaseTableSpec, typeof LEASE_TABLE_DEFAULTS> = {
  kinds: ["leaseTable"],
  schema: leaseTableSchema,
  defaults: LEASE_TABLE_DEFAULTS,
  resolve: resolveLeaseTable,
  references: (s, path, reference) => s.dependsOn.forEach((d, j) => reference(d.id, [...path, "dependsOn", j])),
  downstream: (s) => s.dependsOn.map((d) => d.id),
};
