// crossfire compare and whatif from the command line (in-process), on scenarios and run files.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { crossfire } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "crossfire-analysis-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const SCENARIO = "scenarios/cost-vs-performance.yaml";

describe("crossfire compare", () => {
  it("compares a scenario's first two variants: findings, expectations, cost, first divergence", () => {
    const r = crossfire(["compare", SCENARIO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ +blind +coordinated$/m);
    expect(r.stdout).toMatch(/^findings +thrashing x1 +none$/m);
    expect(r.stdout).toMatch(/^expectations +5\/5 met +5\/5 met$/m);
    expect(r.stdout).toMatch(/^total cost +\$\d+\.\d\d +\$\d+\.\d\d$/m);
    expect(r.stdout).toContain("first divergence in meaning at 00:03:00 (blind #2, coordinated #2):\n  cost's write web.replicas 8 -> 6 at 00:03:00 was applied in blind (#2) and rejected by lease in coordinated (#2): web.replicas is leased to perf");
    expect(r.stdout).toMatch(/coordinated: #2 00:03:00 cost: REJECTED web\.replicas = 6: web\.replicas is leased to perf/);
    // record #0 binds the variant (so a run file's header is covered), so two variants' chains part at once
    expect(r.stdout).toContain("the hash chains diverge at #0");
  });

  it("compares two saved run files the same way as the live runs", () => {
    const a = join(tmp, "blind.ndjson");
    const b = join(tmp, "coordinated.ndjson");
    expect(crossfire(["run", SCENARIO, "--variant", "blind", "--out", a, "--quiet"]).code).toBe(0);
    expect(crossfire(["run", SCENARIO, "--variant", "coordinated", "--out", b, "--quiet"]).code).toBe(0);
    const saved = JSON.parse(crossfire(["compare", a, b, "--json"]).stdout);
    const live = JSON.parse(crossfire(["compare", SCENARIO, "--json"]).stdout);
    expect(saved.chainDivergence).toBe(0);
    expect({ ...saved.divergence, description: "" }).toEqual({ ...live.divergence, description: "" });
    expect(saved.divergence).toMatchObject({ kind: "outcome", a: { seq: 2, actor: "cost" }, b: { seq: 2, type: "command.rejected" } });
    expect({ ...saved.a, label: "" }).toEqual({ ...live.a, label: "" });
    expect({ ...saved.b, label: "" }).toEqual({ ...live.b, label: "" });
  });

  // The record hashes and seqs of this scenario change whenever its world model does: assert on
  // what happened (who, which knob, applied or rejected), not on numbers.
  it("dynamodb-dns-race: the first divergence in meaning is enactor-a's stale write, applied in blind and rejected in coordinated", () => {
    const r = crossfire(["compare", "scenarios/dynamodb-dns-race.yaml", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const { divergence, hidden, chainDivergence } = JSON.parse(r.stdout);
    expect(divergence.kind).toBe("outcome");
    expect(divergence.a).toMatchObject({ actor: "enactor-a", target: "ddb-dns", data: { knob: "plan" } });
    expect(typeof divergence.a.data.to).toBe("number"); // applied in blind
    expect(divergence.b).toMatchObject({ actor: "enactor-a", target: "ddb-dns", type: "command.rejected", data: { knob: "plan", policy: "compareAndSet", value: divergence.a.data.to } });
    expect(divergence.description).toMatch(/^enactor-a's write ddb-dns\.plan \d+ -> \d+ at 00:08:\d\d(\.\d+)? was applied in blind \(#\d+\) and rejected by compareAndSet in coordinated \(#\d+\): stale write/);
    // Before it the two logs differ only in what the fenced enactors send along (expectedVersion).
    expect(hidden.count).toBeGreaterThan(0);
    expect(hidden.first[0].fields).toContain("data.expectedVersion");
    expect(chainDivergence).toBeLessThan(divergence.a.seq);
  });

  it("needs two variants or two files", () => {
    const r = crossfire(["compare", "docs/examples/first-scenario.yaml", "--variants", "brownout"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("compare needs two variants");
  });
});

describe("crossfire whatif", () => {
  it("--mute: identical up to the intervention, then compared", () => {
    const r = crossfire(["whatif", SCENARIO, "--mute", "cost@1h"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^what if: mute cost from 01:00:00 {2}\(cost-vs-performance \[blind\], seed 42\)$/m);
    expect(r.stdout).toMatch(/^identical up to #\d+ \(hash [0-9a-f]{12} in both\); they diverge at #\d+, where the intervention takes effect$/m);
    expect(r.stdout).toMatch(/what if: #\d+ 01:0\d:00 cost: command\.suppressed/);
    // The outcome in words: muting the cost agent leaves the system as healthy as it was, and the expectations hold.
    expect(r.stdout).toContain("\nsystem: healthy, as without the intervention\nthe blind variant's expectations still hold (5/5)\n");
    expect(r.stdout).toMatch(/^ {2}cost's write web\.replicas \d+ -> \d+ at 01:0\d:00 was applied in original \(#\d+\) and suppressed by the intervention \(mute cost from [^)]+\) in what if \(#\d+\)$/m);
  });

  it("--policy switches another variant's coordination on from a time", () => {
    const r = crossfire(["whatif", SCENARIO, "--policy", "coordinated.lease@2h", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.interventions[0]).toMatchObject({ kind: "policy", fromMs: 7_200_000, label: "coordinated's lease policy" });
    expect(out.comparison.b.rejected).toBeGreaterThan(0);
    expect(out.comparison.chainDivergence).toBeGreaterThan(0);
    expect(out.comparison.divergence).toMatchObject({ kind: "outcome", b: { type: "command.rejected", data: { policy: "lease" } } });
  });

  it("says what the outcome means when an intervention prevents the outage the variant's expectations describe", () => {
    const r = crossfire(["whatif", "scenarios/dynamodb-dns-race.yaml", "--variant", "blind", "--mute", "enactor-a@8m"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\nsystem: healthy \(was: outage, worst availability 0% \(front\)\)\nthe blind variant's expectations \(which describe the outage\) hold \d+\/16, as expected when the outage is prevented\n/);
  });

  it("explains bad interventions as usage errors", () => {
    expect(crossfire(["whatif", SCENARIO]).stderr).toContain("give at least one intervention");
    expect(crossfire(["whatif", SCENARIO, "--mute", "cost"]).stderr).toContain("expected NAME@TIME");
    expect(crossfire(["whatif", SCENARIO, "--policy", "coordinatd@1h"]).stderr).toContain("expected a variant of scenarios/cost-vs-performance.yaml (blind, coordinated, cooldown)");
    const block = crossfire(["whatif", SCENARIO, "--block", "0"]);
    expect(block.code).toBe(2);
    expect(block.stderr).toContain("#0 is run.started by engine");
  });
});

describe("crossfire explain", () => {
  it("a knob change: causes as a tree, root causes, what followed, findings it witnesses", () => {
    const r = crossfire(["explain", SCENARIO, "37", "--depth", "2"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("#37 01:15:00 perf: web.replicas 6 -> 8 because web.utilization = 0.822 > 0.750; caused by #36 cost replicas.scaled");
    expect(r.stdout).toContain("\n  as a root cause: reversal of cost's change #36\n");
    expect(r.stdout).toContain("\n  #36 01:14:00 cost: web.replicas 8 -> 6 because web.utilization = 0.625 < 0.650\n    #35 01:09:00 perf: web.replicas 6 -> 8");
    expect(r.stdout).toMatch(/root causes \(faults first, then stale writes, reversals and deletions, then routine actions, then workload changes; earliest first\):\n {2}1\. #36 01:14:00 cost \(reversal, 1 step back\): reversal of perf's change #35: /);
    expect(r.stdout).toMatch(/what followed: \d+ events over \S+ \(up to \d+ steps on\), touching web; agents that reacted: cost, perf/);
    expect(r.stdout).toContain("findings it witnesses:\n  thrashing on web.replicas by cost, perf:");
  });

  it("a failure in a cascade: its root cause is the injected fault", () => {
    const r = crossfire(["explain", "docs/examples/first-scenario.yaml", "4"]);
    expect(r.stdout.split("\n")[0]).toBe("#4 00:20:10 db: became unhealthy (errorRate 0.3, p95 5ms); caused by #1 db-brownout fault.started");
    expect(r.stdout).toMatch(/1\. #1 00:20:00 db-brownout \(fault, 1 step back\)/);
  });

  it("refuses a seq outside the run", () => {
    const r = crossfire(["explain", SCENARIO, "100000"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("expected the #seq of a record of this run (0..116)");
  });
});

describe("crossfire export", () => {
  const run = join(tmp, "export.ndjson");

  it("writes every format from a run file, and the same from the scenario", () => {
    expect(crossfire(["run", SCENARIO, "--out", run, "--quiet"]).code).toBe(0);
    // OTLP dates spans by the clock unless --epoch pins them.
    const pinned = (format: string) => (format === "otlp" ? ["--epoch", "2025-01-01T00:00:00Z"] : []);
    for (const format of ["otlp", "dot", "html", "shiviz"]) {
      const fromFile = crossfire(["export", run, "--format", format, ...pinned(format)]);
      expect(fromFile.code, fromFile.stderr).toBe(0);
      const fromScenario = crossfire(["export", SCENARIO, "--format", format, ...pinned(format)]);
      // The HTML report names its source file in the "reproduce" line; everything else is identical.
      if (format !== "html") expect(fromFile.stdout).toBe(fromScenario.stdout);
    }
    const otlp = JSON.parse(crossfire(["export", run, "--format", "otlp", ...pinned("otlp")]).stdout);
    expect(otlp.resourceSpans[0].scopeSpans[0].spans.length).toBeGreaterThan(100);
    expect(crossfire(["export", run, "--format", "dot", "--event", "37"]).stdout).toMatch(/^\/\/ Crossfire neighbourhood of #37/);
    expect(crossfire(["export", run, "--format", "html"]).stdout).toMatch(/^<!DOCTYPE html>/i);
  });

  it("--out writes the file atomically and says so on stderr", () => {
    const out = join(tmp, "report.html");
    const r = crossfire(["export", run, "--format", "html", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^wrote .*report\.html \(html, \d+ bytes\)\n$/);
  });

  it("--max-nodes caps the DOT graph, and a bad value or another format is a usage error", () => {
    const dot = crossfire(["export", run, "--format", "dot", "--max-nodes", "12"]);
    expect(dot.code, dot.stderr).toBe(0);
    expect(dot.stdout.match(/^\s+n\d+ \[/gm)).toHaveLength(12);
    expect(dot.stdout).toMatch(/^\/\/ truncated: showing 12 of \d+ records/m);
    const event = crossfire(["export", run, "--format", "dot", "--event", "37", "--max-nodes", "3"]);
    expect(event.stdout.match(/^\s+n\d+ \[/gm)).toHaveLength(3);
    for (const bad of ["0", "-5", "2.5", "many", ""]) {
      const r = crossfire(["export", run, "--format", "dot", "--max-nodes", bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain(`--max-nodes: expected a positive whole number, found ${JSON.stringify(bad)}`);
    }
    const otlp = crossfire(["export", run, "--format", "otlp", "--max-nodes", "10"]);
    expect(otlp.code).toBe(2);
    expect(otlp.stderr).toContain("--max-nodes: applies to --format dot only");
  });

  it("rejects an unknown format", () => {
    const r = crossfire(["export", run, "--format", "pdf"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format: expected one of otlp, dot, html, shiviz, found "pdf"');
  });
});
