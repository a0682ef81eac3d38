// The applied record of a command a policy adjusted (a velocity clip, an arbiter's merge): the
// knob's change event with the value actually written in `to`, and `requested`, `adjustedBy` and
// `adjustReason` so a reader (and the causal graph, through the causes) sees what was asked,
// what was written and why. Detectors read `from`/`to` as for any other write.
import type { EventDraft, JsonValue } from "../../log/record.js";
import type { World } from "../../model/world.js";
import type { Adjustment } from "./types.js";

/** What an adjusted command becomes: its applied draft, or a rejection when the value is not valid for the knob. Pure. */
export type AdjustedOutcome =
  | { kind: "apply"; draft: EventDraft }
  | { kind: "reject"; data: { [key: string]: JsonValue }; causes: number[] };

/** Rewrites `draft` (the command's change event as requested) for the adjusted `value`. Reads the world only. */
export function adjustedDraft(world: World, draft: EventDraft, value: number, adjustments: readonly Adjustment[]): AdjustedOutcome {
  const target = draft.target!;
  const knob = String(draft.data.knob);
  const by = adjustments.map((a) => a.policy).join(", ");
  const reason = adjustments.map((a) => a.reason).join("; ");
  const causes = [...new Set(adjustments.flatMap((a) => a.causes ?? []))].sort((a, b) => a - b);
  const problem = value === draft.data.from ? `that leaves ${target}.${knob} at ${value}` : world.checkKnob(target, knob, value);
  if (problem !== null) return { kind: "reject", data: { policy: adjustments[adjustments.length - 1].policy, reason: `${reason}; but ${problem}` }, causes };
  const all = causes.length === 0 ? draft.causes : [...new Set([...draft.causes, ...causes])].sort((a, b) => a - b);
  return { kind: "apply", draft: { ...draft, data: { ...draft.data, to: value, requested: draft.data.to, adjustedBy: by, adjustReason: reason }, causes: all } };
}
