// Lease / ownership of a knob: the holder's writes pass and renew the lease; others' writes are
// rejected while it is valid. A named holder owns the knob from the start; otherwise the
// first writer takes the lease.
import { formatTime } from "../../core/units.js";
import { knobMatcher } from "./knob-pattern.js";
import { ALLOW, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";

/** Lease state, readable by agents (io.leaseHolder) while the policy is on. */
export interface LeaseTable {
  holder(knobKey: string, now: number): string | null;
}

/** Builds the lease policy and the table agents can read. */
export function leasePolicy(patterns: string[], ttlMs: number, holder?: string): CommandPolicy & LeaseTable {
  const matcher = knobMatcher(patterns);
  const leases = new Map<string, { holder: string; untilMs: number; seq: number }>();
  const current = (key: string, now: number) => {
    const lease = leases.get(key);
    if (lease && lease.untilMs > now) return lease;
    if (holder && matcher.matches(key)) return { holder, untilMs: Infinity, seq: 0 };
    return undefined;
  };
  return {
    name: "lease",
    holder: (key, now) => current(key, now)?.holder ?? null,
    check(ctx: CommandContext): Verdict {
      if (!matcher.matches(ctx.knobKey)) return ALLOW;
      const lease = current(ctx.knobKey, ctx.now);
      if (!lease || lease.holder === ctx.actor) return ALLOW;
      const until = lease.untilMs === Infinity ? "for the whole run" : `until ${formatTime(lease.untilMs)}`;
      return { kind: "reject", policy: "lease", reason: `${ctx.knobKey} is leased to ${lease.holder} ${until}`, causes: lease.seq > 0 ? [lease.seq] : [] };
    },
    applied(ctx: CommandContext, seq: number): void {
      if (!matcher.matches(ctx.knobKey)) return;
      leases.set(ctx.knobKey, { holder: ctx.actor, untilMs: holder ? Infinity : ctx.now + ttlMs, seq });
    },
  };
}
