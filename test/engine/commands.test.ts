// Commands are validated before they touch the world: unknown targets, unknown knobs,
// out-of-bounds and non-finite values become `command.rejected` events with the reason.
import { describe, expect, it } from "vitest";
import { decideCommand, knobEventType } from "../../sim/engine/commands.js";
import { runScenario } from "../../sim/engine/engine.js";
import { World } from "../../sim/model/world.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const scenario = scenarioFromYaml(`
name: commands
seed: 1
duration: 1h
step: 5s
components:
  - { id: lb, kind: loadBalancer, targets: [web] }
  - { id: web, kind: service, replicas: 4, replicasMin: 2, replicasMax: 12 }
workload:
  - { id: users, target: lb, pattern: { kind: constant, rate: 1500/s } }
agents:
  - { id: perf, kind: performance, target: web, replicasMax: 30, step: 4, evaluationPeriod: 30s, cooldown: 30s }
`);

describe("decideCommand", () => {
  const world = new World(scenario);
  const reject = (target: string, knob: string, value: number) => {
    const outcome = decideCommand(world, "agent", { target, knob, value, reason: "test" }, 1000, [0]);
    expect(outcome.kind).toBe("reject");
    return outcome.kind === "reject" ? outcome.draft : undefined;
  };

  it("rejects an unknown component, naming it", () => {
    expect(reject("wbe", "replicas", 5)!.data.reason).toBe('unknown component "wbe"');
  });

  it("rejects a knob the component does not have, listing the ones it has", () => {
    expect(reject("web", "replica", 5)!.data.reason).toMatch(/web has no knob "replica" \(knobs: replicas\)/);
  });

  it("rejects out-of-bounds and fractional replicas and weights", () => {
    expect(reject("web", "replicas", 13)!.data.reason).toBe("web.replicas must be in [2, 12], got 13");
    expect(reject("web", "replicas", -1)!.data.reason).toMatch(/must be in \[2, 12\], got -1/);
    expect(reject("web", "replicas", 2.5)!.data.reason).toMatch(/whole number/);
    expect(reject("lb", "weight.web", 101)!.data.reason).toMatch(/\[0, 100\]/);
  });

  it("rejects NaN and Infinity without putting them in the event", () => {
    const draft = reject("web", "replicas", Number.NaN)!;
    expect(draft.data.reason).toMatch(/finite number, got NaN/);
    expect(draft.data.value).toBe("NaN");
    expect(reject("web", "replicas", Infinity)!.data.value).toBe("Infinity");
  });

  it("applies a valid write as the knob's change event with from and to", () => {
    const outcome = decideCommand(world, "perf", { target: "web", knob: "replicas", value: 6, reason: "r" }, 5000, [0]);
    expect(outcome).toEqual({ kind: "apply", draft: { t: 5000, type: "replicas.scaled", actor: "perf", target: "web", data: { knob: "replicas", from: 4, to: 6, reason: "r" }, causes: [0] } });
    expect(decideCommand(world, "perf", { target: "web", knob: "replicas", value: 4, reason: "r" }, 5000, [0])).toEqual({ kind: "unchanged" });
    expect(knobEventType("weight.web")).toBe("weight.changed");
  });
});

describe("an agent configured beyond the component's bounds", () => {
  const run = runScenario(scenario);

  it("has its out-of-bounds command logged as command.rejected, and the world unchanged", () => {
    const rejected = run.log.filter((r) => r.type === "command.rejected");
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0]).toMatchObject({ actor: "perf", target: "web", data: { knob: "replicas", value: 16, reason: "web.replicas must be in [2, 12], got 16" } });
    expect(Math.max(...run.telemetry.series("web", "replicas"))).toBe(12);
    expect(run.stats.rejected).toBe(rejected.length);
  });
});

describe("World input checks", () => {
  it("names an unknown component and an unknown signal", () => {
    const world = new World(scenario);
    expect(() => world.signal("nope", "loadRps")).toThrow(/"nope".*check the id's spelling/);
    expect(() => world.signal("web", "latency")).toThrow(/expected a signal name, found "latency"/);
    expect(() => world.knob("web", "weight")).toThrow(/a knob of web \(replicas\)/);
    expect(() => world.applyKnob("web", "replicas", -3, 1)).toThrow(/web\.replicas must be in \[2, 12\], got -3/);
  });
});
