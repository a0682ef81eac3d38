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
import { parseDot } from "./dot-parse.js";
import { cascadeLog, HandLog } from "./logs.js";

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

  it("beyond the cap keeps the witnesses and their nearest causes and effects, and says how to see more", () => {
    // 600 records in one chain: each scales after the one before (and cites the one before that too).
    const h = new HandLog();
    for (let i = 1; i <= 600; i++) h.scale(i * 1000, i % 2 === 0 ? "cost" : "perf", "web", i, i + 1, i === 1 ? [0] : [i - 1, i - 2]);
    const dot = causalGraphDot(h.records, { highlight: { witnesses: [300] }, maxNodes: 21 });
    const parsed = parseDot(dot);
    expect([...parsed.labels.keys()].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))).toEqual(Array.from({ length: 21 }, (_, i) => `n${290 + i}`));
    expect(parsed.attrs.get("n300")!.get("color")).toBe("#1f5fbf");
    const note = parsed.comments.find((c) => c.startsWith("truncated: showing 21 of 601 records, the findings' 1 witnesses"));
    expect(note).toContain("--max-nodes");
    expect(note).toContain("--event <seq>");
    // Small graphs keep their lane clusters and every edge.
    expect(dot).toContain("subgraph cluster_");
    expect(parsed.edges).toHaveLength(2 * 20 - 1);
  });

  it("draws large graphs without clusters, without implied edges and within the edge cap", () => {
    const h = new HandLog();
    for (let i = 1; i <= 600; i++) h.scale(i * 1000, i % 2 === 0 ? "cost" : "perf", "web", i, i + 1, i === 1 ? [0] : [i - 1, i - 2]);
    const dot = causalGraphDot(h.records, { highlight: { witnesses: [300] } });
    const parsed = parseDot(dot);
    expect(parsed.labels.size).toBe(400);
    expect(dot).not.toContain("subgraph");
    expect(dot).toContain("nslimit=2");
    // i-2 -> i is implied by i-2 -> i-1 -> i: only the chain is left, and reachability with it.
    expect(parsed.edges.length).toBe(399);
    expect(parsed.edges.every(([a, b]) => Number(b.slice(1)) - Number(a.slice(1)) === 1)).toBe(true);
    expect(parsed.comments.some((c) => c.startsWith("edges: 398 cause edges that a chain of drawn edges already implies are left out"))).toBe(true);
    expect(parsed.comments.some((c) => c.startsWith("lanes: not drawn as clusters"))).toBe(true);
    const capped = parseDot(causalGraphDot(h.records, { highlight: { witnesses: [300] }, maxEdges: 100 }));
    expect(capped.edges).toHaveLength(100);
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
