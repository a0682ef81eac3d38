// Velocity limit: the total change of a knob within a sliding window is bounded (e.g. at most
// 30 weight points of capacity removed per 10 minutes), so automation cannot drain a fleet at once.
import { formatDuration } from "../../core/units.js";
import { knobMatcher } from "./knob-pattern.js";
import { ALLOW, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";

/** One velocity rule: the knobs, the largest total change per window, and which direction counts. */
export interface VelocityRule {
  knobs: string[];
  maxChange: number;
  windowMs: number;
  direction: "down" | "up" | "both";
}

/** Rejects a write that would push the knob's change within the window over the limit. */
export function velocityPolicy(rule: VelocityRule): CommandPolicy {
  const matcher = knobMatcher(rule.knobs);
  const history = new Map<string, { t: number; change: number; seq: number }[]>();
  const counted = (delta: number) => (rule.direction === "down" ? Math.max(0, -delta) : rule.direction === "up" ? Math.max(0, delta) : Math.abs(delta));
  const recent = (key: string, now: number) => (history.get(key) ?? []).filter((h) => h.t > now - rule.windowMs);
  return {
    name: "velocity",
    check(ctx: CommandContext): Verdict {
      if (!matcher.matches(ctx.knobKey)) return ALLOW;
      const change = counted(ctx.command.value - ctx.current);
      if (change === 0) return ALLOW;
      const window = recent(ctx.knobKey, ctx.now);
      const used = window.reduce((sum, h) => sum + h.change, 0);
      if (used + change <= rule.maxChange) return ALLOW;
      const dir = rule.direction === "both" ? "change" : rule.direction === "down" ? "decrease" : "increase";
      return {
        kind: "reject",
        policy: "velocity",
        reason: `${ctx.knobKey} ${dir} of ${change} would make ${used + change} within ${formatDuration(rule.windowMs)}, over the limit of ${rule.maxChange}`,
        causes: window.map((h) => h.seq),
      };
    },
    applied(ctx: CommandContext, seq: number): void {
      if (!matcher.matches(ctx.knobKey)) return;
      const change = counted(ctx.command.value - ctx.current);
      if (change > 0) history.set(ctx.knobKey, [...recent(ctx.knobKey, ctx.now), { t: ctx.now, change, seq }]);
    },
  };
}
