// Idempotency keys: a command carrying a key that was already applied is logged as a duplicate
// and not applied again, so a retried action (e.g. a charge) happens once.
import { ALLOW, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";

/** Turns repeated idempotency keys into duplicates. Commands without a key pass. */
export function idempotencyPolicy(): CommandPolicy {
  const seen = new Map<string, number>();
  return {
    name: "idempotency",
    check(ctx: CommandContext): Verdict {
      const key = ctx.command.idempotencyKey;
      if (key === undefined) return ALLOW;
      const first = seen.get(key);
      if (first === undefined) return ALLOW;
      return { kind: "duplicate", policy: "idempotency", reason: `idempotency key ${JSON.stringify(key)} was already applied as #${first}`, firstSeq: first };
    },
    applied(ctx: CommandContext, seq: number): void {
      const key = ctx.command.idempotencyKey;
      if (key !== undefined && !seen.has(key)) seen.set(key, seq);
    },
  };
}
