// Bounds on an aggregate over a set of knobs: a floor or ceiling on the sum, average, minimum or
// maximum of e.g. every domain's replicas ("total capacity stays >= 60"). A command that would take
// the aggregate past a bound from inside it is rejected; one that moves an already out-of-bound
// aggregate toward the bound (or leaves it as it is) is allowed, so recovery is never blocked.
import type { AggregateKind, BoundRule } from "../../scenario/coordination-group-types.js";
import { ALLOW, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";

/** The aggregate of `values`. Pure; `values` is never empty (resolve rejects a set matching no knob). */
export function aggregateOf(kind: AggregateKind, values: readonly number[]): number {
  switch (kind) {
    case "sum":
      return values.reduce((a, b) => a + b, 0);
    case "avg":
      return values.reduce((a, b) => a + b, 0) / values.length;
    case "min":
      return Math.min(...values);
    case "max":
      return Math.max(...values);
  }
}

/** Rejects a write to one of the rule's knobs that would take the aggregate past `min` or `max`. */
export function boundsPolicy(rule: BoundRule): CommandPolicy {
  const keys = new Set(rule.keys);
  const round = (x: number) => Number(x.toFixed(6));
  return {
    name: "bounds",
    check(ctx: CommandContext): Verdict {
      if (ctx.op !== "set" || !keys.has(ctx.knobKey)) return ALLOW;
      const read = (key: string) => {
        if (key === ctx.knobKey) return ctx.current;
        const dot = key.indexOf(".");
        return ctx.knobValue?.(key.slice(0, dot), key.slice(dot + 1)) ?? 0;
      };
      const before = rule.keys.map(read);
      const after = rule.keys.map((key, i) => (key === ctx.knobKey ? ctx.command.value : before[i]));
      const from = aggregateOf(rule.aggregate, before);
      const to = aggregateOf(rule.aggregate, after);
      const what = `${ctx.knobKey} ${ctx.current} -> ${ctx.command.value} would take the ${rule.aggregate} of ${rule.label} from ${round(from)} to ${round(to)}`;
      // Past a bound is refused unless it was already past and does not get worse.
      if (rule.min !== undefined && to < rule.min && !(from < rule.min && to >= from)) {
        return { kind: "reject", policy: "bounds", reason: `${what}, below the floor of ${rule.min}` };
      }
      if (rule.max !== undefined && to > rule.max && !(from > rule.max && to <= from)) {
        return { kind: "reject", policy: "bounds", reason: `${what}, above the ceiling of ${rule.max}` };
      }
      return ALLOW;
    },
  };
}
