// Database shards with a migration state: knob `migrated` counts the migrated shards (those with
// index < migrated). A migrator advances it; a config generator's query depends on it. No load.
import type { ShardsSpec } from "../../../scenario/types.js";

/** The knob holding how many shards are migrated. */
export const MIGRATED_KNOB = "migrated";

/** Why writing `value` to `knob` of shards `spec` is invalid, or null. Pure. */
export function checkShardsKnob(spec: ShardsSpec, knob: string, value: number): string | null {
  if (knob !== MIGRATED_KNOB) return `${spec.id} has no knob ${JSON.stringify(knob)} (knobs: ${MIGRATED_KNOB})`;
  if (!Number.isInteger(value) || value < 0 || value > spec.count) return `${spec.id}.${MIGRATED_KNOB} must be a whole number in [0, ${spec.count}], got ${value}`;
  return null;
}

/** True when shard `index` is migrated, given `migrated` migrated shards. Pure. */
export function shardMigrated(migrated: number, index: number): boolean {
  return index < migrated;
}
