// The names of the signals every component derives each step, and of its knobs.

/**
 * Signals derived each step. Latencies are end-to-end (own queueing plus dependencies).
 * `available` is the share of the component able to serve: 1 or 0 for a DNS record (does its
 * authoritative answer resolve), the share of in-service weight for a load balancer, 1 for
 * servers with replicas.
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
] as const;

export type SignalName = (typeof SIGNAL_NAMES)[number];

const SIGNAL_SET: ReadonlySet<string> = new Set(SIGNAL_NAMES);

/** True when `name` is a signal name. Pure. */
export function isSignalName(name: string): name is SignalName {
  return SIGNAL_SET.has(name);
}

/** Knob name of a load balancer's weight for `target`. */
export function weightKnob(target: string): string {
  return `weight.${target}`;
}
