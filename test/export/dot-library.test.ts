// Every library scenario's causal graph (every variant), exported as `crossfire export --format dot`
// does, stays small enough for Graphviz: at most DOT_NODES_MAX records and 3x as many edges, valid
// DOT, the findings' witnesses drawn, and few virtual nodes (counted for a longest-path ranking,
// an upper bound on what dot's own ranking makes). Where Graphviz is installed, each lays out
// within a timeout; on a machine without it that test is skipped.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { causalGraphDot, DOT_NODES_MAX } from "../../sim/export/dot.js";
import { loadSuite } from "../../sim/scenario/load.js";
import { parseDot } from "../causal/dot-parse.js";
import { repoPath } from "../helpers/scenarios.js";
import { checkedRun } from "./runs.js";

const LAYOUT_SECONDS_MAX = 20;
/** The largest library graph drew 844 records over 5021 edges, at most 211,869 virtual nodes (dot: 93,272) before the cap. */
const VIRTUAL_NODES_MAX = 10_000;

// On CI (.ci/run installs Graphviz) a missing dot is a failure, not a skip.
const hasDot = spawnSync("dot", ["-V"], { stdio: "ignore" }).status === 0 || process.env.CI === "true";

const cases = readdirSync(repoPath("scenarios"))
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .flatMap((f) => loadSuite(readFileSync(repoPath(`scenarios/${f}`), "utf8"), f).variants.map((v) => [`scenarios/${f}`, v.name] as const));

/** Virtual nodes a longest-path ranking of `edges` makes: one per rank an edge skips. Pure. */
function virtualNodesUpper(edges: readonly [string, string][]): number {
  const pairs = edges.map(([a, b]) => [Number(a.slice(1)), Number(b.slice(1))] as const).sort((x, y) => x[1] - y[1] || x[0] - y[0]);
  const rank = new Map<number, number>();
  for (const [from, to] of pairs) rank.set(to, Math.max(rank.get(to) ?? 0, (rank.get(from) ?? 0) + 1));
  return pairs.reduce((n, [from, to]) => n + rank.get(to)! - (rank.get(from) ?? 0) - 1, 0);
}

function exported(file: string, variant: string): { dot: string; witnesses: number[] } {
  const c = checkedRun(file, variant);
  const findings = c.verdict.findings;
  const dot = causalGraphDot(c.run.log, { title: c.run.scenario.name, agents: c.run.scenario.agents.map((a) => a.id), findings });
  return { dot, witnesses: [...new Set(findings.flatMap((f) => [...f.witnesses, ...f.rootCauses]))] };
}

describe("DOT export of every library scenario", () => {
  it("covers every variant of every library scenario", () => {
    expect(cases.length).toBeGreaterThanOrEqual(16);
  });

  it.each(cases)("%s [%s] is capped, valid DOT, keeps the witnesses and has few virtual nodes", (file, variant) => {
    const { dot, witnesses } = exported(file, variant);
    const parsed = parseDot(dot);
    expect(parsed.labels.size).toBeLessThanOrEqual(DOT_NODES_MAX);
    expect(parsed.edges.length).toBeLessThanOrEqual(3 * DOT_NODES_MAX);
    expect(virtualNodesUpper(parsed.edges)).toBeLessThanOrEqual(VIRTUAL_NODES_MAX);
    if (witnesses.length <= DOT_NODES_MAX) for (const w of witnesses) expect(parsed.labels.has(`n${w}`), `witness #${w} drawn`).toBe(true);
  });

  it.skipIf(!hasDot).each(cases)(`%s [%s] lays out with Graphviz dot within ${LAYOUT_SECONDS_MAX} s`, (file, variant) => {
    const { dot } = exported(file, variant);
    const r = spawnSync("dot", ["-Tsvg", "-o", "/dev/null"], { input: dot, timeout: LAYOUT_SECONDS_MAX * 1000 });
    expect(r.error, `dot did not finish in ${LAYOUT_SECONDS_MAX} s`).toBeUndefined();
    expect(r.status, r.stderr?.toString()).toBe(0);
  }, (LAYOUT_SECONDS_MAX + 30) * 1000);
});
