// The file format of the `host` kind (a node with resource limits) and of the fields a component
// running on a host carries (`runsOn`, `uses`): their YAML fields, resolved specs and resolvers.
// Pure data.
import { z } from "zod";
import { checkedBy } from "../../../scenario/checked-by.js";
import { componentId, duration, health, id, type HealthSpec } from "../../../scenario/fields.js";
import type { KindSpec } from "../../../scenario/kind-spec.js";
import type { Path, ResolveTools } from "../../../scenario/resolve-tools.js";
import { HOST_RESOURCES, parseAmount, type HostResource } from "./units.js";

/** Defaults of a host (gathered into resolve.ts DEFAULTS through the registry). */
export const HOST_DEFAULTS = {
  host: { restart: "30s" },
} as const;

const amount = (resource: HostResource) => z.union([z.string(), z.number()]).superRefine(checkedBy((v) => parseAmount(resource, v)));

/** The `resources` of a host as written: any subset of the four limits, at least one. */
const resourcesSchema = z
  .strictObject({
    cpu: amount("cpu").optional().describe("CPU the host has: millicores (`4000m`) or cores (`4`). Requests needing CPU beyond it are shed. Default: not limited."),
    memory: amount("memory").optional().describe("Memory the host has: `16Gi`, `512Mi` (powers of 1024), `500M` (powers of 1000) or bytes. Usage reaching it OOM-kills everything on the host. Default: not limited."),
    fileDescriptors: amount("fileDescriptors").optional().describe("File descriptors the host allows (a whole number). Requests needing descriptors beyond it fail. Default: not limited."),
    threads: amount("threads").optional().describe("Threads the host allows (a whole number). Requests needing threads beyond it fail. Default: not limited."),
  })
  .describe("The host's resource limits (any subset, at least one); usage of each is derived every step from what runs on it (docs/model.md#host).");

/** A `host` component as written. */
export const hostSchema = z.strictObject({
  id: componentId,
  kind: z.literal("host").describe("A node with resource limits (CPU, memory, file descriptors, threads) that components run on (`runsOn`); when a resource is exhausted everything on it fails (docs/model.md#host)."),
  resources: resourcesSchema,
  restart: duration.optional().describe("How long the processes on the host serve nothing after an OOM kill (memory exhausted) before they are back. Default `30s`."),
  health,
}).describe("A node with resource limits that components run on (docs/model.md#host).");

/** A host as written (before units are parsed and defaults applied). */
export type HostFile = z.infer<typeof hostSchema>;

/** A host's limits in their units (millicores, bytes, counts); absent = not limited. */
export type HostLimits = Partial<Record<HostResource, number>>;

/** A node with resource limits that components run on (sim/model/kinds/host/model.ts). */
export interface HostSpec {
  id: string;
  kind: "host";
  limits: HostLimits;
  /** How long the processes on it are down after an OOM kill. */
  restartMs: number;
  health: HealthSpec;
}

/** Resolves a host: limits parsed to their units, at least one, restart above 0. */
export function resolveHost(c: HostFile, path: Path, t: ResolveTools): HostSpec {
  const limits: HostLimits = {};
  for (const r of HOST_RESOURCES) {
    const v = c.resources[r];
    if (v === undefined) continue;
    limits[r] = parseAmount(r, v);
    if (limits[r]! <= 0) t.problems.push({ path: [...path, "resources", r], expected: `a ${r} limit above 0`, found: JSON.stringify(v), hint: "leave the resource out to not limit it" });
  }
  if (Object.keys(limits).length === 0) t.problems.push({ path: [...path, "resources"], expected: `at least one of ${HOST_RESOURCES.join(", ")}`, found: "{}", hint: "e.g. `resources: { memory: 16Gi }`" });
  const restartText = c.restart ?? HOST_DEFAULTS.host.restart;
  const before = t.problems.length;
  const restartMs = t.ms(restartText, [...path, "restart"]);
  if (restartMs <= 0 && t.problems.length === before) t.problems.push({ path: [...path, "restart"], expected: "a restart time above 0ms", found: JSON.stringify(restartText) });
  return { id: c.id, kind: "host", limits, restartMs, health: t.health(c.health, [...path, "health"]) };
}

/** The spec module of `host`: it names no other component and sends no load (its residents send load to it). */
export const hostKind: KindSpec<typeof hostSchema, HostSpec, typeof HOST_DEFAULTS> = {
  kinds: ["host"],
  schema: hostSchema,
  defaults: HOST_DEFAULTS,
  resolve: resolveHost,
  references: () => {},
  downstream: () => [],
};

// ---- What a component running on a host declares (services and databases: `runsOn`, `uses`) ----

/** `runsOn`: the host a component runs on. */
export const runsOnField = id
  .optional()
  .describe("The id of the `host` this component runs on: it uses the host's resources (`uses`) and fails with it when a resource is exhausted (docs/model.md#host). Default: no host.");

/** `uses`: what one component takes of its host's resources. */
export const usesField = z
  .strictObject({
    cpuPerRequest: duration.optional().describe("CPU time one served request costs on the host, e.g. `5ms` (5 millicores per request per second). Default 0."),
    cpuPerReplica: amount("cpu").optional().describe("CPU each replica takes when idle: `100m` or cores. Default 0."),
    memoryPerReplica: amount("memory").optional().describe("Memory each replica holds, e.g. `512Mi`. Default 0."),
    memoryPerInFlight: amount("memory").optional().describe("Memory each request in flight holds, e.g. `1Mi` (in flight = served rate x p50 latency, Little's law). Default 0."),
    fileDescriptorsPerReplica: amount("fileDescriptors").optional().describe("File descriptors each replica holds open (listeners, files, pools). Default 0."),
    fileDescriptorsPerInFlight: amount("fileDescriptors").optional().describe("File descriptors each request in flight holds (its connections). Default 0."),
    threadsPerReplica: amount("threads").optional().describe("Threads each replica runs. Default 0."),
    threadsPerInFlight: amount("threads").optional().describe("Threads each request in flight holds (1 for a thread-per-request server). Default 0."),
  })
  .optional()
  .describe("What the component takes of its host's resources: per replica, per served request (CPU) and per request in flight (Little's law: served rate x p50 latency). Needs `runsOn`. Default: nothing.");

/** What one component takes of its host, in the resources' units (millicores, bytes, counts). */
export interface HostUsage {
  cpuMsPerRequest: number;
  cpuMillicoresPerReplica: number;
  memoryBytesPerReplica: number;
  memoryBytesPerInFlight: number;
  fileDescriptorsPerReplica: number;
  fileDescriptorsPerInFlight: number;
  threadsPerReplica: number;
  threadsPerInFlight: number;
}

/** The `runsOn` and `uses` of a resident component, resolved. */
export interface ResidentSpec {
  runsOn?: string;
  uses?: HostUsage;
}

/**
 * Resolves `runsOn` and `uses` of a component at `path` (only the fields it sets, so a component
 * without a host resolves as before); `uses` without `runsOn` is a problem. Pure apart from `t`.
 */
export function resolveResident(c: { runsOn?: string; uses?: z.infer<typeof usesField> }, path: Path, t: Pick<ResolveTools, "ms" | "problems">): ResidentSpec {
  if (c.uses !== undefined && c.runsOn === undefined) t.problems.push({ path: [...path, "uses"], expected: "`runsOn: <host id>` next to it", found: "uses without runsOn", hint: "a component uses the resources of the host it runs on" });
  if (c.runsOn === undefined) return {};
  const u = c.uses ?? {};
  const n = (r: HostResource, v: string | number | undefined) => (v === undefined ? 0 : parseAmount(r, v));
  const uses: HostUsage = {
    cpuMsPerRequest: u.cpuPerRequest === undefined ? 0 : t.ms(u.cpuPerRequest, [...path, "uses", "cpuPerRequest"]),
    cpuMillicoresPerReplica: n("cpu", u.cpuPerReplica),
    memoryBytesPerReplica: n("memory", u.memoryPerReplica),
    memoryBytesPerInFlight: n("memory", u.memoryPerInFlight),
    fileDescriptorsPerReplica: n("fileDescriptors", u.fileDescriptorsPerReplica),
    fileDescriptorsPerInFlight: n("fileDescriptors", u.fileDescriptorsPerInFlight),
    threadsPerReplica: n("threads", u.threadsPerReplica),
    threadsPerInFlight: n("threads", u.threadsPerInFlight),
  };
  return { runsOn: c.runsOn, uses };
}
