// The file format of the `provisioner` kind (a cloud or cluster control plane): its YAML fields,
// its resolved spec and the resolver applying its defaults and bounds. Pure data.
import { z } from "zod";
import { RATE_RPS_MAX } from "../../../scenario/budgets.js";
import { componentId, duration, health, id, rate, type HealthSpec } from "../../../scenario/fields.js";
import type { KindSpec } from "../../../scenario/kind-spec.js";
import type { Path, ResolveTools } from "../../../scenario/resolve-tools.js";

/** Most tokens a bucket holds, jobs running at once, or calls one job or command makes. */
export const PROVISIONER_COUNT_MAX = 1_000_000_000;
/** Longest job duration and timeout (30 days): far beyond any real provisioning, far from overflow. */
export const PROVISIONER_DURATION_MS_MAX = 30 * 24 * 3_600_000;

/** Defaults of a provisioner (gathered into resolve.ts DEFAULTS through the registry). */
export const PROVISIONER_DEFAULTS = {
  provisioner: { maxConcurrentJobs: 10, jobDuration: "60s", jobTimeout: "10m", callsPerJob: 1 },
  provisionerQuota: { rate: "10/s", burst: 20 },
} as const;

/** A provisioner as written. */
export const provisionerSchema = z.strictObject({
  id: componentId,
  kind: z.literal("provisioner").describe("A cloud or cluster control plane: runs the jobs that add replicas to servers naming it (`provisioner: <id>`), at most maxConcurrentJobs at a time, behind an API rate quota shared by those jobs and the agents listed in `agentCalls` (docs/model.md#provisioner)."),
  maxConcurrentJobs: z.int().min(1).max(PROVISIONER_COUNT_MAX).optional().describe("Jobs (one per replica asked for) running at once; the rest wait in one FIFO queue. Default 10."),
  jobDuration: duration.optional().describe("How long a job runs before its replica exists and starts booting, a duration above 0. Default `60s`."),
  jobTimeout: duration.optional().describe("A job not finished this long after it was submitted fails (queued or running): its replica never arrives and the server asks again. A duration above 0. Default `10m`."),
  callsPerJob: z.int().min(1).max(PROVISIONER_COUNT_MAX).optional().describe("API calls a job's launch makes, taken from the quota all at once (the launch waits until the bucket holds them); at most `apiQuota.burst`. Default 1."),
  apiQuota: z.strictObject({
    rate: rate.describe("Tokens (API calls) the bucket gains per second, e.g. `10/s`."),
    burst: z.int().min(1).max(PROVISIONER_COUNT_MAX).optional().describe("Most tokens the bucket holds, and its level at the start. Default 20."),
  }).optional().describe("The API rate quota: a token bucket shared by every job launch and every agent in `agentCalls`. Default `{ rate: 10/s, burst: 20 }`."),
  agentCalls: z.record(id, z.int().min(0).max(PROVISIONER_COUNT_MAX)).optional().describe("Agent id -> API calls each of its applied commands makes on this provisioner, one after another: a command the quota cannot fully admit fails (`command.rejected`, policy `apiQuota`) and the calls made before the throttle stay spent. Default: none (agents cost nothing)."),
  health,
}).describe("A provisioner: a control plane with a job limit and an API rate quota (docs/model.md#provisioner).");

/** A provisioner as written (before units are parsed and defaults applied). */
export type ProvisionerFile = z.infer<typeof provisionerSchema>;

/** A provisioner: a job queue and a token bucket (sim/model/kinds/provisioner/control-plane.ts). */
export interface ProvisionerSpec {
  id: string;
  kind: "provisioner";
  maxConcurrentJobs: number;
  jobDurationMs: number;
  jobTimeoutMs: number;
  callsPerJob: number;
  rateRps: number;
  burst: number;
  /** Agent id -> API calls per applied command. */
  agentCalls: Readonly<Record<string, number>>;
  health: HealthSpec;
}

/** Resolves a provisioner: durations above 0 and within 30 days, a rate within the budget, callsPerJob within burst. */
export function resolveProvisioner(c: ProvisionerFile, path: Path, t: ResolveTools): ProvisionerSpec {
  const d = PROVISIONER_DEFAULTS.provisioner;
  const q = PROVISIONER_DEFAULTS.provisionerQuota;
  const boundedMs = (field: "jobDuration" | "jobTimeout"): number => {
    const before = t.problems.length;
    const v = t.ms(c[field] ?? d[field], [...path, field]);
    if (t.problems.length === before && (v <= 0 || v > PROVISIONER_DURATION_MS_MAX)) t.problems.push({ path: [...path, field], expected: "a duration longer than 0ms and at most 30 days", found: JSON.stringify(c[field]) });
    return Math.min(PROVISIONER_DURATION_MS_MAX, Math.max(1, v));
  };
  const ratePath = [...path, "apiQuota", "rate"];
  const rateRps = t.rps(c.apiQuota?.rate ?? q.rate, ratePath);
  if (!(rateRps > 0 && rateRps <= RATE_RPS_MAX)) t.problems.push({ path: ratePath, expected: `a rate above 0 and at most ${RATE_RPS_MAX.toLocaleString("en-US")}/s`, found: JSON.stringify(c.apiQuota?.rate) });
  const burst = c.apiQuota?.burst ?? q.burst;
  const callsPerJob = c.callsPerJob ?? d.callsPerJob;
  if (callsPerJob > burst) t.problems.push({ path: [...path, "callsPerJob"], expected: `at most apiQuota.burst (${burst}): a launch takes its calls at once`, found: String(callsPerJob), hint: "a launch larger than the bucket would never start; raise burst or lower callsPerJob" });
  return {
    id: c.id,
    kind: "provisioner",
    maxConcurrentJobs: c.maxConcurrentJobs ?? d.maxConcurrentJobs,
    jobDurationMs: boundedMs("jobDuration"),
    jobTimeoutMs: boundedMs("jobTimeout"),
    callsPerJob,
    rateRps: Math.min(RATE_RPS_MAX, Math.max(Number.MIN_VALUE, rateRps)),
    burst,
    agentCalls: { ...(c.agentCalls ?? {}) },
    health: t.health(c.health, [...path, "health"]),
  };
}

/** The spec module of `provisioner`: it sends load nowhere; the agents it bills must exist. */
export const provisionerKind: KindSpec<typeof provisionerSchema, ProvisionerSpec, typeof PROVISIONER_DEFAULTS> = {
  kinds: ["provisioner"],
  schema: provisionerSchema,
  defaults: PROVISIONER_DEFAULTS,
  resolve: resolveProvisioner,
  references: () => {},
  downstream: () => [],
  agentsUsed: (s, path) => Object.keys(s.agentCalls).map((agent) => ({ agent, path: [...path, "agentCalls", agent] })),
};
