// The file format of the `clients` kind: its YAML fields (timeout, retries, backoff), its
// resolved spec and the resolver applying its defaults. Pure data.
import { z } from "zod";
import { componentId, duration, health, id, type HealthSpec } from "../../../scenario/fields.js";
import type { KindSpec } from "../../../scenario/kind-spec.js";
import type { Path, ResolveTools } from "../../../scenario/resolve-tools.js";
import type { BreakerPolicy } from "./breaker.js";
import type { BackoffPolicy, Jitter } from "./retries.js";

/** Defaults of a clients population (gathered into resolve.ts DEFAULTS through the registry). */
export const CLIENTS_DEFAULTS = {
  clients: { timeout: "1s", retries: 3, backoffBase: "100ms", backoffMax: "20s" },
  circuitBreaker: { errorRate: 0.5, window: "10s", cooldown: "30s", probe: 0.1 },
} as const;

/** Most requests a `concurrencyLimit` may allow in progress (a rate budget times a long hold). */
const CONCURRENCY_LIMIT_MAX = 1e9;

/** A clients component's `circuitBreaker` as written. */
export const circuitBreakerSchema = z.strictObject({
  errorRate: z.number().gt(0).max(1).optional().describe("Opens when at least this share of attempts (0-1, errors and timeouts) failed for the clients for `window` running. Default 0.5."),
  window: duration.optional().describe("How long the failure rate must stay at or above `errorRate` before the breaker opens, a duration. Default `10s`."),
  cooldown: duration.optional().describe("How long the breaker stays open (sending nothing, requests fail fast) before it sends probes, a duration. Default `30s`."),
  probe: z.number().gt(0).max(1).optional().describe("Share of requests sent while half-open (0-1]; the breaker closes when their failure rate is under `errorRate`, else opens again. Default 0.1."),
}).describe("A circuit breaker in the clients: stops sending while open (docs/model.md#clients).");

/** A `clients` component as written. */
export const clientsSchema = z.strictObject({
  id: componentId,
  kind: z.literal("clients").describe("A population of clients forwarding the load offered to them to `target`, with timeouts and retries."),
  target: id.describe("Id of the component the clients call (service, database, loadBalancer, dnsRecord or configConsumer)."),
  timeout: duration.optional().describe("An attempt slower than this duration fails for the client (and may be retried). Default `1s`."),
  retries: z.int().min(0).max(100).optional().describe("Retries per request after failed attempts, 0-100 (knob `retries`). Default 3."),
  retryBudget: z.number().min(0).optional().describe("Caps the retries sent per step at this fraction of first attempts (e.g. 0.1); refused retries fail their request. Default: no budget."),
  backoff: z.enum(["immediate", "exponential"]).optional().describe("`immediate`: retries go out in the same step; `exponential`: retry k waits backoffBase x 2^(k-1), at most backoffMax. Default `immediate`."),
  backoffBase: duration.optional().describe("First exponential backoff delay, a duration. Default `100ms`."),
  backoffMax: duration.optional().describe("Longest exponential backoff delay, a duration. Default `20s`."),
  jitter: z.union([z.boolean(), z.enum(["none", "full", "equal"])]).optional().describe("How each backoff wait is drawn from its delay: `none` (or false) exactly the delay; `full` (or true) uniformly from [0, delay]; `equal` uniformly from [delay/2, delay]. Default false."),
  concurrencyLimit: z.number().min(1).max(CONCURRENCY_LIMIT_MAX).optional().describe("Most requests the clients hold at once, in an attempt (sent rate x min(latency, timeout), Little's law) or waiting out a backoff; requests beyond it fail fast, unsent. Default: no limit."),
  circuitBreaker: circuitBreakerSchema.optional(),
  health,
}).describe("Clients with a retry policy (docs/model.md).");

/** A clients component as written (before units are parsed and defaults applied). */
export type ClientsFile = z.infer<typeof clientsSchema>;

/**
 * A population of clients calling `target`: the load a workload offers them is forwarded with
 * retries. An attempt fails for the client on an error or a response slower than `timeoutMs`;
 * failed attempts are retried (knob `retries`), capped at `retryBudget` extra attempts per
 * request when set.
 */
export interface ClientsSpec {
  id: string;
  kind: "clients";
  target: string;
  timeoutMs: number;
  retries: number;
  retryBudget?: number;
  /** How retries are spaced (default immediate). */
  backoff: BackoffPolicy;
  /** Most requests in progress (in an attempt or waiting to retry); undefined: no limit. */
  concurrencyLimit?: number;
  /** The clients' circuit breaker, when they have one. */
  circuitBreaker?: BreakerPolicy;
  health: HealthSpec;
}

/** Resolves a clients component: timeout, retries and backoff defaults. */
export function resolveClients(c: ClientsFile, path: Path, t: ResolveTools): ClientsSpec {
  const d = CLIENTS_DEFAULTS.clients;
  return {
    id: c.id,
    kind: "clients",
    target: c.target,
    timeoutMs: t.ms(c.timeout ?? d.timeout, [...path, "timeout"]),
    retries: c.retries ?? d.retries,
    ...(c.retryBudget !== undefined ? { retryBudget: c.retryBudget } : {}),
    backoff: {
      kind: c.backoff ?? "immediate",
      baseMs: t.ms(c.backoffBase ?? d.backoffBase, [...path, "backoffBase"]),
      maxMs: t.ms(c.backoffMax ?? d.backoffMax, [...path, "backoffMax"]),
      jitter: jitterOf(c.jitter),
    },
    ...(c.concurrencyLimit !== undefined ? { concurrencyLimit: c.concurrencyLimit } : {}),
    ...(c.circuitBreaker !== undefined ? { circuitBreaker: resolveBreaker(c.circuitBreaker, [...path, "circuitBreaker"], t) } : {}),
    health: t.health(c.health, [...path, "health"]),
  };
}

/** The jitter a file's `jitter` names (true is full jitter, false none). Pure. */
function jitterOf(jitter: ClientsFile["jitter"]): Jitter {
  if (jitter === true) return "full";
  if (jitter === false || jitter === undefined) return "none";
  return jitter;
}

/** Resolves a circuit breaker: its durations and defaults; a window or cool-down of 0 is reported. */
function resolveBreaker(b: z.infer<typeof circuitBreakerSchema>, path: Path, t: ResolveTools): BreakerPolicy {
  const d = CLIENTS_DEFAULTS.circuitBreaker;
  const positive = (text: string, field: string) => {
    const before = t.problems.length;
    const value = t.ms(text, [...path, field]);
    if (value <= 0 && t.problems.length === before) t.problems.push({ path: [...path, field], expected: "a duration longer than 0ms", found: JSON.stringify(text), hint: `leave it out for the default (${d[field as "window" | "cooldown"]})` });
    return value;
  };
  return {
    errorRateMin: b.errorRate ?? d.errorRate,
    windowMs: positive(b.window ?? d.window, "window"),
    cooldownMs: positive(b.cooldown ?? d.cooldown, "cooldown"),
    probe: b.probe ?? d.probe,
  };
}

/** The spec module of `clients`: the target must be a component that serves requests. */
export const clientsKind: KindSpec<typeof clientsSchema, ClientsSpec, typeof CLIENTS_DEFAULTS> = {
  kinds: ["clients"],
  schema: clientsSchema,
  defaults: CLIENTS_DEFAULTS,
  resolve: resolveClients,
  references: (s, path, reference) => reference(s.target, [...path, "target"], ["service", "database", "loadBalancer", "dnsRecord", "configConsumer"]),
  downstream: (s) => [s.target],
};
