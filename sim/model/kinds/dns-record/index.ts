// The dns-record component kind: its file format (spec.ts) and its behaviour in the world (model.ts),
// registered as one entry in ../registry.ts.
import { dnsRecordModel } from "./model.js";
import { dnsRecordKind } from "./spec.js";

/** The kind's spec module and model, as the registry lists them. */
export const dnsRecord = { spec: dnsRecordKind, model: dnsRecordModel } as const;
