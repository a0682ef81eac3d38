// Velocity limit: the total change of the knobs a rule matches within a sliding window is bounded
// (e.g. at most 30 weight points, or one target, of capacity removed per 10 minutes), so
// automation cannot drain a fleet at once. The window is shared by every knob the rule matches:
// `lb.inService.*` with maxChange 1 allows one removal per window across all targets. With
// `onExceed: clip` an oversized command is applied clipped to the change the window still allows.
import { formatDuration } from "../../core/units.js";
import { knobMatcher } from "./knob-pattern.js";
import { ALLOW, type Adjustment, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";

/** One velocity rule: the knobs, the largest total change per window, and which direction counts. */
export interface VelocityRule {
  knobs: string[];
  maxChange: number;
  windowMs: number;
  direction: "down" | "up" | "both";
  /** What an oversized command gets: rejected (the default) or applied clipped to what the window allows. */
  onExceed?: "reject" | "clip";
}

/**
 * Rejects a write that would push the change of the rule's knobs within the window over the
 * limit or, with `onExceed: clip`, lets it through with its value moved only as far as the
 * window still allows in the command's direction (a rejection when nothing is left).
 */
export function velocityPolicy(rule: VelocityRule): CommandPolicy {
  const matcher = knobMatcher(rule.knobs);
  // Bounded by the writes applied within one window.
  let history: { t: number; change: number; seq: number; knobKey: string }[] = [];
  const counted = (delta: number) => (rule.direction === "down" ? Math.max(0, -delta) : rule.direction === "up" ? Math.max(0, delta) : Math.abs(delta));
  const recent = (now: number) => history.filter((h) => h.t > now - rule.windowMs);
  return {
    name: "velocity",
    check(ctx: CommandContext): Verdict | Adjustment {
      if (!matcher.matches(ctx.knobKey)) return ALLOW;
      const change = counted(ctx.command.value - ctx.current);
      if (change === 0) return ALLOW;
      const window = recent(ctx.now);
      const used = window.reduce((sum, h) => sum + h.change, 0);
      if (used + change <= rule.maxChange) return ALLOW;
      const dir = rule.direction === "both" ? "change" : rule.direction === "down" ? "decrease" : "increase";
      const others = window.some((h) => h.knobKey !== ctx.knobKey) ? ` of ${rule.knobs.join(", ")}` : "";
      const left = rule.maxChange - used;
      // Only knob values can be clipped; a document version cannot.
      if (rule.onExceed === "clip" && left > 0 && ctx.op === "set") {
        const delta = ctx.command.value - ctx.current;
        const value = ctx.current + Math.sign(delta) * left;
        return {
          kind: "adjust",
          policy: "velocity",
          reason: `${ctx.knobKey} ${ctx.current} -> ${ctx.command.value} clipped to ${value}: the ${dir} limit${others} is ${rule.maxChange} within ${formatDuration(rule.windowMs)} and ${used} of it was already used`,
          value,
          causes: window.map((h) => h.seq),
        };
      }
      const exhausted = rule.onExceed === "clip" ? ` (nothing left to clip to: ${used} already used)` : "";
      return {
        kind: "reject",
        policy: "velocity",
        reason: `${ctx.knobKey} ${dir} of ${change} would make ${used + change}${others} within ${formatDuration(rule.windowMs)}, over the limit of ${rule.maxChange}${exhausted}`,
        causes: window.map((h) => h.seq),
      };
    },
    applied(ctx: CommandContext, seq: number): void {
      if (!matcher.matches(ctx.knobKey)) return;
      const change = counted(ctx.command.value - ctx.current);
      if (change > 0) history = [...recent(ctx.now), { t: ctx.now, change, seq, knobKey: ctx.knobKey }];
    },
  };
}
