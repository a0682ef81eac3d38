// INCIDENTS.md section 6 expressed in YAML: a 60 s capacity drop tips clients with immediate
// retries into a storm that keeps the service failed after capacity returns (metastable).
// A retry budget, or a server queue bounded well under the client timeout, lets it recover.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";

const text = readFileSync(repoPath("test/incidents/retry-storm-sketch.yaml"), "utf8");
const TRIGGER_END_MS = 180_000;

function at(run: RunResult, component: string, signal: string, tMs: number): number {
  return run.telemetry.series(component, signal)[run.telemetry.indexAt(tMs)];
}

describe("retry storm sketch, blind", () => {
  const run = runScenario(scenarioFromYaml(text));

  it("is healthy before the trigger", () => {
    expect(at(run, "api", "loadRps", 110_000)).toBeCloseTo(800, 0);
    expect(at(run, "clients", "errorRate", 110_000)).toBe(0);
  });

  it("stays overloaded after capacity returns: load ~4x (about 3,200 rps) and goodput under 10%", () => {
    expect(run.log.filter((r) => r.type === "replicas.scaled").map((r) => [r.t, r.data.to])).toEqual([
      [120_000, 5],
      [180_000, 10],
    ]);
    for (const t of [TRIGGER_END_MS + 60_000, TRIGGER_END_MS + 300_000, 600_000]) {
      expect(at(run, "api", "loadRps", t)).toBeGreaterThan(3000);
      expect(at(run, "clients", "amplification", t)).toBeGreaterThan(3.5);
      expect(1 - at(run, "clients", "errorRate", t)).toBeLessThan(0.1);
    }
  });

  it("marks the service unhealthy and never healthy again", () => {
    const changes = run.log.filter((r) => r.type === "health.changed" && r.target === "api");
    expect(changes.at(-1)!.data.healthy).toBe(false);
    expect(changes.at(-1)!.t).toBeLessThan(TRIGGER_END_MS);
  });
});

describe("retry storm sketch, with the fixes", () => {
  it("recovers with a 10% retry budget", () => {
    const run = runScenario(scenarioFromYaml(text.replace("    retries: 3", "    retries: 3\n    retryBudget: 0.1")));
    expect(at(run, "api", "loadRps", TRIGGER_END_MS + 60_000)).toBeLessThan(900);
    expect(at(run, "clients", "errorRate", TRIGGER_END_MS + 120_000)).toBeLessThan(0.01);
  });

  it("recovers when the server drops requests after 200 ms of queueing, well under the 1 s client timeout", () => {
    const run = runScenario(scenarioFromYaml(text.replace("maxQueue: 10s", "maxQueue: 200ms")));
    expect(at(run, "api", "loadRps", TRIGGER_END_MS + 60_000)).toBeCloseTo(800, 0);
    expect(at(run, "clients", "errorRate", TRIGGER_END_MS + 60_000)).toBeLessThan(0.01);
  });

  it("is not ended by exponential backoff with jitter alone: retries are delayed, not avoided (open-loop clients)", () => {
    // Backoff spreads retries in time, but every failed request is still retried, so under a
    // sustained overload the steady amplification is the same; a budget is what limits it.
    const run = runScenario(scenarioFromYaml(text.replace("    retries: 3", "    retries: 3\n    backoff: exponential\n    backoffBase: 1s\n    jitter: true")));
    expect(at(run, "api", "loadRps", 600_000)).toBeGreaterThan(3000);
    const both = runScenario(scenarioFromYaml(text.replace("    retries: 3", "    retries: 3\n    backoff: exponential\n    backoffBase: 1s\n    jitter: true\n    retryBudget: 0.1")));
    expect(at(both, "clients", "errorRate", TRIGGER_END_MS + 120_000)).toBeLessThan(0.01);
  });

  it("lets the retries knob be changed by a command (e.g. an operator disabling retries)", () => {
    const run = runScenario(
      scenarioFromYaml(
        text.replace(
          "      restored: {}",
          "      restored:\n        after:\n          1m: { target: done, actions: [ { set: { target: clients, knob: retries, value: 0, reason: \"disable retries\" } } ] }\n      done: {}",
        ),
      ),
    );
    expect(run.log.some((r) => r.type === "knob.changed" && r.data.knob === "retries")).toBe(true);
    expect(at(run, "api", "loadRps", 400_000)).toBeCloseTo(800, 0);
  });
});
