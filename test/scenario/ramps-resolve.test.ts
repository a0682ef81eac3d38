// Ramp patterns, fault ramps and edge faults in the file format: they resolve to milliseconds and
// rates, a fault without them resolves exactly as before, and bad ones are refused at their field.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";

const base = `name: ramps
seed: 1
duration: 1h
components:
  - { id: web, kind: service, dependsOn: [db] }
  - { id: api, kind: service }
  - { id: db, kind: database }
`;

function problemsOf(text: string): ScenarioError {
  try {
    loadScenario(text, "bad.yaml");
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error("expected a ScenarioError");
}

describe("ramps and edge faults in a scenario file", () => {
  it("resolve a ramp workload, fault ramps and an edge", () => {
    const s = loadScenario(
      `${base}workload:
  - { id: w, target: web, pattern: { kind: ramp, from: 100/s, to: 6000/m, at: 5m, over: 10m, shape: exponential } }
faults:
  - { id: f, start: 10m, duration: 20m, target: db, from: web, effect: latency, add: 300ms, rampUp: 5m, rampDown: 2m }
  - { id: g, start: 10m, target: db, effect: errors, rate: 0.5 }
`,
      "ok.yaml",
    );
    expect(s.workloads[0].pattern).toEqual({ kind: "ramp", fromRps: 100, toRps: 100, atMs: 300_000, overMs: 600_000, shape: "exponential" });
    expect(s.faults![0]).toEqual({ id: "f", startMs: 600_000, durationMs: 1_200_000, target: "db", from: "web", effect: "latency", addMs: 300, rampUpMs: 300_000, rampDownMs: 120_000 });
    expect(s.faults![1]).toEqual({ id: "g", startMs: 600_000, target: "db", effect: "errors", rate: 0.5 });
  });

  it("refuse an exponential ramp from 0, a ramp-down without a duration, ramps longer than the fault and a caller that does not call the target", () => {
    const e = problemsOf(`${base}workload:
  - { id: w, target: web, pattern: { kind: ramp, from: 0, to: 100/s, at: 0s, over: 10m, shape: exponential } }
faults:
  - { id: f, start: 10m, target: db, effect: latency, add: 300ms, rampDown: 2m }
  - { id: g, start: 10m, duration: 5m, target: db, effect: errors, rampUp: 4m, rampDown: 2m }
  - { id: h, start: 10m, target: db, from: api, effect: errors }
`);
    expect(e.problems.map((p) => p.path.join("."))).toEqual(["workload.0.pattern.shape", "faults.0.rampDown", "faults.1.rampUp", "faults.2.from"]);
    expect(e.problems[3].expected).toContain("a component that calls db (web)");
  });
});
