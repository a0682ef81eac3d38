// Root-cause-to-impact paths: the chain rule on hand-built logs (waypoints, then fewest edges,
// then lowest seqs; null when there is no chain) and on library runs (the DynamoDB DNS race's
// cascade from enactor-a's stale write to ddb-dns failing).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { criticalPath, findingPath } from "../../sim/causal/critical-path.js";
import { buildCausalGraph } from "../../sim/causal/graph.js";
import { detect } from "../../sim/detect/index.js";
import type { Finding } from "../../sim/detect/finding.js";
import { runScenario } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { repoPath } from "../helpers/scenarios.js";
import { cascadeLog, HandLog } from "./logs.js";

describe("criticalPath on hand-built logs", () => {
  // A diamond with a shortcut: a -> b -> d, a -> c -> d, a -> d.
  const h = new HandLog();
  const a = h.fault(1_000, "f", "db");
  const b = h.health(2_000, "db", false, [a]);
  const c = h.health(3_000, "web", false, [a]);
  const d = h.health(4_000, "lb", false, [a, b, c]);
  const lone = h.fault(5_000, "g", "web");
  const graph = buildCausalGraph(h.records, { agents: [] });

  it("takes the fewest edges when no waypoint is asked for", () => {
    expect(criticalPath(graph, a, d)).toEqual([a, d]);
  });

  it("goes through a waypoint when it can, before fewer edges", () => {
    expect(criticalPath(graph, a, d, { waypoints: [c] })).toEqual([a, c, d]);
    expect(criticalPath(graph, a, d, { waypoints: [b] })).toEqual([a, b, d]);
  });

  it("breaks ties by the lowest parent seq", () => {
    expect(criticalPath(graph, a, d, { waypoints: [b, c] })).toEqual([a, b, d]);
  });

  it("is null without a chain, [seq] from a record to itself", () => {
    expect(criticalPath(graph, lone, d)).toBeNull();
    expect(criticalPath(graph, d, a)).toBeNull();
    expect(criticalPath(graph, b, c)).toBeNull();
    expect(criticalPath(graph, b, b)).toEqual([b]);
  });

  it("follows a cascade hop by hop", () => {
    const { log, fault, dbDown, webDown, lbDown, lbUp } = cascadeLog();
    const g = buildCausalGraph(log, { agents: ["perf"] });
    expect(criticalPath(g, fault, lbDown)).toEqual([fault, dbDown, webDown, lbDown]);
    expect(criticalPath(g, fault, lbUp)).toEqual([fault, dbDown, webDown, lbDown, lbUp]);
  });
});

describe("findingPath on hand-built findings", () => {
  const { log, fault, dbDown, webDown, lbDown, scale } = cascadeLog();
  const graph = buildCausalGraph(log, { agents: ["perf"] });
  const finding = (witnesses: number[], rootCauses: number[]): Finding => ({ kind: "cascade", severity: "critical", from: 0, to: 0, subjects: [], actors: [], components: [], witnesses, rootCauses, metrics: {}, explanation: [] });

  it("runs from the first root cause to the latest symptom among the witnesses, with delays and the total", () => {
    const path = findingPath(graph, finding([dbDown, webDown, lbDown, scale], [fault]))!;
    // The scale-out is a later witness but not a symptom: lb failing is the impact.
    expect(path.impactSeq).toBe(lbDown);
    expect(path.steps.map((s) => s.seq)).toEqual([fault, dbDown, webDown, lbDown]);
    expect(path.steps.map((s) => s.delayMs)).toEqual([10_000, 5_000, 5_000, undefined]);
    expect(path.totalMs).toBe(20_000);
    expect(path.waypointsOnPath).toBe(2);
  });

  it("is the root alone when no later witness descends from it, and null without a root", () => {
    const path = findingPath(graph, finding([fault, dbDown], [lbDown]))!;
    expect(path.steps.map((s) => s.seq)).toEqual([lbDown]);
    expect(path.totalMs).toBe(0);
    expect(findingPath(graph, finding([dbDown], []))).toBeNull();
  });
});

describe("the DynamoDB DNS race's cascade (scenarios/dynamodb-dns-race.yaml, blind)", () => {
  const file = "scenarios/dynamodb-dns-race.yaml";
  const scenario = loadVariant(readFileSync(repoPath(file), "utf8"), file, "blind").scenario;
  const run = runScenario(scenario);
  const findings = detect({ scenario, log: run.log, telemetry: run.telemetry });
  const graph = buildCausalGraph(run.log, { agents: scenario.agents.map((a) => a.id), findings });
  // Found by meaning, not seq (seqs move with the world model).
  const staleApply = run.log.find((r) => r.type === "record.updated" && r.actor === "enactor-a" && (r.data.to as number) < (r.data.from as number))!;
  const deletion = run.log.find((r) => r.type === "document.deleted" && r.data.version === staleApply.data.to)!;
  const dnsDown = run.log.find((r) => r.type === "health.changed" && r.target === "ddb-dns" && r.data.healthy === false)!;
  const cascade = findings.find((f) => f.kind === "cascade")!;

  it("leads from the stale write through the deletion to ddb-dns failing, root cause first", () => {
    const path = findingPath(graph, cascade)!;
    const seqs = path.steps.map((s) => s.seq);
    expect(seqs[0]).toBe(staleApply.seq);
    expect(seqs.slice(0, 3)).toEqual([staleApply.seq, deletion.seq, dnsDown.seq]);
    // The impact is the latest failure among the cascade's witnesses that the stale write caused.
    expect(cascade.witnesses).toContain(path.impactSeq);
    expect(run.log[path.impactSeq].type).toBe("health.changed");
    for (let k = 1; k < seqs.length; k++) expect(run.log[seqs[k]].causes).toContain(seqs[k - 1]);
    expect(path.totalMs).toBe(run.log[path.impactSeq].t - staleApply.t);
    expect(path.steps[0].delayMs).toBe(deletion.t - staleApply.t);
  });

  it("gives every finding of the run a path that starts at its first root cause and follows cause edges", () => {
    for (const f of findings) {
      const path = findingPath(graph, f)!;
      expect(path.rootSeq, f.kind).toBe(f.rootCauses[0]);
      const seqs = path.steps.map((s) => s.seq);
      for (let k = 1; k < seqs.length; k++) expect(run.log[seqs[k]].causes, f.kind).toContain(seqs[k - 1]);
      // Deterministic: the same answer twice from the same graph.
      expect(findingPath(graph, f)).toEqual(path);
    }
  });
});
