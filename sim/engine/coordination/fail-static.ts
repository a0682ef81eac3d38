// Fail static on a widespread failure: while at least a quorum (or a fraction) of the watched
// components is down, commands on the rule's knobs are refused or held. Many sites failing at once
// is more likely one shared cause (a bad config push, a control-plane fault) than N independent
// faults, so automation freezes instead of "repairing" every site into the same outage.
import { formatDuration, formatTime } from "../../core/units.js";
import type { FailStaticRule } from "../../scenario/coordination-group-types.js";
import { knobMatcher } from "./knob-pattern.js";
import { ALLOW, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";

/** Rejects, or holds for at most `holdMaxMs`, commands on the knobs while `downMin` watched components are down. */
export function failStaticPolicy(rule: FailStaticRule): CommandPolicy {
  const matcher = knobMatcher(rule.knobs);
  return {
    name: "failStatic",
    check(ctx: CommandContext): Verdict {
      if (!matcher.matches(ctx.knobKey) || !ctx.componentHealth) return ALLOW;
      const down: { id: string; seq: number }[] = [];
      for (const id of rule.components) {
        const health = ctx.componentHealth(id);
        if (health?.down) down.push({ id, seq: health.seq });
      }
      if (down.length < rule.downMin) return ALLOW;
      const why = `${down.length} of ${rule.components.length} watched components are down (${down.map((d) => d.id).join(", ")}), at or over the ${rule.threshold} threshold: a shared cause is likely, so ${ctx.knobKey} is frozen`;
      const causes = down.filter((d) => d.seq >= 0).map((d) => d.seq).sort((a, b) => a - b);
      if (rule.action === "reject") return { kind: "reject", policy: "failStatic", reason: why, causes };
      const since = ctx.heldSinceMs ?? ctx.now;
      const giveUpAt = since + rule.holdMaxMs;
      if (ctx.now >= giveUpAt) {
        return { kind: "reject", policy: "failStatic", reason: `${why}; held since ${formatTime(since)}, ${formatDuration(rule.holdMaxMs)} at most, so it is dropped`, causes };
      }
      const untilMs = Math.min(ctx.now + rule.recheckMs, giveUpAt);
      return { kind: "hold", policy: "failStatic", reason: `${why}; held, re-checked at ${formatTime(untilMs)} (dropped after ${formatTime(giveUpAt)})`, untilMs };
    },
  };
}
