// A lease over a scope, a set of knobs: one holder at a time for the whole set ("one domain at a
// time"). The first write to any knob of the scope takes it for `ttlMs`, renewed by each of the
// holder's writes in the scope; meanwhile every other actor's command on any knob of it is refused.
import { formatTime } from "../../core/units.js";
import type { LeaseScope } from "../../scenario/coordination-group-types.js";
import { knobMatcher } from "./knob-pattern.js";
import type { LeaseTable } from "./lease.js";
import { ALLOW, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";

/** Builds the scope-lease policy and the table agents can read (the holder of a knob's scope). */
export function scopeLeasePolicy(scopes: readonly LeaseScope[]): CommandPolicy & LeaseTable {
  const compiled = scopes.map((s) => ({ scope: s, matcher: knobMatcher(s.knobs) }));
  const leases = new Map<string, { holder: string; untilMs: number; seq: number; knobKey: string }>();
  const valid = (id: string, now: number) => {
    const lease = leases.get(id);
    return lease && lease.untilMs > now ? lease : undefined;
  };
  const covering = (key: string) => compiled.filter((c) => c.matcher.matches(key));
  return {
    name: "scopeLease",
    holder: (key, now) => {
      for (const c of covering(key)) {
        const lease = valid(c.scope.id, now);
        if (lease) return lease.holder;
      }
      return null;
    },
    check(ctx: CommandContext): Verdict {
      for (const c of covering(ctx.knobKey)) {
        const lease = valid(c.scope.id, ctx.now);
        if (!lease || lease.holder === ctx.actor) continue;
        return {
          kind: "reject",
          policy: "lease",
          reason: `${ctx.knobKey} is in scope ${c.scope.id} (${c.scope.knobs.join(", ")}), leased to ${lease.holder} until ${formatTime(lease.untilMs)} since its write of ${lease.knobKey}`,
          causes: [lease.seq],
        };
      }
      return ALLOW;
    },
    applied(ctx: CommandContext, seq: number): void {
      for (const c of covering(ctx.knobKey)) leases.set(c.scope.id, { holder: ctx.actor, untilMs: ctx.now + c.scope.ttlMs, seq, knobKey: ctx.knobKey });
    },
  };
}
