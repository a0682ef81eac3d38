// Validation of documents before they propagate: a put whose content breaks the rules (too many
// rows, too large, wrong schema tag) is rejected, so readers keep the last good version.
// Internally generated config is treated like user input (the Cloudflare lesson).
import { knobMatcher } from "./knob-pattern.js";
import { ALLOW, type CommandContext, type CommandPolicy, type Verdict } from "./types.js";

/** Rules a document must satisfy; absent rules are not checked. */
export interface DocumentRules {
  rowsMax?: number;
  sizeBytesMax?: number;
  schema?: string;
}

/** Describes the first rule `content` breaks, or null. Pure. */
export function ruleViolation(content: { rows: number; sizeBytes: number; schema: string }, rules: DocumentRules): string | null {
  if (rules.rowsMax !== undefined && content.rows > rules.rowsMax) return `${content.rows} rows exceed the limit of ${rules.rowsMax}`;
  if (rules.sizeBytesMax !== undefined && content.sizeBytes > rules.sizeBytesMax) return `${content.sizeBytes} bytes exceed the limit of ${rules.sizeBytesMax}`;
  if (rules.schema !== undefined && content.schema !== rules.schema) return `schema ${JSON.stringify(content.schema)} is not the expected ${JSON.stringify(rules.schema)}`;
  return null;
}

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
