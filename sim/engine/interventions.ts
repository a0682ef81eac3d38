// Interventions for counterfactual runs ("what if"): block one command, mute an agent from a
// time on, or switch coordination policies on from a time on. Because runs are deterministic,
// everything before an intervention takes effect is identical to the original run, and every
// difference after it is attributable to the intervention alone. Each intervention shows in the
// log: a suppressed command is a `command.suppressed` record, a policy switch an
// `intervention.applied` record by the actor `whatif`.
import type { CoordinationSpec } from "../scenario/types.js";

export type Intervention =
  /** The command whose outcome would be record #seq is suppressed instead of applied. */
  | { kind: "block"; seq: number }
  /** Every command `agent` issues at or after `fromMs` is suppressed. */
  | { kind: "mute"; agent: string; fromMs: number }
  /** From `fromMs` on, commands pass `coordination` (merged over the scenario's own policies). */
  | { kind: "policy"; fromMs: number; coordination: CoordinationSpec; label: string };

/** The actor that logs interventions. */
export const WHATIF_ACTOR = "whatif";

/** One sentence per intervention, for reports. Pure. */
export function describeIntervention(i: Intervention, formatTime: (ms: number) => string): string {
  switch (i.kind) {
    case "block":
      return `block the command recorded as #${i.seq}`;
    case "mute":
      return `mute ${i.agent} from ${formatTime(i.fromMs)}`;
    case "policy":
      return `turn on ${i.label} from ${formatTime(i.fromMs)}`;
  }
}
