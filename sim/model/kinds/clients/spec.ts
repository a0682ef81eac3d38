// The file format of the `clients` kind: its YAML fields (timeout, retries, backoff), its
// resolved spec and the resolver applying its defaults. Pure data.
import { z } from "zod";
import { componentId, duration, health, id, type HealthSpec } from "../../../scenario/fields.js";
import type { KindSpec } from "../../../scenario/kind-spec.js";
import type { Path, ResolveTools } from "../../../scenario/resolve-tools.js";
import type { BackoffPolicy } from "./retries.js";

/** Defaults of a clients population (gathered into resolve.ts DEFAULTS through the registry). */
export const CLIENTS_DEFAULTS = {
  clients: { timeout: "1s", retries: 3, backoffBase: "100ms", backoffMax: "20s" },
} as const;

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
  jitter: z.boolean().optional().describe("Full jitter: each backoff wait is drawn uniformly from [0, delay]. Default false."),
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
      jitter: c.jitter ?? false,
    },
    health: t.health(c.health, [...path, "health"]),
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
