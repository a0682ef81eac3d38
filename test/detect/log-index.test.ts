// The log index: one pass groups what detectors read, in log order; detectors given the index
// find exactly what they find when they index the log themselves.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ACTION_KINDS, classifyActions } from "../../sim/detect/action-rank.js";
import { detectCascades } from "../../sim/detect/cascade.js";
import { detectFlapping } from "../../sim/detect/flapping.js";
import { DETECTOR_DEFAULTS, detect } from "../../sim/detect/index.js";
import { detectIntentAttribution } from "../../sim/detect/intent-attribution.js";
import { buildLogIndex } from "../../sim/detect/log-index.js";
import { detectLostUpdates } from "../../sim/detect/lost-update.js";
import { detectRetryStorms } from "../../sim/detect/retry-storm.js";
import { detectThrashing } from "../../sim/detect/thrashing.js";
import { runScenario } from "../../sim/engine/engine.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";
import { LogBuilder, min } from "./log-builder.js";

describe("buildLogIndex", () => {
  it("groups knob changes, health, faults, rejections, document writes and workload changes in log order", () => {
    const b = new LogBuilder();
    const k1 = b.knob(min(1), "perf", "web", "replicas", 6, 8);
    const h1 = b.health(min(2), "db", false);
    const fault = b.componentFault(min(3), "brownout", "db");
    const k2 = b.knob(min(4), "perf", "edge", "weight.web", 50, 60);
    const rejected = b.rejected(min(5), "cost", "web", "replicas", 4);
    const put = b.put(min(6), "planner", "plans", "plan", 2, 3);
    const k3 = b.knob(min(7), "cost", "web", "replicas", 8, 6);
    const ended = b.faultEnded(min(8), fault);
    const del = b.deleted(min(9), "enactor", "plans", "plan", 1);
    const load = b.workload(min(10), "users", "edge", 100, 200);
    const h2 = b.health(min(11), "db", true);
    b.add({ t: min(12), type: "health.changed", actor: "x", data: { healthy: false }, causes: [] }); // no target: skipped
    b.knob(min(13), "perf", "web", "replicas", 6, 6); // no change: not a knob change
    const index = buildLogIndex(b.records);
    expect(index.knobChanges).toEqual([k1, k2, k3]);
    expect([...index.knobChangesByKnob.keys()]).toEqual(["web.replicas", "edge.weight.web"]);
    expect(index.knobChangesByKnob.get("web.replicas")).toEqual([k1, k3]);
    expect(index.health).toEqual([h1, h2]);
    expect([...index.healthByComponent]).toEqual([["db", [h1, h2]]]);
    expect(index.faults).toEqual([fault, ended]);
    expect(index.rejections).toEqual([rejected]);
    expect(index.documentWrites).toEqual([put, del]);
    expect(index.documentWritesByDocument.get("plans.plan")).toEqual([put, del]);
    expect(index.workloadChanges).toEqual([load]);
    expect(index.healthAndActions).toEqual([k1, h1, fault, k2, put, k3, del, h2]);
    expect(index.at(put.seq)).toBe(put);
    expect(index.at(10_000)).toBeUndefined();
  });

  it("ranks actions as the causal graph does (sim/detect/action-rank.ts)", () => {
    const b = new LogBuilder();
    const up = b.knob(min(1), "perf", "web", "replicas", 4, 6);
    const down = b.knob(min(2), "cost", "web", "replicas", 6, 4);
    const del = b.deleted(min(3), "enactor", "plans", "plan", 1);
    const h = b.health(min(4), "web", false, [down.seq]);
    const index = buildLogIndex(b.records);
    expect([up, down, del, h].map((r) => ACTION_KINDS[index.actionKind(r.seq)])).toEqual(["routine action", "reversal", "deletion", "none"]);
    const run = runScenario(scenarioFromYaml(readFileSync(repoPath("scenarios/dynamodb-dns-race.yaml"), "utf8")));
    const { kinds } = classifyActions(run.log);
    const fromIndex = buildLogIndex(run.log);
    for (const r of run.log) if (r.type !== "health.changed" && r.actor !== "engine") expect(fromIndex.actionKind(r.seq), `#${r.seq}`).toBe(kinds[r.seq]);
  });

  it("gives every detector the same findings as indexing the log itself", () => {
    for (const file of ["scenarios/cost-vs-performance.yaml", "scenarios/dynamodb-dns-race.yaml", "test/incidents/nlb-sketch.yaml", "scenarios/retry-storm.yaml"]) {
      const run = runScenario(scenarioFromYaml(readFileSync(repoPath(file), "utf8")));
      const index = buildLogIndex(run.log);
      const o = DETECTOR_DEFAULTS;
      expect(detectThrashing(run, o, index), file).toEqual(detectThrashing(run, o));
      expect(detectFlapping(run, o, index), file).toEqual(detectFlapping(run, o));
      expect(detectCascades(run, o, index), file).toEqual(detectCascades(run, o));
      expect(detectLostUpdates(run, index), file).toEqual(detectLostUpdates(run));
      expect(detectRetryStorms(run, o, index), file).toEqual(detectRetryStorms(run, o));
      expect(detectIntentAttribution(run, o, index), file).toEqual(detectIntentAttribution(run, o));
      expect(detect(run).length, file).toBeGreaterThan(0);
    }
  });
});
