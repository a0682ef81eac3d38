// Authorization scopes (least privilege): each agent may write only the knobs its scope names.
import { formatTime } from "../../core/units.js";
import { knobMatcher, type KnobMatcher } from "./knob-pattern.js";
import { ALLOW, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";

/** Rejects writes outside the writing agent's scope; agents without a scope may write nothing. */
export function authorizationPolicy(scopes: Record<string, string[]>): CommandPolicy {
  const matchers = new Map<string, KnobMatcher>(Object.entries(scopes).map(([agent, patterns]) => [agent, knobMatcher(patterns)]));
  return {
    name: "authorization",
    check(ctx: CommandContext): Verdict {
      const scope = matchers.get(ctx.actor);
      if (scope?.matches(ctx.knobKey)) return ALLOW;
      const allowed = scopes[ctx.actor];
      return {
        kind: "reject",
        policy: "authorization",
        reason: allowed ? `${ctx.actor} may write ${allowed.join(", ")} only, not ${ctx.knobKey}` : `${ctx.actor} has no authorization scope, so it may write nothing (at ${formatTime(ctx.now)})`,
      };
    },
  };
}
