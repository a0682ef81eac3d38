// The file format of the `documentStore` kind: its YAML fields (the documents present at the
// start), its resolved spec and the resolver applying each document's defaults. Pure data.
import { z } from "zod";
import { componentId, health, id, type HealthSpec } from "../../../scenario/fields.js";
import type { KindSpec } from "../../../scenario/kind-spec.js";
import type { Path, ResolveTools } from "../../../scenario/resolve-tools.js";

/** A `documentStore` component as written. */
export const documentStoreSchema = z.strictObject({
  id: componentId,
  kind: z.literal("documentStore").describe("A versioned document store for plans, configs and last-known-good snapshots; no knobs, no load."),
  documents: z
    .array(
      z.strictObject({
        name: id.describe("The document's name; commands and knob patterns name it `<store>.<name>`."),
        version: z.int().min(1).optional().describe("Number of its initial version; later puts are numbered after it. Default 1."),
        rows: z.int().min(0).describe("Rows of the initial version (a plan's endpoints, a config's entries); 0 = empty."),
        sizeBytes: z.int().min(0).optional().describe("Size of the initial version in bytes. Default rows x 100."),
        schema: z.string().optional().describe("Schema tag of the initial version, checked by validation rules. Default `v1`."),
      }),
    )
    .optional()
    .describe("Documents present at the start, one version each. Default: none."),
  health,
}).describe("A versioned document store (docs/model.md).");

/** A document store as written (before defaults are applied). */
export type DocumentStoreFile = z.infer<typeof documentStoreSchema>;

/** A versioned document store (plans, configs, last-known-good snapshots). */
export interface DocumentStoreSpec {
  id: string;
  kind: "documentStore";
  /** Documents present at the start. */
  documents: { name: string; version: number; rows: number; sizeBytes: number; schema: string }[];
  health: HealthSpec;
}

/** Resolves a document store: each document gets version 1, rows x 100 bytes and schema `v1` unless given. */
export function resolveDocumentStore(c: DocumentStoreFile, path: Path, t: ResolveTools): DocumentStoreSpec {
  return {
    id: c.id,
    kind: "documentStore",
    documents: (c.documents ?? []).map((d) => ({ name: d.name, version: d.version ?? 1, rows: d.rows, sizeBytes: d.sizeBytes ?? d.rows * 100, schema: d.schema ?? "v1" })),
    health: t.health(c.health, [...path, "health"]),
  };
}

/** The spec module of `documentStore`: it names no other component and sends no load; its document defaults are written in the resolver. */
export const documentStoreKind: KindSpec<typeof documentStoreSchema, DocumentStoreSpec, Readonly<Record<never, never>>> = {
  kinds: ["documentStore"],
  schema: documentStoreSchema,
  defaults: {},
  resolve: resolveDocumentStore,
  references: () => {},
  downstream: () => [],
};
