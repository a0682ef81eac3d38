// The optional CPU model of a server: each request costs CPU time, each pod may use up to its CPU
// request (knob `cpuRequestMillicores`), and changing the request evicts the pods one at a time.
// Pure functions over plain data; world.ts calls them from its server code.
import type { CpuSpec } from "../../../scenario/types.js";

/** The knob holding the CPU request of every pod of a server, in millicores. */
export const CPU_REQUEST_KNOB = "cpuRequestMillicores";

/** Smallest CPU request the knob accepts (millicores): below it a pod cannot serve much at all. */
export const CPU_REQUEST_MILLICORES_MIN = 50;
/** Largest CPU request the knob accepts (millicores): 8 cores, a large node's share for one pod. */
export const CPU_REQUEST_MILLICORES_MAX = 8000;

/**
 * Rollout state of a server with a CPU model. A resize marks a rollout pending; the next world
 * step starts it, and until `untilMs` one pod is restarting (out of service).
 */
export interface CpuRollout {
  pending: boolean;
  untilMs: number;
}

/** A fresh rollout state: nothing restarting. */
export function idleRollout(): CpuRollout {
  return { pending: false, untilMs: -Infinity };
}

/**
 * Requests per second one pod can serve with `requestMillicores`: a pod uses up to its request,
 * so capacity = request (cores) / CPU seconds per request. Millicores per CPU-millisecond gives
 * the same number. Pure.
 */
export function podCapacityRps(requestMillicores: number, cpu: CpuSpec): number {
  return requestMillicores / cpu.perRequestMs;
}

/**
 * How many of `replicas` pods serve at `tMs`, starting a pending rollout first (mutates
 * `rollout`). Evicted pods restart one at a time, each out of service for `podRestartMs`, so a
 * rollout keeps one pod out for replicas x podRestartMs. A resize during a rollout restarts it.
 */
export function servingPods(rollout: CpuRollout, replicas: number, cpu: CpuSpec, tMs: number): number {
  if (rollout.pending) {
    rollout.pending = false;
    rollout.untilMs = tMs + replicas * cpu.podRestartMs;
  }
  return tMs < rollout.untilMs ? Math.max(0, replicas - 1) : replicas;
}

/**
 * CPU usage of one serving pod divided by its request: what the Kubernetes HPA reads as CPU
 * utilization. `servedRps` is the load the pods accepted (at most their capacity), so the
 * result is at most 1. 0 when no pod serves (no metrics). Pure.
 */
export function cpuUtilization(servedRps: number, pods: number, requestMillicores: number, cpu: CpuSpec): number {
  if (pods <= 0 || requestMillicores <= 0) return 0;
  const usageMillicores = (servedRps / pods) * cpu.perRequestMs;
  return usageMillicores / requestMillicores;
}

/** Why `value` is not a valid CPU request for component `id`, or null. Pure. */
export function checkCpuRequest(id: string, value: number): string | null {
  if (!Number.isInteger(value)) return `${id}.${CPU_REQUEST_KNOB} must be a whole number of millicores, got ${value}`;
  if (value < CPU_REQUEST_MILLICORES_MIN || value > CPU_REQUEST_MILLICORES_MAX) {
    return `${id}.${CPU_REQUEST_KNOB} must be in [${CPU_REQUEST_MILLICORES_MIN}, ${CPU_REQUEST_MILLICORES_MAX}], got ${value}`;
  }
  return null;
}
