// The file format of the `dnsRecord` kind: its YAML fields, its resolved spec and the resolver
// applying its defaults; the record must point into a document store and at serving components.
import { z } from "zod";
import { componentId, duration, health, id, type HealthSpec } from "../../../scenario/fields.js";
import type { KindSpec } from "../../../scenario/kind-spec.js";
import type { Path, ResolveTools } from "../../../scenario/resolve-tools.js";

/** Defaults of a DNS record (gathered into resolve.ts DEFAULTS through the registry). */
export const DNS_RECORD_DEFAULTS = {
  dnsRecord: { ttl: "60s", baseLatency: "1ms" },
} as const;

/** A `dnsRecord` component as written. */
export const dnsRecordSchema = z.strictObject({
  id: componentId,
  kind: z.literal("dnsRecord").describe("A DNS record whose value is a plan version (knob `plan`); it resolves while that version exists with at least one row."),
  store: id.describe("Id of the documentStore holding the plans."),
  document: id.describe("Name of the plan document in `store`."),
  plan: z.int().min(0).optional().describe("Initial plan version the record points at (knob `plan`); 0 = empty. Default 1."),
  ttl: duration.optional().describe("How long resolvers cache an answer before asking again, a duration. Default `60s`."),
  targets: z.array(id).min(1).describe("Ids of the services, databases, load balancers or config consumers the record resolves to; load is split equally."),
  baseLatency: duration.optional().describe("Latency the record adds to every request, a duration. Default `1ms`."),
  health,
}).describe("A DNS record pointing at a plan document version (docs/model.md).");

/** A DNS record as written (before units are parsed and defaults applied). */
export type DnsRecordFile = z.infer<typeof dnsRecordSchema>;

/**
 * A DNS record whose value is a plan: knob `plan` names the version of `store`/`document` it
 * points at. It resolves (to `targets`, load split equally) while that version exists with at
 * least one row; resolvers cache the answer for `ttlMs`, so an empty record fails every
 * resolution once the caches expire.
 */
export interface DnsRecordSpec {
  id: string;
  kind: "dnsRecord";
  store: string;
  document: string;
  plan: number;
  ttlMs: number;
  targets: string[];
  baseLatencyMs: number;
  health: HealthSpec;
}

/** Resolves a DNS record: plan 1, ttl and latency defaults. */
export function resolveDnsRecord(c: DnsRecordFile, path: Path, t: ResolveTools): DnsRecordSpec {
  const d = DNS_RECORD_DEFAULTS.dnsRecord;
  return { id: c.id, kind: "dnsRecord", store: c.store, document: c.document, plan: c.plan ?? 1, ttlMs: t.ms(c.ttl ?? d.ttl, [...path, "ttl"]), targets: [...c.targets], baseLatencyMs: t.ms(c.baseLatency ?? d.baseLatency, [...path, "baseLatency"]), health: t.health(c.health, [...path, "health"]) };
}

/** The spec module of `dnsRecord`: targets must serve requests, `store` must be a documentStore. */
export const dnsRecordKind: KindSpec<typeof dnsRecordSchema, DnsRecordSpec, typeof DNS_RECORD_DEFAULTS> = {
  kinds: ["dnsRecord"],
  schema: dnsRecordSchema,
  defaults: DNS_RECORD_DEFAULTS,
  resolve: resolveDnsRecord,
  references: (s, path, reference) => {
    s.targets.forEach((target, j) => reference(target, [...path, "targets", j], ["service", "database", "loadBalancer", "configConsumer"]));
    reference(s.store, [...path, "store"], ["documentStore"]);
  },
  downstream: (s) => s.targets,
};
