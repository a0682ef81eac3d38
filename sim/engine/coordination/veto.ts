// The signal-gated veto: a CEL condition over the world's signals and knobs and the command being
// decided (`command.delta < 0.0 && web.latencyMsP95 > 250.0`) rejects or holds a command on the
// rule's knobs while it holds. The reason shows the condition with the values it read, and the
// causes are the records those values came from. A condition that cannot be evaluated (a CEL
// runtime error, or the run's veto budget spent) fails closed: the veto applies, saying why.
import { formatDuration, formatTime } from "../../core/units.js";
import { evaluate, showValue, type ExprProgram } from "../../expr/cel.js";
import { compile } from "../../expr/cel.js";
import { EXPR_EVAL_OVERHEAD } from "../../expr/budget.js";
import { vetoEnv } from "../../expr/policy-env.js";
import { catalogueOfCelReads, readerFor } from "../../expr/derived.js";
import { withValues } from "../../agents/declarative/cel.js";
import { show } from "../../agents/io.js";
import { VETO_RUN_COST_MAX } from "../../scenario/resolve-veto.js";
import type { VetoRule } from "../../scenario/veto-types.js";
import { knobMatcher } from "./knob-pattern.js";
import { ALLOW, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";

/** The veto rules of a run as one policy (they share the run's CEL budget); the first rule that vetoes decides. */
export function vetoPolicy(rules: readonly VetoRule[], budgetUnits: number = VETO_RUN_COST_MAX): CommandPolicy {
  const fields = ["actor", "target", "knob", "value", "current", "delta"] as const;
  // The command fields a condition names, shown with their values in its reasons.
  const compiled = rules.map((rule) => ({ rule, matcher: knobMatcher(rule.knobs), program: programOf(rule), named: fields.filter((k) => new RegExp(`\\bcommand\\s*\\.\\s*${k}\\b`).test(rule.when)) }));
  let spent = 0;
  return {
    name: "veto",
    check(ctx: CommandContext): Verdict {
      if (ctx.op !== "set") return ALLOW;
      for (const { rule, matcher, program, named } of compiled) {
        if (!matcher.matches(ctx.knobKey)) continue;
        const causes = new Set<number>();
        let why: string;
        spent += program.cost + EXPR_EVAL_OVERHEAD;
        if (spent > budgetUnits) {
          why = `${rule.reason}: ${rule.when} was not evaluated: the run's veto budget (${budgetUnits.toLocaleString("en-US")} CEL cost units) is spent, so the veto fails closed`;
        } else {
          const direct = (id: string, name: string) => ctx.readValue?.(id, name, causes) ?? NaN;
          // A group aggregate reads each member and a derived signal what its expression reads, so each of those values is a cause too.
          const read = readerFor(rule.reads, { signal: direct, knob: direct }, direct);
          const command = { actor: ctx.actor, target: ctx.command.target, knob: ctx.command.knob, value: ctx.command.value, current: ctx.current, delta: ctx.command.value - ctx.current };
          const outcome = evaluate(program, read, { now: ctx.now / 1000, command });
          const shown = withValues(rule.when, outcome) + (named.length > 0 ? ` (${named.map((k) => `command.${k} = ${typeof command[k] === "number" ? show(command[k]) : JSON.stringify(command[k])}`).join(", ")})` : "");
          if (!outcome.ok) why = `${rule.reason}: ${shown} could not be evaluated (${outcome.error}), so the veto fails closed`;
          else if (outcome.value === false) continue;
          else if (outcome.value === true) why = `${rule.reason}: ${shown}`;
          else why = `${rule.reason}: ${shown} is ${showValue(outcome.value)}, not a bool, so the veto fails closed`;
        }
        const cited = [...causes].filter((s) => s >= 0).sort((a, b) => a - b);
        const withCommand = `veto ${rule.id} on ${ctx.knobKey} ${ctx.current} -> ${ctx.command.value}: ${why}`;
        if (rule.action === "reject") return { kind: "reject", policy: "veto", reason: withCommand, causes: cited };
        const since = ctx.heldSinceMs ?? ctx.now;
        const giveUpAt = since + rule.holdMaxMs;
        if (ctx.now >= giveUpAt) return { kind: "reject", policy: "veto", reason: `${withCommand}; held since ${formatTime(since)}, ${formatDuration(rule.holdMaxMs)} at most, so it is dropped`, causes: cited };
        const untilMs = Math.min(ctx.now + rule.recheckMs, giveUpAt);
        return { kind: "hold", policy: "veto", reason: `${withCommand}; held, re-checked at ${formatTime(untilMs)} (dropped after ${formatTime(giveUpAt)})`, untilMs, causes: cited };
      }
      return ALLOW;
    },
  };
}

/** The rule's condition compiled against only what it reads. Throws on a resolver bug. */
function programOf(rule: VetoRule): ExprProgram {
  const compiled = compile(rule.when, vetoEnv(catalogueOfCelReads(rule.reads)), [], "bool");
  if (!compiled.ok) throw new Error(`veto ${rule.id}: ${JSON.stringify(rule.when)} passed the resolver but does not compile: ${compiled.problems[0].expected}`);
  return compiled.program;
}
