// A host's resource usage and what its exhaustion does, as pure arithmetic: each resident adds a
// fixed part (per replica) and a request-driven part (per served request for CPU, per request in
// flight by Little's law for memory, file descriptors and threads); leaks add to the fixed part.
// Memory reaching its limit is an OOM kill; CPU, descriptors and threads beyond their limits fail
// the excess share of the requests that need them. docs/model.md#host has the equations.
import type { HostLimits, HostUsage } from "./spec.js";
import { HOST_RESOURCES, type HostResource } from "./units.js";

/** Demand of one resource on a host: what is held whatever the load, and what requests drive. */
export interface Demand {
  fixed: number;
  perRequest: number;
}

/** Demand of every resource, in HOST_RESOURCES order. */
export type Demands = Record<HostResource, Demand>;

/** A zero demand for every resource. */
export function emptyDemands(): Demands {
  return { cpu: { fixed: 0, perRequest: 0 }, memory: { fixed: 0, perRequest: 0 }, fileDescriptors: { fixed: 0, perRequest: 0 }, threads: { fixed: 0, perRequest: 0 } };
}

/** What the host reads of one resident each step. */
export interface ResidentFigures {
  replicas: number;
  /** Requests per second it served this step. */
  servedRps: number;
  /** Its end-to-end p50 latency (ms) of the previous step: how long a request stays in flight. */
  latencyMsP50: number;
  uses: HostUsage;
}

/**
 * Adds one resident's demand to `out` (mutates it). In flight = servedRps x p50 / 1000 (Little's
 * law, the p50 standing for the mean); CPU millicores = servedRps x cpuMsPerRequest (a request of
 * c ms at r/s keeps r x c / 1000 cores busy). Negative inputs count as 0. Pure apart from `out`.
 */
export function addResidentDemand(out: Demands, r: ResidentFigures): void {
  const replicas = Math.max(0, r.replicas);
  const served = Math.max(0, r.servedRps);
  const inFlight = (served * Math.max(0, r.latencyMsP50)) / 1000;
  const u = r.uses;
  out.cpu.fixed += replicas * u.cpuMillicoresPerReplica;
  out.cpu.perRequest += served * u.cpuMsPerRequest;
  out.memory.fixed += replicas * u.memoryBytesPerReplica;
  out.memory.perRequest += inFlight * u.memoryBytesPerInFlight;
  out.fileDescriptors.fixed += replicas * u.fileDescriptorsPerReplica;
  out.fileDescriptors.perRequest += inFlight * u.fileDescriptorsPerInFlight;
  out.threads.fixed += replicas * u.threadsPerReplica;
  out.threads.perRequest += inFlight * u.threadsPerInFlight;
}

/**
 * Share of the requests needing a resource that fail when its usage is over `limit`: the excess
 * over the request-driven demand, `min(1, (fixed + perRequest - limit) / perRequest)`; 0 at or
 * under the limit (or without one); 1 when the fixed part alone is over it. Pure.
 */
export function excessShare(d: Demand, limit: number | undefined): number {
  if (limit === undefined) return 0;
  const usage = d.fixed + d.perRequest;
  if (usage <= limit) return 0;
  if (d.perRequest <= 0 || d.fixed >= limit) return 1;
  return Math.min(1, (usage - limit) / d.perRequest);
}

/** One step's verdict on a host. */
export interface HostVerdict {
  /** Usage of each resource in its unit. */
  usage: Record<HostResource, number>;
  /** True when memory usage reached the limit (an OOM kill starts this step). */
  oom: boolean;
  /** Share of requests failing for want of CPU, descriptors or threads: 1 - prod(1 - excess share). */
  errorRate: number;
}

/**
 * Usage per resource and what it does: OOM when memory usage >= its limit, else the composed
 * excess shares of CPU, file descriptors and threads. Pure.
 */
export function judgeHost(d: Demands, limits: HostLimits): HostVerdict {
  const usage = { cpu: 0, memory: 0, fileDescriptors: 0, threads: 0 };
  for (const r of HOST_RESOURCES) usage[r] = d[r].fixed + d[r].perRequest;
  const oom = limits.memory !== undefined && usage.memory >= limits.memory;
  const ok = (1 - excessShare(d.cpu, limits.cpu)) * (1 - excessShare(d.fileDescriptors, limits.fileDescriptors)) * (1 - excessShare(d.threads, limits.threads));
  return { usage, oom, errorRate: 1 - ok };
}
