// A ramp workload in a run: one `workload.changed` at its start (saying where it heads) and one
// at its end, the rate interpolated every step in between, and load during the ramp citing the start.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

describe("ramp workload in the engine", () => {
  it("logs its start and end only and interpolates the offered load in between", () => {
    const run = runScenario(
      scenarioFromYaml(`
name: ramp-run
seed: 1
duration: 30m
step: 10s
components:
  - { id: web, kind: service, replicas: 10 }
workload:
  - { id: w, target: web, pattern: { kind: ramp, from: 100/s, to: 400/s, at: 10m, over: 10m } }
`),
    );
    const changes = run.log.filter((r) => r.type === "workload.changed");
    expect(changes.map((r) => [r.t, r.data])).toEqual([
      [600_000, { from: 100, to: 400, pattern: "ramp", shape: "linear", overMs: 600_000 }],
      [1_200_000, { from: 399.9995, to: 400, pattern: "ramp" }],
    ]);
    const load = run.telemetry.series("web", "loadRps");
    const at = (tMs: number) => load[run.telemetry.indexAt(tMs)];
    expect(at(300_000)).toBe(100);
    expect(at(900_000)).toBeCloseTo(250, 3);
    expect(at(1_500_000)).toBe(400);
  });
});
