// Compare-and-set on knob versions (a fencing token): a write that names the version it was
// based on is rejected if the knob has been written since. With requireVersion, writes that
// name no version are rejected too, so no agent can write blind.
import { knobMatcher } from "./knob-pattern.js";
import { ALLOW, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";

/** Rejects stale writes to matching knobs. */
export function compareAndSetPolicy(patterns: string[], requireVersion: boolean): CommandPolicy {
  const matcher = knobMatcher(patterns);
  return {
    name: "compareAndSet",
    check(ctx: CommandContext): Verdict {
      if (!matcher.matches(ctx.knobKey)) return ALLOW;
      const expected = ctx.command.expectedVersion;
      if (expected === undefined) {
        return requireVersion ? { kind: "reject", policy: "compareAndSet", reason: `a write to ${ctx.knobKey} must name the version it is based on (expectedVersion); the knob is at version ${ctx.version}` } : ALLOW;
      }
      if (expected === ctx.version) return ALLOW;
      return { kind: "reject", policy: "compareAndSet", reason: `stale write: based on ${ctx.knobKey} version ${expected}, but it is at version ${ctx.version}` };
    },
  };
}
