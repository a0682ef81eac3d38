// DOT export: the text parses structurally (balanced braces, every edge endpoint declared), labels
// survive escaping, truncation is announced, and highlights land on the right nodes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCausalGraph } from "../../sim/causal/graph.js";
import { neighbourhoodLayout } from "../../sim/causal/layout.js";
import { detect } from "../../sim/detect/index.js";
import { runScenario } from "../../sim/engine/engine.js";
import { causalGraphDot, escapeDot, eventLabel, neighbourhoodDot } from "../../sim/export/dot.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";
import { cascadeLog, HandLog } from "./logs.js";

type Token = { kind: "id" | "string" | "punct"; text: string };

/** Tokenizes DOT: `//` comment lines, double-quoted strings (value unescaped), identifiers, punctuation. */
function tokenize(dot: string): { tokens: Token[]; comments: string[] } {
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
function parseDot(dot: string): { labels: Map<string, string>; attrs: Map<string, Map<string, string>>; edges: [string, string][]; comments: string[] } {
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

const text = readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8");
const scenario = scenarioFromYaml(text.slice(0, text.indexOf("\nexpect:")));
const run = runScenario(scenario);

describe("escapeDot", () => {
  it("escapes backslashes, quotes and line breaks", () => {
    expect(escapeDot('a "b" \\c\nd\r')).toBe('a \\"b\\" \\\\c\\nd');
    expect(escapeDot("tab\there")).toBe("tab here");
  });
});

describe("causalGraphDot", () => {
  it("parses structurally and labels every record as `#seq actor` over what it did", () => {
    const dot = causalGraphDot(run.log, { title: scenario.name });
    const parsed = parseDot(dot);
    expect(parsed.labels.size).toBe(run.log.length);
    expect(parsed.edges).toHaveLength(run.log.reduce((n, r) => n + r.causes.length, 0));
    expect(parsed.labels.get("n2")).toBe("#2 cost\nreplicas.scaled web 8->6");
    for (const r of run.log) expect(parsed.labels.get(`n${r.seq}`)).toBe(eventLabel(r));
    expect((dot.match(/subgraph cluster_/g) ?? []).length).toBe(3);
  });

  it("round-trips labels with quotes, backslashes and line breaks", () => {
    const h = new HandLog();
    const weird = 'ag"ent\\x';
    h.scale(1000, weird, 'C:\\new "web"\\', 1, 2, [0]);
    h.add(2000, "note.added", "ops\nteam", { text: "x" }, [1], 'tail\\');
    const parsed = parseDot(causalGraphDot(h.records));
    expect(parsed.labels.get("n1")).toBe(eventLabel(h.records[1]));
    expect(parsed.labels.get("n1")).toBe(`#1 ${weird}\nreplicas.scaled C:\\new "web"\\ 1->2`);
    expect(parsed.labels.get("n2")).toBe(eventLabel(h.records[2]));
    expect(parsed.edges).toEqual([
      ["n0", "n1"],
      ["n1", "n2"],
    ]);
  });

  it("caps the size with a comment line saying what was left out", () => {
    const dot = causalGraphDot(run.log, { maxNodes: 10 });
    const parsed = parseDot(dot);
    expect(parsed.labels.size).toBe(10);
    expect(parsed.comments.some((c) => c.startsWith(`truncated: showing the first 10 of ${run.log.length} records`))).toBe(true);
    expect(causalGraphDot(run.log)).not.toContain("truncated");
  });

  it("ranks records logged at the same time together in time mode", () => {
    const c = cascadeLog();
    const h = new HandLog();
    h.health(1000, "a", false, [0]);
    h.health(1000, "b", false, [0]);
    const dot = causalGraphDot(h.records, { rank: "time" });
    parseDot(dot);
    expect(dot).toContain("{ rank=same; n1; n2; }");
    expect(causalGraphDot(c.log, { rank: "time" })).not.toContain("subgraph");
  });

  it("highlights root causes and finding witnesses", () => {
    const findings = detect({ scenario, log: run.log, telemetry: run.telemetry });
    const parsed = parseDot(causalGraphDot(run.log, { findings, highlight: { rootCauses: [1] } }));
    expect(parsed.attrs.get("n1")!.get("fillcolor")).toBe("#f8d0d0");
    expect(parsed.attrs.get("n3")!.get("color")).toBe("#1f5fbf");
    expect(parsed.attrs.get("n0")!.has("penwidth")).toBe(false);
  });
});

describe("neighbourhoodDot", () => {
  it("draws one rank per layer with the event double-bordered and says how many were dropped", () => {
    const graph = buildCausalGraph(run.log);
    const layout = neighbourhoodLayout(graph, 40, { maxNodes: 5 });
    const dot = neighbourhoodDot(graph, layout, { highlight: { rootCauses: graph.rootCauses(40).map((r) => r.seq) } });
    const parsed = parseDot(dot);
    expect(parsed.labels.size).toBe(5);
    expect(parsed.attrs.get("n40")!.get("peripheries")).toBe("2");
    expect(parsed.attrs.get("n39")!.get("fillcolor")).toBe("#f8d0d0");
    expect(parsed.comments.some((c) => c.startsWith(`dropped: ${layout.dropped} more records`))).toBe(true);
    expect(parsed.edges.length).toBe(layout.edges.length);
  });
});
