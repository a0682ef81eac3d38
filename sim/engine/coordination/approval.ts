// Approval gate: commands on matching knobs wait for a simulated reviewer, who after
// `reviewDelayMs` rejects changes whose blast radius is too large (relative change above a
// limit) and approves the rest, which are then re-checked against the world and applied.
import { formatTime } from "../../core/units.js";
import { knobMatcher } from "./knob-pattern.js";
import { ALLOW, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";

/** Holds matching commands for review; on review, rejects those changing the knob by more than maxRelativeChange. */
export function approvalPolicy(patterns: string[], reviewDelayMs: number, maxRelativeChange: number): CommandPolicy {
  const matcher = knobMatcher(patterns);
  return {
    name: "approval",
    check(ctx: CommandContext): Verdict {
      if (!matcher.matches(ctx.knobKey)) return ALLOW;
      if (!ctx.reviewed) {
        return { kind: "hold", policy: "approval", reason: `${ctx.knobKey} changes need review; the reviewer answers at ${formatTime(ctx.now + reviewDelayMs)}`, untilMs: ctx.now + reviewDelayMs };
      }
      const relative = Math.abs(ctx.command.value - ctx.current) / Math.max(Math.abs(ctx.current), 1e-9);
      if (relative <= maxRelativeChange) return ALLOW;
      return {
        kind: "reject",
        policy: "approval",
        reason: `reviewer rejected ${ctx.knobKey} ${ctx.current} -> ${ctx.command.value}: a ${(relative * 100).toFixed(0)}% change exceeds the ${(maxRelativeChange * 100).toFixed(0)}% blast-radius limit`,
      };
    },
  };
}
