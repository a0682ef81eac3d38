// Cross-actor cooldown per knob: after one actor writes a knob, other actors' writes to it are
// rejected for a while, so two controllers cannot undo each other faster than the system settles.
import { formatTime } from "../../core/units.js";
import { knobMatcher } from "./knob-pattern.js";
import { ALLOW, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";

/** Rejects writes by a different actor within `cooldownMs` of the last write. */
export function cooldownPolicy(patterns: string[], cooldownMs: number): CommandPolicy {
  const matcher = knobMatcher(patterns);
  const last = new Map<string, { actor: string; t: number; seq: number }>();
  return {
    name: "cooldown",
    check(ctx: CommandContext): Verdict {
      if (!matcher.matches(ctx.knobKey)) return ALLOW;
      const prev = last.get(ctx.knobKey);
      if (!prev || prev.actor === ctx.actor || ctx.now >= prev.t + cooldownMs) return ALLOW;
      return {
        kind: "reject",
        policy: "cooldown",
        reason: `${ctx.knobKey} was changed by ${prev.actor} at ${formatTime(prev.t)}; other actors must wait until ${formatTime(prev.t + cooldownMs)}`,
        causes: [prev.seq],
      };
    },
    applied(ctx: CommandContext, seq: number): void {
      if (matcher.matches(ctx.knobKey)) last.set(ctx.knobKey, { actor: ctx.actor, t: ctx.now, seq });
    },
  };
}
