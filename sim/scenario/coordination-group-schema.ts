// The file format of the group-level coordination policies (docs/coordination.md): `bounds`,
// `failStatic`, `arbiter`, the lease's `scopes` and velocity's `onExceed`. schema.ts spreads these
// fields into the coordination section; resolve-coordination-group.ts resolves them.
import { z } from "zod";
import { duration, id } from "./fields.js";

const patterns = (what: string, examples: string) =>
  z
    .array(z.string().regex(/^[A-Za-z*][A-Za-z0-9_*.-]*$/, "a knob pattern such as `web.replicas` or `dom-*.replicas`"))
    .min(1)
    .describe(`${what}, as patterns \`component.knob\` where \`*\` matches any characters, e.g. ${examples}.`);

/** Velocity's `onExceed` field (added to each velocity rule). */
export const velocityOnExceed = z
  .enum(["reject", "clip"])
  .optional()
  .describe("What an oversized command gets: `reject` it, or `clip` it, applying it with its value moved only as far as the window still allows (logged with `requested`, `adjustedBy: velocity` and `adjustReason`). Default `reject`.");

/** The lease's `scopes` field: leases over sets of knobs. */
export const leaseScopes = z
  .array(
    z.strictObject({
      id: id.describe("The scope's name, used in reasons (`domains`)."),
      knobs: patterns("The knobs of the scope: a write to any of them takes the whole scope", "`dom-*.replicas`, `dom-*.version`"),
      ttl: duration.optional().describe("How long the writer holds the scope after each of its writes in it, a duration. Default: the lease's `ttl` (`5m`)."),
    }),
  )
  .min(1)
  .optional()
  .describe("Leases over scopes: one holder at a time for the whole set of knobs (\"one domain at a time\"); another actor's command on any knob of a held scope is rejected with the holder and expiry. Default: none.");

/** Fields the coordination section gains. */
export const groupCoordinationFields = {
  bounds: z
    .array(
      z.strictObject({
        knobs: patterns("The knobs whose aggregate is bounded (give this or `group` with `knob`)", "`dom-*.replicas`").optional(),
        group: id.optional().describe("A group (docs/scenario-format.md#groups) whose members' `knob` is bounded, instead of `knobs`: `{ group: cells, knob: replicas }` is every member's replicas."),
        knob: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, "a knob name such as `replicas`").optional().describe("With `group`: the knob of each member whose aggregate is bounded, e.g. `replicas`."),
        aggregate: z.enum(["sum", "avg", "min", "max"]).describe("The aggregate the bound limits: `sum`, `avg`, `min` or `max` of the knobs' values."),
        min: z.number().optional().describe("The floor: a command that would take the aggregate below it is rejected (one that raises an aggregate already below it is allowed). Default: none; give `min`, `max` or both."),
        max: z.number().optional().describe("The ceiling: a command that would take the aggregate above it is rejected (one that lowers an aggregate already above it is allowed). Default: none; give `min`, `max` or both."),
      }),
    )
    .optional()
    .describe("Bounds on an aggregate over a set of knobs, e.g. total replicas across domains >= 60. Default: none."),
  failStatic: z
    .array(
      z.strictObject({
        watch: z.array(z.string().regex(/^[A-Za-z*][A-Za-z0-9_*-]*$/, "a component id or a pattern such as `site-*`")).min(1).optional().describe("Ids (or patterns with `*`) of the components watched: a component is down while it is unhealthy or has nothing available. Give this or `watchGroup`."),
        watchGroup: id.optional().describe("A group (docs/scenario-format.md#groups) whose members are watched, instead of `watch`."),
        unhealthyFraction: z.number().gt(0).max(1).optional().describe("Freeze while at least this fraction of the watched components is down (0.5 = half). Give this or `quorum`."),
        quorum: z.int().min(1).optional().describe("Freeze while at least this many watched components are down. Give this or `unhealthyFraction`."),
        knobs: patterns("The knobs frozen while the condition holds", "`site-*.replicas`"),
        action: z.enum(["reject", "hold"]).optional().describe("`reject` commands on the knobs, or `hold` them until the condition clears (re-checked every `recheck`, rejected after `holdMax`). Default `reject`."),
        recheck: duration.optional().describe("With `hold`: how often a held command is re-checked, a duration. Default `30s`."),
        holdMax: duration.optional().describe("With `hold`: the longest a command is held before it is rejected, a duration. Default `10m`."),
      }),
    )
    .optional()
    .describe("Fail static: while a quorum (or fraction) of the watched components is down, a shared cause is likely, so automation on the knobs freezes instead of \"fixing\" every site. Default: none."),
  arbiter: z
    .array(
      z.strictObject({
        knobs: patterns("The arbitrated knobs (each merged on its own)", "`web.replicas`"),
        merge: z.enum(["max", "min", "priority"]).describe("How the agents' desired values merge: the `max`, the `min`, or the first of `agents` (priority order) that has a live desire."),
        agents: z.array(id).min(1).optional().describe("The agents whose desires are merged, in priority order (required with `priority`); other actors' commands on the knobs are rejected. Default: every writer."),
        staleAfter: duration.optional().describe("A desire older than this no longer counts, a duration. Default: desires never go stale."),
      }),
    )
    .optional()
    .describe("Arbiters: each command on the knobs is recorded as its agent's desire and the knob is set to the merge of the live desires, so the agents stop reversing each other. Default: none."),
};
