// Arbiter: several agents want different values of one knob (an HPA wants 4 replicas, a cost
// agent 2). Each agent's command is recorded as its desire, and the knob is set to the merge of
// the live desires (max, min, or the highest-priority agent's), so the agents stop overwriting each
// other: the written value is always the merge, whoever's command triggered the write.
import { formatDuration } from "../../core/units.js";
import type { ArbiterRule } from "../../scenario/coordination-group-types.js";
import { knobMatcher } from "./knob-pattern.js";
import { ALLOW, type Adjustment, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";

interface Desire {
  agent: string;
  value: number;
  t: number;
  /** Seq of the record that applied it, or -1 while it has not been applied. */
  seq: number;
}

/** Merges the live desires of a knob. Pure; `desires` is non-empty and in `agents` order for priority. */
export function mergeDesires(merge: ArbiterRule["merge"], desires: readonly { agent: string; value: number }[]): number {
  if (merge === "max") return Math.max(...desires.map((d) => d.value));
  if (merge === "min") return Math.min(...desires.map((d) => d.value));
  return desires[0].value;
}

/**
 * Records each command on an arbitrated knob as its agent's desire (at check time, so a desire
 * counts even when it does not change the knob) and turns the command into the merge of the live
 * desires: allowed as is when the merge is what it asked for, adjusted when it differs, rejected
 * when the merge is the knob's current value. With `agents`, other actors' commands are rejected.
 */
export function arbiterPolicy(rule: ArbiterRule): CommandPolicy {
  const matcher = knobMatcher(rule.knobs);
  const desires = new Map<string, Map<string, Desire>>();
  const order = (agent: string) => (rule.agents ? rule.agents.indexOf(agent) : 0);
  const live = (key: string, now: number): Desire[] => {
    const all = [...(desires.get(key)?.values() ?? [])].filter((d) => rule.staleAfterMs === undefined || now - d.t <= rule.staleAfterMs);
    // Agent order for priority and for messages: listed order, else the order agents first wrote.
    return rule.agents ? all.sort((a, b) => order(a.agent) - order(b.agent)) : all;
  };
  return {
    name: "arbiter",
    check(ctx: CommandContext): Verdict | Adjustment {
      if (ctx.op !== "set" || !matcher.matches(ctx.knobKey)) return ALLOW;
      if (rule.agents && !rule.agents.includes(ctx.actor)) {
        return { kind: "reject", policy: "arbiter", reason: `${ctx.knobKey} is arbitrated among ${rule.agents.join(", ")}; ${ctx.actor} is not one of them` };
      }
      let mine = desires.get(ctx.knobKey);
      if (!mine) desires.set(ctx.knobKey, (mine = new Map()));
      const previous = mine.get(ctx.actor);
      const requested = ctx.command.value;
      mine.set(ctx.actor, { agent: ctx.actor, value: requested, t: ctx.now, seq: previous?.value === requested ? previous.seq : -1 });
      const current = live(ctx.knobKey, ctx.now);
      const merged = mergeDesires(rule.merge, current);
      if (merged === requested) return ALLOW;
      const stale = rule.staleAfterMs !== undefined ? ` (desires older than ${formatDuration(rule.staleAfterMs)} dropped)` : "";
      const of = current.map((d) => `${d.agent}=${d.value}`).join(", ");
      const reason = `arbiter: ${rule.merge} of ${of} → ${merged}${stale}`;
      const causes = current.filter((d) => d.agent !== ctx.actor && d.seq >= 0).map((d) => d.seq).sort((a, b) => a - b);
      if (merged === ctx.current) {
        return { kind: "reject", policy: "arbiter", reason: `${reason}; ${ctx.knobKey} is already ${merged}, ${ctx.actor}'s desire ${requested} is recorded`, causes };
      }
      return { kind: "adjust", policy: "arbiter", reason, value: merged, causes };
    },
    applied(ctx: CommandContext, seq: number): void {
      if (ctx.op !== "set" || !matcher.matches(ctx.knobKey)) return;
      const mine = desires.get(ctx.knobKey)?.get(ctx.actor);
      if (mine) mine.seq = seq;
    },
  };
}
