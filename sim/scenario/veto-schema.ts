// The file format of the signal-gated veto (docs/coordination.md#veto): rules whose CEL condition,
// over the scenario's signals and knobs and the `command` being decided, rejects or holds it.
// schema.ts spreads this field into the coordination section; resolve-veto.ts resolves it.
import { z } from "zod";
import { duration, id } from "./fields.js";

/** The coordination section's `veto` field. */
export const vetoField = z
  .array(
    z.strictObject({
      id: id.describe("The rule's name, used in reasons (`slo-scale-in`)."),
      knobs: z
        .array(z.string().regex(/^[A-Za-z*][A-Za-z0-9_*.-]*$/, "a knob pattern such as `web.replicas` or `dom-*.replicas`"))
        .min(1)
        .describe("The knobs the rule judges, as patterns `component.knob` where `*` matches any characters, e.g. `web.replicas`."),
      when: z.string().describe("A CEL condition (docs/scenario-format.md#expressions-cel) over the components' signals and knobs, `now` (seconds) and `command` { actor, target, knob, value, current, delta }; while it holds, the command is vetoed. E.g. `command.delta < 0.0 && web.latencyMsP95 > 250.0`."),
      action: z.enum(["reject", "hold"]).optional().describe("`reject` a vetoed command, or `hold` it and re-check every `recheck` (rejected after `holdMax`). Default `reject`."),
      recheck: duration.optional().describe("With `hold`: how often a held command is re-checked, a duration. Default `30s`."),
      holdMax: duration.optional().describe("With `hold`: the longest a command is held before it is rejected, a duration. Default `10m`."),
      reason: z.string().optional().describe("Why the rule exists, put first in the reason of each veto (`p95 over the SLO: no scale-in`). Default: the rule's id."),
    }),
  )
  .optional()
  .describe("Signal-gated vetoes: a command on the knobs is rejected or held while the rule's CEL condition holds (an SLO veto on scale-in). Default: none.");
