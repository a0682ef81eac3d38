// Staged rollout: a consumer's rollout knob may only go up one stage at a time, and only after the
// bake time since its previous change; a `version` write may only land while the rollout is at the
// first stage or below; optionally, last-known-good promotions wait until no rollout changed
// within the bake time. Lowering a rollout (rolling a stage back) is always allowed.
import { formatDuration, formatTime } from "../../core/units.js";
import { knobMatcher } from "./knob-pattern.js";
import { ALLOW, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";

/** The staged-rollout rule of a scenario: rollout knobs, stage percents (ascending, ending at 100), bake time, LKG documents. */
export interface StagedRolloutRule {
  knobs: string[];
  stages: number[];
  bakeMs: number;
  /** `store.document` patterns whose puts are last-known-good promotions. */
  lkg: string[];
}

const VERSION_KNOB = "version";
const ROLLOUT_KNOB = "rollout";

/** Rejects rollout writes that skip a stage or come before the bake time, and version writes that would skip the stages. */
export function stagedRolloutPolicy(rule: StagedRolloutRule): CommandPolicy {
  const rollouts = knobMatcher(rule.knobs);
  const promotions = knobMatcher(rule.lkg);
  const first = rule.stages[0];
  const plan = rule.stages.join("% -> ") + "%";
  const bake = formatDuration(rule.bakeMs);
  // The last applied write of each rollout knob: when the current stage began.
  const lastChange = new Map<string, { t: number; seq: number; value: number }>();

  const checkRollout = (ctx: CommandContext): Verdict => {
    const from = ctx.current;
    const to = ctx.command.value;
    if (to <= from) return ALLOW;
    const next = rule.stages.find((s) => s > from) ?? 100;
    if (to > next) {
      return { kind: "reject", policy: "stagedRollout", reason: `${ctx.knobKey} ${from}% -> ${to}% skips the ${next}% stage (stages ${plan})` };
    }
    const last = lastChange.get(ctx.knobKey);
    if (from > 0 && last && ctx.now < last.t + rule.bakeMs) {
      return {
        kind: "reject",
        policy: "stagedRollout",
        reason: `${ctx.knobKey} ${from}% -> ${to}% comes ${formatDuration(ctx.now - last.t)} after the ${from}% stage began; it must bake ${bake} (not before ${formatTime(last.t + rule.bakeMs)})`,
        causes: [last.seq],
      };
    }
    return ALLOW;
  };

  const checkVersion = (ctx: CommandContext): Verdict => {
    const rolloutKey = `${ctx.command.target}.${ROLLOUT_KNOB}`;
    if (!rollouts.matches(rolloutKey)) return ALLOW;
    const rollout = ctx.knobValue?.(ctx.command.target, ROLLOUT_KNOB);
    if (rollout === undefined || rollout <= first) return ALLOW;
    return {
      kind: "reject",
      policy: "stagedRollout",
      reason: `${ctx.knobKey} ${ctx.current} -> ${ctx.command.value} would load version ${ctx.command.value} on ${rollout}% of ${ctx.command.target} at once; lower ${rolloutKey} to ${first}% first and advance through ${plan}`,
    };
  };

  const checkPromotion = (ctx: CommandContext): Verdict => {
    for (const [key, last] of lastChange) {
      if (ctx.now >= last.t + rule.bakeMs) continue;
      return {
        kind: "reject",
        policy: "stagedRollout",
        reason: `${ctx.knobKey} promotion refused: ${key} changed to ${last.value}% at ${formatTime(last.t)}, less than the bake time ${bake} ago (not before ${formatTime(last.t + rule.bakeMs)})`,
        causes: [last.seq],
      };
    }
    return ALLOW;
  };

  return {
    name: "stagedRollout",
    check(ctx: CommandContext): Verdict {
      if (ctx.op === "put") return promotions.matches(ctx.knobKey) ? checkPromotion(ctx) : ALLOW;
      if (ctx.op !== "set") return ALLOW;
      if (rollouts.matches(ctx.knobKey)) return checkRollout(ctx);
      if (ctx.command.knob === VERSION_KNOB && ctx.command.value !== ctx.current) return checkVersion(ctx);
      return ALLOW;
    },
    applied(ctx: CommandContext, seq: number): void {
      if (ctx.op === "set" && rollouts.matches(ctx.knobKey)) lastChange.set(ctx.knobKey, { t: ctx.now, seq, value: ctx.command.value });
    },
  };
}
