// A small DOT reader for the export tests: tokenizes what causalGraphDot and neighbourhoodDot write
// (comments, quoted strings, ids, punctuation), checks braces balance and every edge joins two
// declared nodes, and returns labels, attributes, edges and comments.
import { expect } from "vitest";

type Token = { kind: "id" | "string" | "punct"; text: string };

/** Tokenizes DOT: `//` comment lines, double-quoted strings (value unescaped), identifiers, punctuation. */
export function tokenize(dot: string): { tokens: Token[]; comments: string[] } {
  const tokens: Token[] = [];
  const comments: string[] = [];
  let i = 0;
  while (i < dot.length) {
    const ch = dot[i];
    if (/\s/.test(ch)) i++;
    else if (dot.startsWith("//", i)) {
      const end = dot.indexOf("\n", i);
      comments.push(dot.slice(i + 2, end < 0 ? dot.length : end).trim());
      i = end < 0 ? dot.length : end;
    } else if (ch === '"') {
      let value = "";
      i++;
      for (;;) {
        if (i >= dot.length) throw new Error("unterminated string");
        const c = dot[i];
        if (c === "\n") throw new Error("raw newline inside a string");
        if (c === '"') break;
        if (c === "\\") {
          const next = dot[i + 1];
          value += next === "n" ? "\n" : next;
          i += 2;
        } else {
          value += c;
          i++;
        }
      }
      i++;
      tokens.push({ kind: "string", text: value });
    } else if (dot.startsWith("->", i)) {
      tokens.push({ kind: "punct", text: "->" });
      i += 2;
    } else if ("{}[];,=".includes(ch)) {
      tokens.push({ kind: "punct", text: ch });
      i++;
    } else {
      const m = /^[A-Za-z0-9_.#]+/.exec(dot.slice(i));
      if (!m) throw new Error(`unexpected ${JSON.stringify(ch)} at ${i}`);
      tokens.push({ kind: "id", text: m[0] });
      i += m[0].length;
    }
  }
  return { tokens, comments };
}

/** Checks DOT structure and returns node labels by id, edges and comments. */
export function parseDot(dot: string): { labels: Map<string, string>; attrs: Map<string, Map<string, string>>; edges: [string, string][]; comments: string[] } {
  const { tokens, comments } = tokenize(dot);
  expect(tokens[0].text).toBe("digraph");
  let depth = 0;
  for (const t of tokens) {
    if (t.kind !== "punct") continue;
    if (t.text === "{") depth++;
    if (t.text === "}") depth--;
    expect(depth).toBeGreaterThanOrEqual(0);
  }
  expect(depth).toBe(0);
  const labels = new Map<string, string>();
  const attrs = new Map<string, Map<string, string>>();
  const edges: [string, string][] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind !== "id" || !/^n\d+$/.test(t.text)) continue;
    const next = tokens[k + 1];
    if (next?.text === "->") {
      edges.push([t.text, tokens[k + 2].text]);
      k += 2;
    } else if (next?.text === "[") {
      const map = new Map<string, string>();
      let j = k + 2;
      while (tokens[j].text !== "]") {
        if (tokens[j].kind !== "punct") {
          expect(tokens[j + 1].text).toBe("=");
          map.set(tokens[j].text, tokens[j + 2].text);
          j += 3;
        } else j++;
      }
      expect(attrs.has(t.text), `${t.text} declared twice`).toBe(false);
      attrs.set(t.text, map);
      labels.set(t.text, map.get("label")!);
      k = j;
    }
  }
  for (const [a, b] of edges) {
    expect(attrs.has(a), `edge endpoint ${a} declared`).toBe(true);
    expect(attrs.has(b), `edge endpoint ${b} declared`).toBe(true);
  }
  return { labels, attrs, edges, comments };
}
