// The names of the signals every component derives each step, and of its knobs.

/**
 * Signals derived each step. Latencies are end-to-end (own queueing plus dependencies).
 * `available` is the share of the component able to serve: 1 or 0 for a DNS record (does its
 * authoritative answer resolve), the share of in-service weight for a load balancer, the share
 * of replicas serving for servers (below 1 only while a CPU resize restarts a pod).
 * `cpuUtilization` is per-pod CPU usage / CPU request for servers with a CPU model (what the
 * Kubernetes HPA reads), else 0. `degraded` is the share of a config consumer's requests served
 * with wrong output (a group degrading on a bad config), else 0.
 */
export const SIGNAL_NAMES = [
  "loadRps",
  "utilization",
  "latencyMsP50",
  "latencyMsP95",
  "latencyMsP99",
  "errorRate",
  "costPerHour",
  "healthy",
  "replicas",
  "available",
  "cpuUtilization",
  "amplification",
  "degraded",
] as const;

/**
 * Signals sampled only in runs where a component asks for them (ComponentKind.optionalSignals),
 * after the SIGNAL_NAMES columns, so runs that use none keep their telemetry (and its digest in
 * the last record) unchanged. `sentRps`: attempts a clients component sent (first attempts and
 * retries); `retriedRps`: the retries among them; `breakerState`: its circuit breaker, 0 closed,
 * 0.5 half-open, 1 open. `concurrency`, `poolUtilization`, `queueLength`: a server's worker pool
 * (workers busy, busy / workers, requests waiting for a worker; docs/model.md "Worker pools").
 * `cpuUsage`, `memoryUsage`, `fdUsage`, `threadUsage`: a host's usage of each resource it limits /
 * the limit (kinds/host; 0 for a resource it does not limit).
 */
export const OPTIONAL_SIGNAL_NAMES = [
  "sentRps", "retriedRps", "breakerState", // clients with a concurrency limit or a circuit breaker
  "concurrency", "poolUtilization", "queueLength", // servers with a `pool`
  "crashedReplicas", "coldStartingReplicas", "restarts", "coldStartRps", // servers with `restart` or `coldStart` (docs/model.md#crash-restart-and-cold-start)
  "cpuUsage", "memoryUsage", "fdUsage", "threadUsage", // hosts
  // Capacity lifecycle (docs/model.md#capacity-that-arrives-late-or-never): servers' replicas by stage, a provisioner's jobs.
  "pendingReplicas", "bootingReplicas", "readyReplicas", "drainingReplicas", "queuedJobs", "runningJobs",
] as const;

export type SignalName = (typeof SIGNAL_NAMES)[number] | (typeof OPTIONAL_SIGNAL_NAMES)[number];

/** Every signal name, sampled always or only when used: what guards, values and thresholds may read (an optional signal reads 0 on a component that does not set it). */
export const ALL_SIGNAL_NAMES: readonly SignalName[] = [...SIGNAL_NAMES, ...OPTIONAL_SIGNAL_NAMES];

const SIGNAL_SET: ReadonlySet<string> = new Set(ALL_SIGNAL_NAMES);

/** True when `name` is a signal name. Pure. */
export function isSignalName(name: string): name is SignalName {
  return SIGNAL_SET.has(name);
}

/** Knob name of a load balancer's weight for `target`. */
export function weightKnob(target: string): string {
  return `weight.${target}`;
}
