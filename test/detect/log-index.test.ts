// The log index: one pass groups what detectors read, in log order. On real run logs every group
// equals a plain re-derivation by filtering the log (referenceIndex below), and detectors given
// that reference find exactly what they find with buildLogIndex.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ACTION_KINDS, classifyActions, KIND_NONE } from "../../sim/detect/action-rank.js";
import { detectCascades } from "../../sim/detect/cascade.js";
import { detectFlapping } from "../../sim/detect/flapping.js";
import { DETECTOR_DEFAULTS, detect } from "../../sim/detect/index.js";
import { detectIntentAttribution } from "../../sim/detect/intent-attribution.js";
import type { KnobChange } from "../../sim/detect/explain.js";
import { buildLogIndex, type LogIndex } from "../../sim/detect/log-index.js";
import { detectLostUpdates } from "../../sim/detect/lost-update.js";
import { detectRetryStorms } from "../../sim/detect/retry-storm.js";
import { detectThrashing } from "../../sim/detect/thrashing.js";
import { runScenario } from "../../sim/engine/engine.js";
import { loadSuite } from "../../sim/scenario/load.js";
import type { EventRecord } from "../../sim/log/record.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";
import { LogBuilder, min } from "./log-builder.js";

// Types buildLogIndex files under their own group; such a record is never also a knob change.
const GROUPED_TYPES = new Set(["health.changed", "fault.started", "fault.ended", "command.rejected", "workload.changed", "document.put", "document.deleted"]);

/** Groups `list` by `key`, keys in order of first appearance, as a list of [key, records]. */
function groupBy<T>(list: readonly T[], key: (r: T) => string): [string, T[]][] {
  const groups: [string, T[]][] = [];
  for (const r of list) {
    const k = key(r);
    const group = groups.find(([g]) => g === k);
    if (group) group[1].push(r);
    else groups.push([k, [r]]);
  }
  return groups;
}

/**
 * The log index re-derived the slow, obvious way (one filter of the whole log per group,
 * actionKind from classifyActions), written from LogIndex's documentation rather than from
 * buildLogIndex, so a mistake in the one-pass switch shows up as a difference.
 */
function referenceIndex(log: readonly EventRecord[]): LogIndex {
  const isKnob = (r: EventRecord): r is KnobChange =>
    !GROUPED_TYPES.has(r.type) && r.target !== undefined && typeof r.data.knob === "string" && typeof r.data.from === "number" && typeof r.data.to === "number" && r.data.from !== r.data.to;
  const knobChanges = log.filter(isKnob);
  const health = log.filter((r) => r.type === "health.changed" && r.target !== undefined);
  const documentWrites = log.filter((r) => r.type === "document.put" || r.type === "document.deleted");
  const { kinds } = classifyActions(log);
  return {
    log,
    knobChanges,
    knobChangesByKnob: new Map(groupBy(knobChanges, (r) => `${r.target}.${r.data.knob}`)),
    health,
    healthByComponent: new Map(groupBy(health, (r) => r.target!)),
    faults: log.filter((r) => r.type === "fault.started" || r.type === "fault.ended"),
    rejections: log.filter((r) => r.type === "command.rejected"),
    documentWrites,
    documentWritesByDocument: new Map(groupBy(documentWrites, (r) => `${r.target}.${String(r.data.document)}`)),
    workloadChanges: log.filter((r) => r.type === "workload.changed"),
    healthAndActions: log.filter((r) => health.includes(r) || r.type === "fault.started" || isKnob(r) || documentWrites.includes(r)),
    at: (seq) => log.find((r) => r.seq === seq),
    actionKind: (seq) => (log[seq]?.type === "health.changed" ? KIND_NONE : (kinds[seq] ?? KIND_NONE)),
  };
}

// The default variants have no rejections and no workload changes; the coordinated
// cost-vs-performance variant has rejections, and retry-storm with a load step has a workload change.
const RUN_FILES = ["scenarios/cost-vs-performance.yaml", "scenarios/dynamodb-dns-race.yaml", "test/incidents/nlb-sketch.yaml", "scenarios/retry-storm.yaml"];
const COORDINATED = "scenarios/cost-vs-performance.yaml";

describe("buildLogIndex", () => {
  const coordinated = loadSuite(readFileSync(repoPath(COORDINATED), "utf8"), COORDINATED).variants.find((v) => v.name === "coordinated")!.scenario;
  const constantLoad = "pattern: { kind: constant, rate: 800/s }";
  const retryStorm = readFileSync(repoPath("scenarios/retry-storm.yaml"), "utf8");
  expect(retryStorm).toContain(constantLoad);
  const withLoadStep = retryStorm.replace(constantLoad, "pattern: { kind: steps, steps: [{ at: 0s, rate: 800/s }, { at: 5m, rate: 700/s }] }");
  const runs = [
    ...RUN_FILES.map((file) => [file, runScenario(scenarioFromYaml(readFileSync(repoPath(file), "utf8")))] as const),
    [`${COORDINATED} [coordinated]`, runScenario(coordinated)] as const,
    ["retry-storm with a load step", runScenario(scenarioFromYaml(withLoadStep))] as const,
  ];

  it("groups real run logs exactly as the plain re-derivation does", () => {
    const sizes = { knobChanges: 0, health: 0, faults: 0, rejections: 0, documentWrites: 0, workloadChanges: 0 };
    for (const [file, run] of runs) {
      const index = buildLogIndex(run.log);
      const ref = referenceIndex(run.log);
      expect(index.knobChanges, file).toEqual(ref.knobChanges);
      expect([...index.knobChangesByKnob], file).toEqual([...ref.knobChangesByKnob]);
      expect(index.health, file).toEqual(ref.health);
      expect([...index.healthByComponent], file).toEqual([...ref.healthByComponent]);
      expect(index.faults, file).toEqual(ref.faults);
      expect(index.rejections, file).toEqual(ref.rejections);
      expect(index.documentWrites, file).toEqual(ref.documentWrites);
      expect([...index.documentWritesByDocument], file).toEqual([...ref.documentWritesByDocument]);
      expect(index.workloadChanges, file).toEqual(ref.workloadChanges);
      expect(index.healthAndActions, file).toEqual(ref.healthAndActions);
      for (const r of run.log) {
        expect(index.at(r.seq), `${file} #${r.seq}`).toBe(r);
        expect(index.actionKind(r.seq), `${file} #${r.seq} ${r.type}`).toBe(ref.actionKind(r.seq));
      }
      for (const key of Object.keys(sizes) as (keyof typeof sizes)[]) sizes[key] += ref[key].length;
    }
    // Every group is exercised by some real log, so no comparison above is empty everywhere.
    for (const [group, size] of Object.entries(sizes)) expect(size, group).toBeGreaterThan(0);
  });

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

  it("gives every detector the same findings from the re-derived index as from buildLogIndex", () => {
    for (const [file, run] of runs) {
      const ref = referenceIndex(run.log);
      const o = DETECTOR_DEFAULTS;
      expect(detectThrashing(run, o), file).toEqual(detectThrashing(run, o, ref));
      expect(detectFlapping(run, o), file).toEqual(detectFlapping(run, o, ref));
      expect(detectCascades(run, o), file).toEqual(detectCascades(run, o, ref));
      expect(detectLostUpdates(run), file).toEqual(detectLostUpdates(run, ref));
      expect(detectRetryStorms(run, o), file).toEqual(detectRetryStorms(run, o, ref));
      expect(detectIntentAttribution(run, o), file).toEqual(detectIntentAttribution(run, o, ref));
    }
    for (const [file, run] of runs.slice(0, RUN_FILES.length)) expect(detect(run).length, file).toBeGreaterThan(0);
  });
});
