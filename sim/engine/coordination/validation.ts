// Validation of documents before they propagate: a put whose content breaks the rules (too many
// rows, too large, wrong schema tag) is rejected, so readers keep the last good version.
// Internally generated config is treated like user input (the Cloudflare lesson).
import { ruleViolation, type DocumentRules } from "../../model/kinds/document-store/documents.js";
import { knobMatcher } from "./knob-pattern.js";
import { ALLOW, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";

/** Rejects puts of matching documents whose content breaks the rules. */
export function validationPolicy(patterns: string[], rules: DocumentRules): CommandPolicy {
  const matcher = knobMatcher(patterns);
  return {
    name: "validation",
    check(ctx: CommandContext): Verdict {
      if (ctx.op !== "put" || !ctx.content || !matcher.matches(ctx.knobKey)) return ALLOW;
      const problem = ruleViolation(ctx.content, rules);
      return problem ? { kind: "reject", policy: "validation", reason: `${ctx.knobKey} version ${ctx.command.value} refused: ${problem}; readers keep version ${ctx.current}` } : ALLOW;
    },
  };
}
