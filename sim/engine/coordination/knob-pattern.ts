// Knob patterns in coordination settings: `web.replicas`, `web.*`, `*.weight.*`. `*` matches any
// run of characters, including dots.

/** A compiled set of knob patterns. */
export interface KnobMatcher {
  matches(knobKey: string): boolean;
  /** The first pattern that matches, for messages. */
  first(knobKey: string): string | undefined;
}

/** Compiles patterns into a matcher. Pure. */
export function knobMatcher(patterns: readonly string[]): KnobMatcher {
  const compiled = patterns.map((p) => ({ pattern: p, re: new RegExp(`^${p.split("*").map(escape).join(".*")}$`) }));
  return {
    matches: (key) => compiled.some((c) => c.re.test(key)),
    first: (key) => compiled.find((c) => c.re.test(key))?.pattern,
  };
}

function escape(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}
