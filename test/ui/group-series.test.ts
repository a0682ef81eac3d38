// The app's group series: a complete run of a scenario with groups carries its group telemetry
// through the worker protocol (RunAssembler.finish), the chooser lists exactly the sampled
// series, and `series` reads a group series by its group id as it reads a component's.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { ChunkStream } from "../../ui/model/chunk-stream.js";
import { RunAssembler } from "../../ui/model/run-assembler.js";
import { series } from "../../ui/model/payload.js";
import { groupSeriesNames, linePoints } from "../../ui/views/group-series.js";
import { repoPath } from "../helpers/scenarios.js";

const FILE = "docs/examples/zone-capacity.yaml";

describe("group series in the app", () => {
  const run = runScenario(loadVariant(readFileSync(repoPath(FILE), "utf8"), FILE, "coordinated").scenario);
  const t = run.telemetry;
  const g = t.groups!;
  const assembler = new RunAssembler(1, { scenario: "zone-capacity", description: "", variants: [], seed: 1, durationMs: run.scenario.durationMs, components: [], agents: [], telemetry: { componentIds: [...t.componentIds], signalNames: [...t.signalNames], capacity: t.capacity } });
  const done = assembler.finish(new ChunkStream().take({ tMs: run.endTimeMs, log: run.log, agentStates: run.agentStates, telemetry: t }).chunk, {
    finalHash: run.finalHash, findings: [], expectations: [], passed: true,
    groups: { componentIds: [...g.componentIds], signalNames: [...g.signalNames], count: g.count, times: g.times.slice(0, g.count), values: g.values.slice(0, g.count * g.width) },
  });

  it("lists each group's sampled series and none it does not sample", () => {
    const names = groupSeriesNames(done.telemetry);
    expect(names).toContain("cells.sum.replicas");
    expect(names).toContain("zone-a.avg.utilization");
    expect(names).toContain("zone-b.fraction.unavailable");
    // cells is read only for replicas and fractions: no utilization series for it.
    expect(names.some((n) => n.startsWith("cells.") && n.includes("utilization"))).toBe(false);
    expect(names).toHaveLength(g.componentIds.length * 6 + 3 * 8 + 4);
  });

  it("reads a group series by the group id, equal to the engine's", () => {
    expect(Array.from(series(done.telemetry, "cells", "sum.replicas"))).toEqual(Array.from(t.series("cells", "sum.replicas")));
    expect(Array.from(series(done.telemetry, "cell-a1", "replicas"))).toEqual(Array.from(t.series("cell-a1", "replicas")));
  });

  it("draws a line spanning the run between the series' min and max", () => {
    const values = series(done.telemetry, "cells", "sum.replicas");
    const { points, min, max } = linePoints(values, done.telemetry.groups!.times, run.scenario.durationMs);
    expect([min, max]).toEqual([60, 72]);
    const xs = points.split(" ").map((p) => Number(p.split(",")[0]));
    expect(xs[0]).toBe(0);
    expect(xs[xs.length - 1]).toBe(600);
  });
});

describe("derived signals in the app's group series", () => {
  const FILE2 = "docs/examples/derived-signals.yaml";
  const run = runScenario(loadVariant(readFileSync(repoPath(FILE2), "utf8"), FILE2, "coordinated").scenario);
  const t = run.telemetry;
  const g = t.groups!;
  const assembler = new RunAssembler(1, { scenario: "derived-signals", description: "", variants: [], seed: 1, durationMs: run.scenario.durationMs, components: [], agents: [], telemetry: { componentIds: [...t.componentIds], signalNames: [...t.signalNames], capacity: t.capacity } });
  const done = assembler.finish(new ChunkStream().take({ tMs: run.endTimeMs, log: run.log, agentStates: run.agentStates, telemetry: t }).chunk, {
    finalHash: run.finalHash, findings: [], expectations: [], passed: true,
    groups: { componentIds: [...g.componentIds], signalNames: [...g.signalNames], count: g.count, times: g.times.slice(0, g.count), values: g.values.slice(0, g.count * g.width) },
  });

  it("lists a component's and a group's derived series and reads them as the engine does", () => {
    const names = groupSeriesNames(done.telemetry);
    expect(names).toContain("apia.saturation");
    expect(names).toContain("apis.saturation");
    const values = Array.from(series(done.telemetry, "apia", "saturation"));
    expect(values).toEqual(Array.from(t.series("apia", "saturation")));
    expect(values.some((v) => v > 0.5)).toBe(true);
  });
});
