// Where a character of a YAML scalar's value is in the source text: CEL problems name an offset
// into the expression, and the file:line:col must point at that character inside the plain,
// quoted or block scalar that holds it. Pure.
import { Scalar } from "yaml";

/**
 * The source offset of character `index` of `node`'s string value in `source`. Aligns the value
 * with the scalar's source text, skipping what YAML removed (quotes, indentation, folded line
 * breaks, the second quote of `''`, the backslash of `\"`). Escapes that change characters (`\n`,
 * `\x41` in double-quoted scalars) cannot be aligned: then it answers the scalar's first
 * character, a sound approximation. Pure.
 */
export function scalarSourceOffset(source: string, node: Scalar, index: number): number {
  const range = node.range;
  if (!range) return 0;
  const [start, valueEnd] = range;
  const value = typeof node.value === "string" ? node.value : String(node.value);
  let j = start;
  if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) j = start + 1;
  else if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    const newline = source.indexOf("\n", start);
    if (newline < 0) return start;
    j = newline + 1;
  }
  const target = Math.max(0, Math.min(index, value.length));
  for (let i = 0; i <= target; i++) {
    if (i === value.length) return Math.min(j, valueEnd);
    const ch = value[i];
    // A folded line break or a newline kept by a block scalar may stand for source whitespace.
    while (j < valueEnd && source[j] !== ch && !(ch === " " && source[j] === "\n")) j++;
    if (j >= valueEnd) return start;
    if (i === target) return j;
    if (ch === " " && source[j] === "\n") {
      // A folded break: skip the break and the next line's indentation.
      j++;
      while (j < valueEnd && (source[j] === " " || source[j] === "\t")) j++;
      continue;
    }
    j++;
  }
  return start;
}
