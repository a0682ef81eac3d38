// Cascades: failure spreading along dependencies on hand-built logs (depth, path, witnesses,
// root causes traced through symptoms or guessed from timing) and on the DynamoDB DNS race scenario.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dependencyEdges, detectCascades } from "../../sim/detect/cascade.js";
import { DETECTOR_DEFAULTS, detect } from "../../sim/detect/index.js";
import { runScenario } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";
import { chainScenario, LogBuilder, min } from "./log-builder.js";

const SECOND = 1000;

describe("detectCascades on hand-built logs (edge -> web -> db)", () => {
  it("builds caller -> callee edges from dependsOn and load balancer targets", () => {
    expect(Object.fromEntries(dependencyEdges(chainScenario.components))).toEqual({ edge: ["web"], web: ["db"], db: [], lonely: [] });
  });

  it("fires on db failing, then web, then edge: depth 2, breadth 3, rooted at db, caused by the agent's change", () => {
    const b = new LogBuilder();
    const scaleIn = b.knob(min(5), "dba", "db", "replicas", 2, 0).seq;
    const dbDown = b.health(min(6), "db", false, [0, scaleIn]).seq;
    const webDown = b.health(min(6) + 5 * SECOND, "web", false, [0, scaleIn, dbDown]).seq;
    const edgeDown = b.health(min(7), "edge", false, [webDown]).seq;
    const findings = detectCascades(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(findings).toEqual([
      {
        kind: "cascade",
        severity: "critical",
        from: min(6),
        to: min(7),
        subjects: ["dba", "db", "web", "edge"],
        actors: ["dba"],
        components: ["db", "web", "edge"],
        witnesses: [dbDown, webDown, edgeDown],
        rootCauses: [scaleIn],
        metrics: { depth: 2, breadth: 3, timeToPropagateMs: min(1) },
        explanation: [
          "db failed at 00:06:00 (errorRate 1, p95 10ms) and the failure spread 2 dependency hops to 2 callers within 1m: web at 00:06:05 and edge at 00:07:00.",
          "Path from the root outward: db <- web <- edge (each is called by the next).",
          `Root cause: #${scaleIn} dba lowered db.replicas 2->0 at 00:05:00 because dba wants 0.`,
        ],
      },
    ]);
  });

  it("stays quiet on one hop (web fails with db, edge stays healthy), unless the minimum depth is 1", () => {
    const b = new LogBuilder();
    b.health(min(6), "db", false);
    b.health(min(6), "web", false);
    expect(detectCascades(b.view(chainScenario), DETECTOR_DEFAULTS)).toEqual([]);
    const shallow = detectCascades(b.view(chainScenario), { ...DETECTOR_DEFAULTS, cascadeDepthMin: 1 });
    expect(shallow.map((f) => [f.components, f.metrics.depth])).toEqual([[["db", "web"], 1]]);
  });

  it("does not chain failures that did not overlap: web failing after db recovered roots its own failure", () => {
    const b = new LogBuilder();
    b.health(min(6), "db", false);
    b.health(min(8), "db", true);
    b.health(min(9), "web", false);
    b.health(min(10), "edge", false);
    const [finding, ...rest] = detectCascades(b.view(chainScenario), { ...DETECTOR_DEFAULTS, cascadeDepthMin: 1 });
    expect(rest).toEqual([]);
    expect(finding.components).toEqual(["web", "edge"]);
  });

  it("attributes failures logged in one step callees first, whatever their order in the log", () => {
    const b = new LogBuilder();
    const seqs = ["edge", "web", "db"].map((c) => b.health(min(6), c, false).seq);
    const [finding] = detectCascades(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(finding.components).toEqual(["db", "web", "edge"]);
    expect(finding.witnesses).toEqual(seqs);
    expect(finding.metrics).toEqual({ depth: 2, breadth: 3, timeToPropagateMs: 0 });
  });

  it("counts hops through a dependency that stayed healthy, and says so in the path", () => {
    const b = new LogBuilder();
    b.health(min(6), "db", false);
    b.health(min(7), "edge", false);
    const [finding] = detectCascades(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(finding.components).toEqual(["db", "edge"]);
    expect(finding.metrics.depth).toBe(2);
    expect(finding.explanation[1]).toBe("Path from the root outward: db <- web (stayed healthy) <- edge (each is called by the next).");
  });

  it("continues one cascade when the root fails again while its callers are still down", () => {
    const b = new LogBuilder();
    b.health(min(6), "db", false);
    b.health(min(6), "web", false);
    b.health(min(7), "db", true);
    b.health(min(8), "db", false);
    b.health(min(9), "edge", false);
    const findings = detectCascades(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(findings.map((f) => [f.components, f.from, f.to])).toEqual([[["db", "web", "edge"], min(6), min(9)]]);
  });

  it("traces root causes back through symptoms to the fault and agent action, fault first", () => {
    const b = new LogBuilder();
    const fault = b.fault(min(1), "crash-cleaner", "cleaner").seq;
    const scaleIn = b.knob(min(2), "scaler", "db", "replicas", 2, 1).seq;
    const firstDown = b.health(min(3), "db", false, [0, fault, scaleIn]).seq;
    const up = b.health(min(4), "db", true, [firstDown]).seq;
    b.knob(min(5), "scaler", "web", "replicas", 6, 5); // after the first failure, not a cause of the second
    b.health(min(10), "db", false, [0, up]);
    b.health(min(10), "web", false);
    b.health(min(10), "edge", false);
    const [finding] = detectCascades(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(finding.from).toBe(min(10));
    expect(finding.rootCauses).toEqual([fault, scaleIn]);
    expect(finding.actors).toEqual(["crash-cleaner", "scaler"]);
    expect(finding.explanation[2]).toBe(
      `Root cause: #${fault} fault crash-cleaner (agentCrash) started on cleaner at 00:01:00; the failure also names #${scaleIn} scaler lowered db.replicas 2->1 at 00:02:00.`,
    );
  });

  it("falls back to the most recent action on the root component when the failure names no causes", () => {
    const b = new LogBuilder();
    b.knob(min(1), "scaler", "db", "replicas", 2, 3);
    const last = b.knob(min(2), "scaler", "db", "replicas", 3, 1).seq;
    b.knob(min(3), "other", "web", "replicas", 6, 8); // not on the root
    b.health(min(6), "db", false);
    b.health(min(6), "web", false);
    b.health(min(6), "edge", false);
    const later = b.knob(min(6), "scaler", "db", "replicas", 1, 2).seq; // acts after the failure was seen
    const [finding] = detectCascades(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(finding.rootCauses).toEqual([last]);
    expect(finding.rootCauses).not.toContain(later);
    expect(finding.explanation[2]).toBe(
      `The failure record names no fault or agent action among its causes; the most recent action on db before it was #${last} scaler lowered db.replicas 3->1 at 00:02:00 (by timing, not recorded causation).`,
    );
  });
});

describe("cascade fallback timing", () => {
  it("counts a fault logged at the failure's own time (before the world step) as before it", () => {
    const b = new LogBuilder();
    b.knob(min(2), "scaler", "db", "replicas", 2, 1);
    const fault = b.add({ t: min(6), type: "fault.started", actor: "db-outage", target: "db", data: { effect: "errors", rate: 1 }, causes: [] }).seq;
    b.health(min(6), "db", false);
    b.health(min(6), "web", false);
    b.health(min(6), "edge", false);
    const [finding] = detectCascades(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(finding.rootCauses).toEqual([fault]);
    expect(finding.actors).toEqual(["db-outage"]);
  });
});

describe("cascades on scenarios/dynamodb-dns-race.yaml (blind)", () => {
  const FILE = "scenarios/dynamodb-dns-race.yaml";
  const text = readFileSync(repoPath(FILE), "utf8");

  it("without the front end the customers' failure is one hop (app -> ddb-dns): no cascade finding", () => {
    const unfronted = text.replace("  - id: front\n    kind: loadBalancer\n    targets: [app]\n", "").replace("target: front, pattern", "target: app, pattern");
    expect(unfronted).not.toContain("id: front");
    const run = runScenario(loadVariant(unfronted, FILE, "blind").scenario);
    expect(detect(run).filter((f) => f.kind === "cascade")).toEqual([]);
  });

  it("the empty record fails 2 hops of callers, rooted in the stale apply and the clean-up that deleted its plan", () => {
    const run = runScenario(loadVariant(text, FILE, "blind").scenario);
    const cascades = detect(run).filter((f) => f.kind === "cascade");
    expect(cascades).toHaveLength(1);
    const [c] = cascades;
    expect(c.components).toEqual(["ddb-dns", "app", "dwfm", "front"]);
    expect(c.metrics).toMatchObject({ depth: 2, breadth: 4 });
    for (const seq of c.witnesses) expect(run.log[seq]).toMatchObject({ type: "health.changed", data: { healthy: false } });
    expect(c.rootCauses.map((seq) => [run.log[seq].type, run.log[seq].actor])).toEqual([
      ["record.updated", "enactor-a"],
      ["document.deleted", "enactor-c"],
    ]);
    const first = run.log[c.rootCauses[0]];
    expect((first.data.to as number) < (first.data.from as number)).toBe(true);
    expect(run.log[c.rootCauses[1]].data.version).toBe(first.data.to);
    expect(c.explanation[2]).toMatch(/^Root cause: #\d+ enactor-a set ddb-dns\.plan 17->4 at 00:08:02 because apply plan generation 4 .*; the failure also names #\d+ enactor-c deleted plans\.plan version 4 at 00:08:21/);
  });
});

describe("cascades from a component fault", () => {
  it("names the fault as the root cause of an errors fault on the database failing two tiers of callers", () => {
    const run = runScenario(
      scenarioFromYaml(`
name: brownout
seed: 1
duration: 40m
step: 5s
components:
  - { id: edge, kind: loadBalancer, targets: [web] }
  - { id: web, kind: service, replicas: 4, capacityPerReplica: 100/s, dependsOn: [db] }
  - { id: db, kind: database }
workload:
  - { id: shoppers, target: edge, pattern: { kind: constant, rate: 250/s } }
faults:
  - { id: db-brownout, start: 20m, duration: 10m, target: db, effect: errors, rate: 0.3 }
`),
    );
    const [cascade, ...rest] = detect(run).filter((f) => f.kind === "cascade");
    expect(rest).toEqual([]);
    expect(cascade).toMatchObject({ components: ["db", "web", "edge"], actors: ["db-brownout"], metrics: { depth: 2, breadth: 3 } });
    expect(cascade.rootCauses.map((seq) => run.log[seq].type)).toEqual(["fault.started"]);
    expect(cascade.explanation[2]).toBe(`Root cause: #${cascade.rootCauses[0]} fault db-brownout (errors) started on db at 00:20:00.`);
  });

  it("names an edge fault as the root cause when only one caller's calls fail, not the callee nor its other callers", () => {
    const run = runScenario(
      scenarioFromYaml(`
name: lossy-link
seed: 1
duration: 40m
step: 5s
components:
  - { id: edge, kind: loadBalancer, targets: [front] }
  - { id: front, kind: service, replicas: 4, capacityPerReplica: 100/s, dependsOn: [web] }
  - { id: web, kind: service, replicas: 4, capacityPerReplica: 100/s, dependsOn: [db] }
  - { id: reports, kind: service, dependsOn: [db] }
  - { id: db, kind: database }
workload:
  - { id: shoppers, target: edge, pattern: { kind: constant, rate: 250/s } }
  - { id: analysts, target: reports, pattern: { kind: constant, rate: 50/s } }
faults:
  - { id: lossy-link, start: 20m, duration: 10m, target: db, from: web, effect: errors, rate: 0.3, rampUp: 2m }
`),
    );
    const [cascade, ...rest] = detect(run).filter((f) => f.kind === "cascade");
    expect(rest).toEqual([]);
    expect(cascade).toMatchObject({ components: ["web", "front", "edge"], actors: ["lossy-link"], metrics: { depth: 2, breadth: 3 } });
    expect(cascade.rootCauses.map((seq) => run.log[seq].type)).toEqual(["fault.started"]);
    expect(cascade.explanation[2]).toBe(`Root cause: #${cascade.rootCauses[0]} fault lossy-link (errors) started on the web -> db edge at 00:20:00.`);
    expect(run.log.filter((r) => r.type === "health.changed" && (r.target === "db" || r.target === "reports"))).toEqual([]);
  });
});
