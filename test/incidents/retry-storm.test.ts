// INCIDENTS.md section 6, scenarios/retry-storm.yaml: a 60 s capacity loss tips clients with
// immediate retries into a storm that keeps the service failed after capacity returns
// (metastable). The fixes, as client and server settings, let it recover; the test also pins
// down which fix does what in this model.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCausalGraph } from "../../sim/causal/index.js";
import { detect } from "../../sim/detect/index.js";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { repoPath } from "../helpers/scenarios.js";

const FILE = "scenarios/retry-storm.yaml";
const text = readFileSync(repoPath(FILE), "utf8");
const TRIGGER_START_MS = 120_000;
const TRIGGER_END_MS = 180_000;
const blind = (source = text) => runScenario(loadVariant(source, FILE, "blind").scenario);
/** The blind variant with `lines` added to the clients component (6-space indented YAML). */
const withClients = (lines: string) => text.replace("    backoff: immediate\n", `    backoff: immediate\n${lines}`);
const storms = (run: RunResult) => detect(run).filter((f) => f.kind === "retryStorm");

function at(run: RunResult, component: string, signal: string, tMs: number): number {
  return run.telemetry.series(component, signal)[run.telemetry.indexAt(tMs)];
}

describe("retry storm, blind", () => {
  const run = blind();

  it("is healthy before the trigger", () => {
    expect(at(run, "api", "loadRps", 110_000)).toBeCloseTo(800, 0);
    expect(at(run, "clients", "errorRate", 110_000)).toBe(0);
  });

  it("stays overloaded after capacity returns: load ~4x (about 3,200 rps) and goodput under 10%", () => {
    expect(run.log.filter((r) => r.type.startsWith("fault.")).map((r) => [r.type, r.t])).toEqual([
      ["fault.started", TRIGGER_START_MS],
      ["fault.ended", TRIGGER_END_MS],
    ]);
    for (const t of [TRIGGER_END_MS + 60_000, TRIGGER_END_MS + 300_000, 600_000]) {
      expect(at(run, "api", "loadRps", t)).toBeGreaterThan(3000);
      expect(at(run, "clients", "amplification", t)).toBeGreaterThan(3.5);
      expect(1 - at(run, "clients", "errorRate", t)).toBeLessThan(0.1);
    }
  });

  it("marks the service unhealthy during the trigger and never healthy again", () => {
    const changes = run.log.filter((r) => r.type === "health.changed" && r.target === "api");
    expect(changes.at(-1)!.data.healthy).toBe(false);
    expect(changes.at(-1)!.t).toBeLessThan(TRIGGER_END_MS);
  });

  it("names the capacity loss as the storm's root cause, and the causal graph agrees", () => {
    const [storm, ...rest] = storms(run);
    expect(rest).toEqual([]);
    const started = run.log.find((r) => r.type === "fault.started")!;
    const ended = run.log.find((r) => r.type === "fault.ended")!;
    expect(storm).toMatchObject({ actors: ["capacity-drop"], components: ["clients", "api"], rootCauses: [started.seq] });
    expect(storm.metrics.ongoing).toBe(1);
    expect(storm.metrics.persistedMs).toBe(420_000);
    expect(storm.explanation[1]).toBe(
      `Trigger: #${started.seq} fault capacity-drop (capacityLoss) started on api at 00:02:00; it ended with #${ended.seq} fault capacity-drop (capacityLoss) ended on api at 00:03:00.`,
    );
    const unhealthy = run.log.find((r) => r.type === "health.changed" && r.target === "api" && r.data.healthy === false)!;
    expect(buildCausalGraph(run.log).rootCauses(unhealthy.seq).map((r) => r.seq)).toEqual([started.seq]);
  });
});

describe("retry storm, coordinated (the fixes, as client and server settings)", () => {
  const run = runScenario(loadVariant(text, FILE, "coordinated").scenario);

  it("still fails requests while capacity is halved, but recovers the step capacity returns, with retries within budget", () => {
    expect(at(run, "clients", "errorRate", TRIGGER_START_MS + 30_000)).toBeGreaterThan(0.3);
    expect(at(run, "clients", "errorRate", TRIGGER_END_MS + 1_000)).toBe(0);
    expect(at(run, "api", "loadRps", TRIGGER_END_MS + 60_000)).toBeCloseTo(800, 0);
    expect(Math.max(...run.telemetry.series("clients", "amplification"))).toBeLessThanOrEqual(Math.fround(1.1));
    expect(storms(run)).toEqual([]);
  });
});

describe("retry storm, backoff (jittered exponential backoff in clients that hold a request while it waits)", () => {
  const run = runScenario(loadVariant(text, FILE, "backoff").scenario);

  it("sends fewer attempts than capacity during the trigger and is back to full availability within 30 s of its end", () => {
    expect(at(run, "clients", "sentRps", TRIGGER_START_MS + 30_000)).toBeLessThan(700);
    expect(at(run, "clients", "errorRate", TRIGGER_END_MS + 30_000)).toBe(0);
    expect(at(run, "api", "loadRps", TRIGGER_END_MS + 60_000)).toBeCloseTo(800, 0);
    expect(storms(run)).toEqual([]);
  });

  it("the same concurrency limit with immediate retries does not end it: the storm is the backoff's to end", () => {
    const limited = blind(withClients("    concurrencyLimit: 1000\n"));
    // Attempts are capped at 1,000/s = api's capacity, so its 10 s queue never drains: goodput
    // stays under 20%. The amplification (1.25) is under the retryStorm detector's threshold, so
    // no finding names it; api's health does.
    expect(1 - at(limited, "clients", "errorRate", 600_000)).toBeLessThan(0.2);
    expect(limited.log.filter((r) => r.type === "health.changed" && r.target === "api").at(-1)!.data.healthy).toBe(false);
  });
});

describe("which fix does what (each alone on the blind variant)", () => {
  it("a 10% retry budget alone ends the storm", () => {
    const run = blind(withClients("    retryBudget: 0.1\n"));
    expect(at(run, "api", "loadRps", TRIGGER_END_MS + 60_000)).toBeLessThan(900);
    expect(at(run, "clients", "errorRate", TRIGGER_END_MS + 120_000)).toBeLessThan(0.01);
    expect(storms(run)).toEqual([]);
  });

  it("a server queue bounded at the 1 s client timeout alone does not: requests that waited almost 1 s still time out", () => {
    const run = blind(text.replace("    maxQueue: 10s", "    maxQueue: 1s"));
    expect(storms(run)).toHaveLength(1);
    expect(at(run, "clients", "amplification", 600_000)).toBeGreaterThan(2.5);
  });

  it("a server queue bounded well under the timeout (200 ms) alone ends it", () => {
    const run = blind(text.replace("    maxQueue: 10s", "    maxQueue: 200ms"));
    expect(at(run, "api", "loadRps", TRIGGER_END_MS + 60_000)).toBeCloseTo(800, 0);
    expect(at(run, "clients", "errorRate", TRIGGER_END_MS + 60_000)).toBeLessThan(0.01);
    expect(storms(run)).toEqual([]);
  });

  it("exponential backoff with jitter in open-loop clients (no concurrency limit) does not: retries are delayed, not avoided", () => {
    // Backoff spreads retries in time, but every failed request is still retried, so under a
    // sustained overload the steady amplification is the same; a budget is what limits it.
    const run = blind(text.replace("    backoff: immediate\n", "    backoff: exponential\n    backoffBase: 1s\n    jitter: true\n"));
    expect(at(run, "api", "loadRps", 600_000)).toBeGreaterThan(3000);
    expect(storms(run)).toHaveLength(1);
  });

  it("lets the retries knob be changed by a command (e.g. an operator disabling retries)", () => {
    const operator = `agents:
  - id: operator
    kind: statechart
    initial: waiting
    states:
      waiting:
        after:
          4m: { target: done, actions: [ { set: { target: clients, knob: retries, value: 0, reason: "disable retries" } } ] }
      done: {}
`;
    const run = blind(`${text}${operator}`);
    expect(run.log.some((r) => r.type === "knob.changed" && r.data.knob === "retries")).toBe(true);
    expect(at(run, "api", "loadRps", 300_000)).toBeCloseTo(800, 0);
  });
});
