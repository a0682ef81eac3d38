// The file format of the `shards` kind: its YAML fields (count, initial migration state), its
// resolved spec and the resolver applying its defaults. Pure data.
import { z } from "zod";
import { componentId, health, type HealthSpec } from "../../../scenario/fields.js";
import type { KindSpec } from "../../../scenario/kind-spec.js";
import type { Path, ResolveTools } from "../../../scenario/resolve-tools.js";

/** Defaults of a shards component (gathered into resolve.ts DEFAULTS through the registry). */
export const SHARDS_DEFAULTS = {
  shards: { migrated: 0 },
} as const;

/** A `shards` component as written. */
export const shardsSchema = z.strictObject({
  id: componentId,
  kind: z.literal("shards").describe("Database shards with a migration state (knob `migrated`); no load."),
  count: z.int().min(1).describe("Number of shards."),
  migrated: z.int().min(0).optional().describe("Shards migrated at the start (knob `migrated`: shards with index < migrated are migrated), at most count. Default 0."),
  health,
}).describe("Database shards with a migration state (docs/model.md).");

/** A shards component as written (before defaults are applied). */
export type ShardsFile = z.infer<typeof shardsSchema>;

/** `count` database shards with a migration state: knob `migrated` (shards with index < migrated are migrated). No load. */
export interface ShardsSpec {
  id: string;
  kind: "shards";
  count: number;
  /** Initial value of the `migrated` knob. */
  migrated: number;
  health: HealthSpec;
}

/** Resolves a shards component: `migrated` defaults to 0 and is at most `count`. */
export function resolveShards(c: ShardsFile, path: Path, t: ResolveTools): ShardsSpec {
  const migrated = c.migrated ?? SHARDS_DEFAULTS.shards.migrated;
  if (migrated > c.count) t.problems.push({ path: [...path, "migrated"], expected: `at most count (${c.count})`, found: String(migrated) });
  return { id: c.id, kind: "shards", count: c.count, migrated, health: t.health(c.health, [...path, "health"]) };
}

/** The spec module of `shards`: it names no other component and sends no load. */
export const shardsKind: KindSpec<typeof shardsSchema, ShardsSpec, typeof SHARDS_DEFAULTS> = {
  kinds: ["shards"],
  schema: shardsSchema,
  defaults: SHARDS_DEFAULTS,
  resolve: resolveShards,
  references: () => {},
  downstream: () => [],
};
