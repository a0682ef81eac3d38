// The file format of a server's restart policy (CrashLoopBackOff) and cold start: the YAML
// fields `restart` and `coldStart`, their resolved shapes, defaults and checks. Pure data.
import { z } from "zod";
import { duration, id } from "../../../scenario/fields.js";
import type { Path, ResolveTools } from "../../../scenario/resolve-tools.js";

/**
 * Defaults of the restart policy: the kubelet's CrashLoopBackOff (Kubernetes docs, Pod
 * Lifecycle, "Container restarts": back-off 10s, 20s, 40s, ... capped at five minutes, reset
 * after a container ran ten minutes without a problem), and of cold starts.
 */
export const RESTART_DEFAULTS = {
  restart: { backoffBase: "10s", backoffMax: "5m", resetAfter: "10m" },
  coldStart: { jitter: "none" as "none" | "full" },
} as const;

/** Longest backoff, reset time, jitter window or crash period a file may give: a day. */
export const RESTART_DURATION_MS_MAX = 24 * 3600 * 1000;
/** Most requests one replica's cold start may send (the store sees replicas x this per step without jitter). */
export const COLD_START_REQUESTS_MAX = 1e9;

/** Restart policy as written. */
export const restartSchema = z
  .strictObject({
    backoffBase: duration.optional().describe("Delay before the first restart after a crash; each further consecutive crash doubles it. Default `10s` (the kubelet's CrashLoopBackOff)."),
    backoffMax: duration.optional().describe("Longest delay between restarts, at least backoffBase. Default `5m` (the kubelet's cap)."),
    resetAfter: duration.optional().describe("A replica that serves this long without crashing has its backoff reset. Default `10m` (the kubelet's)."),
  })
  .optional()
  .describe("Restart policy of crashed replicas (a `crash` fault, a failed cold start): exponential backoff like Kubernetes' CrashLoopBackOff. A crashed replica serves nothing until it restarts. Default: backoff 10s doubling to 5m, reset after 10m (used by every server a crash fault hits).");

/** Cold start as written. */
export const coldStartSchema = z
  .strictObject({
    from: id.describe("The dependency (an id in `dependsOn`) every starting replica loads its state from before it serves."),
    requests: z.int().min(1).max(COLD_START_REQUESTS_MAX).describe("Requests one replica's load sends to `from` (all within the step it loads in), in [1, 1e9]. Required."),
    jitter: z.enum(["none", "full"]).optional().describe("`none`: a replica loads as soon as it (re)starts, so replicas restarting together load together (a thundering herd); `full`: the starting replicas' loads are spread evenly over `window`. Default `none`."),
    window: duration.optional().describe("With `jitter: full`, the window the loads are spread over, a duration above 0 (at most 1000 slots). Required with jitter full."),
  })
  .optional()
  .describe("Cold start: every replica that (re)starts — after a crash, or added by a scale-up — first loads its state by sending `requests` requests to `from`, and serves only from the step after its load; if `from` fails the load (its error rate) the start fails and the replica restarts with backoff. Default: none (replicas serve as soon as they start).");

/** A server's restart policy, in ms. */
export interface RestartSpec {
  backoffBaseMs: number;
  backoffMaxMs: number;
  resetAfterMs: number;
}

/** A server's cold start, resolved. */
export interface ColdStartSpec {
  from: string;
  requests: number;
  jitter: "none" | "full";
  /** Spread window with jitter `full` (0 with `none`). */
  windowMs: number;
}

/**
 * Resolves `restart` and `coldStart` of a server: defaults, durations above 0 and at most a day,
 * backoffMax >= backoffBase, `from` among the dependencies, a window with full jitter. Returns
 * only the fields the file sets (a server without them resolves as before). Reports through `t`.
 */
export function resolveRestarts(
  c: { restart?: z.infer<typeof restartSchema>; coldStart?: z.infer<typeof coldStartSchema>; dependsOn?: unknown[] },
  dependencyIds: readonly string[],
  path: Path,
  t: Pick<ResolveTools, "ms" | "problems">,
): { restart?: RestartSpec; coldStart?: ColdStartSpec } {
  const out: { restart?: RestartSpec; coldStart?: ColdStartSpec } = {};
  const bounded = (text: string, at: Path, what: string): number => {
    const before = t.problems.length;
    const value = t.ms(text, at);
    if (t.problems.length === before && (value <= 0 || value > RESTART_DURATION_MS_MAX)) t.problems.push({ path: at, expected: `${what} above 0ms and at most 24h`, found: JSON.stringify(text) });
    return value;
  };
  if (c.restart !== undefined) {
    const d = RESTART_DEFAULTS.restart;
    const p = [...path, "restart"];
    const restart: RestartSpec = {
      backoffBaseMs: bounded(c.restart.backoffBase ?? d.backoffBase, [...p, "backoffBase"], "a backoff"),
      backoffMaxMs: bounded(c.restart.backoffMax ?? d.backoffMax, [...p, "backoffMax"], "a backoff cap"),
      resetAfterMs: bounded(c.restart.resetAfter ?? d.resetAfter, [...p, "resetAfter"], "a reset time"),
    };
    if (restart.backoffMaxMs < restart.backoffBaseMs) t.problems.push({ path: [...p, "backoffMax"], expected: `at least backoffBase (${c.restart.backoffBase ?? d.backoffBase})`, found: JSON.stringify(c.restart.backoffMax ?? d.backoffMax) });
    out.restart = restart;
  }
  if (c.coldStart !== undefined) {
    const p = [...path, "coldStart"];
    const cs = c.coldStart;
    if (!dependencyIds.includes(cs.from)) {
      t.problems.push({ path: [...p, "from"], expected: `a dependency of the server (${dependencyIds.length > 0 ? dependencyIds.join(", ") : "none in dependsOn"})`, found: JSON.stringify(cs.from), hint: `add ${cs.from} to dependsOn: a cold start loads from a component the server calls` });
    }
    const jitter = cs.jitter ?? RESTART_DEFAULTS.coldStart.jitter;
    let windowMs = 0;
    if (jitter === "full") {
      if (cs.window === undefined) t.problems.push({ path: [...p, "window"], expected: "a window with `jitter: full` (the loads are spread over it)", found: "nothing", hint: "e.g. `window: 1m`" });
      else windowMs = bounded(cs.window, [...p, "window"], "a jitter window");
    } else if (cs.window !== undefined) {
      t.problems.push({ path: [...p, "window"], expected: "no window without `jitter: full`", found: JSON.stringify(cs.window), hint: "add `jitter: full`, or remove `window`" });
    }
    out.coldStart = { from: cs.from, requests: cs.requests, jitter, windowMs };
  }
  return out;
}
