// Intent attribution: a reacting agent (autoscaler, health checker, router) acting on the
// symptoms of another agent's deliberate capacity cut fires with the cut, the path and the
// reaction as witnesses; reactions with a fault behind them, on the same knob, on unrelated
// components, outside the window or not treating anything as failed stay quiet.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DETECTOR_DEFAULTS, detect } from "../../sim/detect/index.js";
import { capacityCutOf, detectIntentAttribution } from "../../sim/detect/intent-attribution.js";
import { runScenario } from "../../sim/engine/engine.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";
import { LogBuilder, min } from "./log-builder.js";

/** edge (health-checked) -> web, web2 -> db, with a reacting agent of each kind and two deliberate ones. */
const agentsScenario = scenarioFromYaml(`
name: intents
seed: 1
duration: 24h
step: 5s
components:
  - { id: edge, kind: loadBalancer, targets: [web, web2], healthChecks: true }
  - { id: web, kind: service, replicas: 6, replicasMax: 20, dependsOn: [db] }
  - { id: web2, kind: service, replicas: 6, replicasMax: 20 }
  - { id: db, kind: database, replicas: 4 }
agents:
  - { id: perf, kind: performance, target: web }
  - { id: cost, kind: cost, target: db }
  - { id: checks, kind: healthChecker, target: edge }
  - { id: router, kind: routing, target: edge }
  - id: operator
    kind: statechart
    initial: idle
    states: { idle: {} }
`);

/** cost lowers db.replicas at 10 min; db and then web fail because of it. */
function costCut(b: LogBuilder, extraCauses: number[] = []): { cut: number; dbDown: number; webDown: number } {
  const cut = b.knob(min(10), "cost", "db", "replicas", 4, 2, { reason: "db.utilization = 0.2 < 0.4" }).seq;
  const dbDown = b.health(min(10) + 15_000, "db", false, [...extraCauses, cut].sort((x, y) => x - y)).seq;
  const webDown = b.health(min(10) + 15_000, "web", false, [...extraCauses, cut, dbDown].sort((x, y) => x - y)).seq;
  return { cut, dbDown, webDown };
}

describe("detectIntentAttribution on hand-built logs", () => {
  it("fires on perf scaling web out because of latency that cost's scale-in of db caused", () => {
    const b = new LogBuilder();
    const { cut, webDown } = costCut(b);
    const reaction = b.knob(min(11), "perf", "web", "replicas", 6, 8, { causes: [webDown], reason: "web.latencyMsP95 = 140ms > 100ms" }).seq;
    const [finding, ...rest] = detectIntentAttribution(b.view(agentsScenario), DETECTOR_DEFAULTS);
    expect(rest).toEqual([]);
    expect(finding).toEqual({
      kind: "intentAttribution",
      severity: "warning",
      from: min(10),
      to: min(11),
      subjects: ["cost", "perf", "db.replicas", "web.replicas", "db", "web"],
      actors: ["cost", "perf"],
      components: ["db", "web"],
      knob: "db.replicas",
      witnesses: [cut, webDown, reaction],
      rootCauses: [cut],
      metrics: { reactions: 1, firstReactionAfterMs: min(1) },
      explanation: [
        `perf raised web.replicas 6->8 1m after #${cut} cost deliberately lowered db.replicas 4->2 at 00:10:00 (db.utilization = 0.2 < 0.4): it treated the consequences of another agent's intended capacity cut as a fault.`,
        `#${reaction} perf raised web.replicas 6->8 at 00:11:00 because web.latencyMsP95 = 140ms > 100ms, caused by #${cut} through #${webDown} web unhealthy, with no fault among its causes.`,
      ],
    });
  });

  it("fires on a health checker taking out a target an operator drained, once per deliberate change and reacting agent", () => {
    const b = new LogBuilder();
    const drain = b.knob(min(5), "operator", "web", "replicas", 6, 1, { reason: "drain web for maintenance" }).seq;
    const out1 = b.knob(min(5) + 30_000, "checks", "edge", "inService.web", 1, 0, { causes: [drain] }).seq;
    b.knob(min(6), "checks", "edge", "inService.web", 0, 1, { causes: [drain] }); // returning it is not a fault response
    const out2 = b.knob(min(7), "checks", "edge", "inService.web", 1, 0, { causes: [drain] }).seq;
    const [finding, ...rest] = detectIntentAttribution(b.view(agentsScenario), DETECTOR_DEFAULTS);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ actors: ["checks", "operator"], witnesses: [drain, out1, out2], metrics: { reactions: 2, firstReactionAfterMs: 30_000 } });
    expect(finding.explanation[0]).toBe(
      `checks took web out of edge 30s after #${drain} operator deliberately lowered web.replicas 6->1 at 00:05:00 (drain web for maintenance): it treated the consequences of another agent's intended capacity cut as a fault, 2 times.`,
    );
    expect(finding.explanation[1]).toBe(`#${out1} checks took web out of edge at 00:05:30 because checks wants 0, caused by #${drain} directly, with no fault among its causes.`);
  });

  it("stays quiet when a fault is behind the symptoms too, even with a deliberate cut among the causes", () => {
    const b = new LogBuilder();
    const fault = b.componentFault(min(9), "db-brownout", "db").seq;
    const { webDown } = costCut(b, [fault]);
    b.knob(min(11), "perf", "web", "replicas", 6, 8, { causes: [webDown] });
    expect(detectIntentAttribution(b.view(agentsScenario), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("stays quiet on a reaction caused by a fault alone", () => {
    const b = new LogBuilder();
    const fault = b.componentFault(min(9), "db-brownout", "db").seq;
    const down = b.health(min(10), "web", false, [fault]).seq;
    b.knob(min(11), "perf", "web", "replicas", 6, 8, { causes: [down] });
    expect(detectIntentAttribution(b.view(agentsScenario), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("leaves a reaction on the same knob to the thrashing detector", () => {
    const b = new LogBuilder();
    const cut = b.knob(min(10), "operator", "web", "replicas", 6, 4).seq;
    b.knob(min(11), "perf", "web", "replicas", 4, 6, { causes: [cut] });
    expect(detectIntentAttribution(b.view(agentsScenario), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("stays quiet when the reaction's subject does not depend on what was cut", () => {
    const b = new LogBuilder();
    const drain = b.knob(min(5), "operator", "web", "replicas", 6, 1).seq;
    // One probe step shares its causes among all its commands: taking web2 out names web's drain too.
    b.knob(min(5) + 30_000, "checks", "edge", "inService.web2", 1, 0, { causes: [drain] });
    b.knob(min(5) + 30_000, "router", "edge", "weight.web2", 50, 40, { causes: [drain] });
    expect(detectIntentAttribution(b.view(agentsScenario), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("stays quiet outside intentWindowMs, and fires with a longer window", () => {
    const b = new LogBuilder();
    const { webDown } = costCut(b);
    b.knob(min(25), "perf", "web", "replicas", 6, 8, { causes: [webDown] });
    expect(detectIntentAttribution(b.view(agentsScenario), DETECTOR_DEFAULTS)).toEqual([]);
    expect(detectIntentAttribution(b.view(agentsScenario), { ...DETECTOR_DEFAULTS, intentWindowMs: min(20) })).toHaveLength(1);
  });

  it("stays quiet on changes that respond to health rather than failure, and on non-reacting agents", () => {
    const b = new LogBuilder();
    const { webDown } = costCut(b);
    b.knob(min(11), "perf", "web", "replicas", 8, 6, { causes: [webDown] }); // scaling in
    b.knob(min(11), "router", "edge", "weight.web", 40, 60, { causes: [webDown] }); // moving weight onto web
    b.knob(min(11), "operator", "web", "replicas", 6, 8, { causes: [webDown] }); // an operator is deliberate, not reacting
    b.knob(min(11), "stranger", "web", "replicas", 6, 8, { causes: [webDown] }); // not an agent of the scenario
    expect(detectIntentAttribution(b.view(agentsScenario), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("names the capacity a change cuts", () => {
    const b = new LogBuilder();
    const cuts = [
      b.knob(1, "x", "web", "replicas", 6, 4),
      b.knob(2, "x", "web", "replicas", 4, 6),
      b.knob(3, "x", "edge", "inService.web", 1, 0),
      b.knob(4, "x", "edge", "weight.web", 50, 0),
      b.knob(5, "x", "edge", "weight.web", 50, 40),
      b.knob(6, "x", "web", "cpuRequestMillicores", 500, 250),
    ].map((r) => capacityCutOf(r as Parameters<typeof capacityCutOf>[0]));
    expect(cuts).toEqual(["web", undefined, "web", "web", undefined, "web"]);
  });
});

describe("intent attribution on scenarios", () => {
  it("finds none on cost-vs-performance (the agents fight over one knob: thrashing) or retry-storm (no reacting agent)", () => {
    for (const file of ["scenarios/cost-vs-performance.yaml", "scenarios/retry-storm.yaml"]) {
      const run = runScenario(scenarioFromYaml(readFileSync(repoPath(file), "utf8")));
      expect(detect(run).filter((f) => f.kind === "intentAttribution"), file).toEqual([]);
    }
  });

  it("on the NLB sketch, blames the health checker's removals of az-a on the operator statechart's cut, and none with a capacityLoss fault instead", () => {
    const text = readFileSync(repoPath("test/incidents/nlb-sketch.yaml"), "utf8");
    const [f, ...rest] = detect(runScenario(scenarioFromYaml(text))).filter((x) => x.kind === "intentAttribution");
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ actors: ["health-checks", "network-state"], knob: "az-a.replicas" });
    expect(f.explanation[0]).toMatch(/^health-checks took az-a out of nlb 30s after #\d+ network-state deliberately lowered az-a\.replicas 10->5 at 00:02:00/);
    // The same impairment written as a fault: reacting to it is the health checker's job.
    const start = text.indexOf("  - id: network-state");
    const end = text.indexOf("  - id: health-checks");
    const asFault = `${text.slice(0, start)}${text.slice(end)}faults:\n  - { id: network-state, target: az-a, start: 2m, duration: 10m, effect: capacityLoss, fraction: 0.5 }\n`;
    const faulted = runScenario(scenarioFromYaml(asFault));
    expect(faulted.log.some((r) => r.actor === "health-checks" && r.data.knob === "inService.az-a" && r.data.to === 0)).toBe(true);
    expect(detect(faulted).filter((x) => x.kind === "intentAttribution")).toEqual([]);
  });
});
