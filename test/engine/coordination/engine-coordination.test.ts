// Coordination policies in real runs: the same cost-vs-performance scenario run blind and with
// each policy on, and the command processor's events for stale writes, duplicates and holds.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CommandProcessor, type CommandStats } from "../../../sim/engine/command-processor.js";
import { CoordinationPipeline } from "../../../sim/engine/coordination/pipeline.js";
import { runScenario } from "../../../sim/engine/engine.js";
import { EventLog } from "../../../sim/log/chain.js";
import type { EventRecord } from "../../../sim/log/record.js";
import { World } from "../../../sim/model/world.js";
import type { CoordinationSpec } from "../../../sim/scenario/types.js";
import { repoPath, scenarioFromYaml } from "../../helpers/scenarios.js";

// The scenario without its `expect` and `variants` blocks, so tests can append agents and policies.
const blindText = `${readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8").split("\nexpect:")[0]}\n`;
const withCoordination = (yaml: string) => scenarioFromYaml(`${blindText}\ncoordination:\n${yaml}`);

function reversals(log: readonly EventRecord[]): number {
  const dirs = log.filter((r) => r.type === "replicas.scaled").map((r) => Math.sign((r.data.to as number) - (r.data.from as number)));
  return dirs.filter((d, i) => i > 0 && d !== dirs[i - 1]).length;
}

describe("cost vs performance, blind and coordinated", () => {
  const blind = runScenario(scenarioFromYaml(blindText));

  it("thrashes blind", () => {
    expect(reversals(blind.log)).toBeGreaterThanOrEqual(20);
    expect(blind.stats.rejected).toBe(0);
  });

  it("stops thrashing when perf holds a lease on web.replicas; cost's commands are rejected with the reason", () => {
    const run = runScenario(withCoordination("  lease: { knobs: [web.replicas], holder: perf }"));
    expect(reversals(run.log)).toBeLessThanOrEqual(1);
    const rejected = run.log.filter((r) => r.type === "command.rejected");
    expect(rejected.length).toBeGreaterThan(0);
    for (const r of rejected) expect(r).toMatchObject({ actor: "cost", data: { policy: "lease", reason: "web.replicas is leased to perf for the whole run" } });
  });

  it("slows the reversals with a cross-actor cooldown, citing the other actor's write as a cause", () => {
    const run = runScenario(withCoordination("  cooldown: { knobs: [web.replicas], cooldown: 30m }"));
    expect(reversals(run.log)).toBeLessThan(reversals(blind.log) / 3);
    const rejected = run.log.filter((r) => r.type === "command.rejected" && r.data.policy === "cooldown");
    expect(rejected.length).toBeGreaterThan(0);
    const cause = run.log[rejected[0].causes.at(-1)!];
    expect(cause.type).toBe("replicas.scaled");
    expect(cause.actor).not.toBe(rejected[0].actor);
  });

  it("rejects writes outside an agent's authorization scope", () => {
    const run = runScenario(withCoordination("  authorization: { perf: [web.replicas], cost: [db.replicas] }"));
    const rejected = run.log.filter((r) => r.type === "command.rejected");
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((r) => r.actor === "cost" && r.data.policy === "authorization")).toBe(true);
    expect(run.log.filter((r) => r.type === "replicas.scaled").every((r) => r.actor === "perf")).toBe(true);
  });

  it("logs out-of-scope rejections with the actor and whom it acted on behalf of", () => {
    const text = `${blindText.replace("  - id: cost\n    kind: cost", "  - id: cost\n    kind: cost\n    onBehalfOf: finops-team")}\ncoordination:\n  authorization: { perf: [web.replicas], cost: [db.replicas] }\n`;
    const run = runScenario(scenarioFromYaml(text));
    const rejected = run.log.find((r) => r.type === "command.rejected")!;
    expect(rejected).toMatchObject({ actor: "cost", onBehalfOf: "finops-team", data: { policy: "authorization" } });
    expect(run.log.filter((r) => r.actor === "perf").every((r) => r.onBehalfOf === undefined)).toBe(true);
  });

  it("records onBehalfOf for declarative agents too", () => {
    const run = runScenario(
      scenarioFromYaml(`${blindText}  - id: operator
    kind: statechart
    onBehalfOf: alice@sre
    initial: waiting
    states:
      waiting:
        after:
          1m: { target: done, actions: [ { set: { target: web, knob: replicas, value: 10, reason: "manual scale-up" } } ] }
      done: {}
`),
    );
    expect(run.log.find((r) => r.actor === "operator")).toMatchObject({ type: "replicas.scaled", onBehalfOf: "alice@sre" });
  });

  it("holds changes for review and applies them later, caused by the hold", () => {
    const run = runScenario(withCoordination("  approval: { knobs: [web.replicas], reviewDelay: 5m, maxRelativeChange: 0.5 }"));
    const held = run.log.find((r) => r.type === "command.held")!;
    expect(held.data).toMatchObject({ policy: "approval", untilMs: held.t + 300_000 });
    // Every change here is 2 replicas of 6-8 (25-33%), inside the 50% limit, so the reviewer approves.
    const applied = run.log.find((r) => r.type === "replicas.scaled" && r.causes.includes(held.seq))!;
    expect(applied.t).toBe(held.t + 300_000);
    expect(applied.actor).toBe(held.actor);
    expect(run.stats.held).toBeGreaterThan(0);
  });

  it("keeps determinism with policies on", () => {
    const text = "  cooldown: { knobs: [web.replicas], cooldown: 10m }\n  approval: { knobs: [web.replicas], reviewDelay: 2m }";
    expect(runScenario(withCoordination(text)).finalHash).toBe(runScenario(withCoordination(text)).finalHash);
  });
});

describe("command processor with policies", () => {
  const scenario = scenarioFromYaml(`
name: processor
seed: 1
duration: 1h
components:
  - { id: web, kind: service, replicas: 4, replicasMin: 1, replicasMax: 20 }
`);
  const setup = (coordination: CoordinationSpec) => {
    const log = new EventLog();
    log.append({ t: 0, type: "run.started", actor: "engine", data: {}, causes: [] });
    const world = new World(scenario, 0);
    const scheduled: { atMs: number; callback: () => void }[] = [];
    let now = 0;
    const stats: CommandStats = { commands: 0, applied: 0, rejected: 0, unchanged: 0, held: 0, duplicates: 0 };
    const processor = new CommandProcessor(world, new CoordinationPipeline(coordination), { now: () => now, append: (d) => log.append(d), scheduleAt: (atMs, callback) => scheduled.push({ atMs, callback }) }, stats);
    return { log, world, processor, stats, scheduled, setNow: (t: number) => (now = t) };
  };

  it("applies the first of two writes based on version 0 and rejects the second as stale (compare-and-set)", () => {
    const { log, world, processor } = setup({ compareAndSet: { knobs: ["web.replicas"], requireVersion: false } });
    processor.submit("enactor-b", { target: "web", knob: "replicas", value: 9, reason: "plan 9", expectedVersion: 0 }, [0]);
    processor.submit("enactor-a", { target: "web", knob: "replicas", value: 3, reason: "plan 3", expectedVersion: 0 }, [0]);
    expect(world.knob("web", "replicas")).toBe(9);
    expect(log.get(2)).toMatchObject({ type: "command.rejected", actor: "enactor-a", data: { policy: "compareAndSet", reason: "stale write: based on web.replicas version 0, but it is at version 1" } });
  });

  it("lets the stale write through when the policy is off (the blind run's lost update)", () => {
    const { world, processor } = setup({});
    processor.submit("enactor-b", { target: "web", knob: "replicas", value: 9, reason: "plan 9", expectedVersion: 0 }, [0]);
    processor.submit("enactor-a", { target: "web", knob: "replicas", value: 3, reason: "plan 3", expectedVersion: 0 }, [0]);
    expect(world.knob("web", "replicas")).toBe(3);
  });

  it("applies a retried command once with idempotency keys, and twice without", () => {
    const retry = { target: "web", knob: "replicas", value: 5, reason: "add one", idempotencyKey: "scale-17" };
    const on = setup({ idempotency: true });
    on.processor.submit("deployer", retry, [0]);
    on.processor.submit("deployer", { ...retry, value: 6 }, [0]);
    expect(on.world.knob("web", "replicas")).toBe(5);
    expect(on.log.get(2)).toMatchObject({ type: "command.duplicate", data: { firstSeq: 1, idempotencyKey: "scale-17" }, causes: [0, 1] });
    expect(on.stats.duplicates).toBe(1);
    const off = setup({});
    off.processor.submit("deployer", retry, [0]);
    off.processor.submit("deployer", { ...retry, value: 6 }, [0]);
    expect(off.world.knob("web", "replicas")).toBe(6);
  });

  it("logs a lease acquisition when the first writer takes a lease", () => {
    const { log, processor } = setup({ lease: { knobs: ["web.replicas"], ttlMs: 60_000 } });
    processor.submit("perf", { target: "web", knob: "replicas", value: 6, reason: "r" }, [0]);
    expect(log.get(2)).toMatchObject({ type: "lease.acquired", actor: "perf", data: { knob: "replicas", holder: "perf" }, causes: [1] });
  });

  it("re-checks a held command at review time against the world as it is then", () => {
    const { log, world, processor, scheduled, setNow } = setup({ approval: { knobs: ["web.replicas"], reviewDelayMs: 60_000, maxRelativeChange: 1 }, compareAndSet: { knobs: ["web.replicas"], requireVersion: false } });
    processor.submit("cost", { target: "web", knob: "replicas", value: 2, reason: "idle", expectedVersion: 0 }, [0]);
    expect(log.get(1)).toMatchObject({ type: "command.held" });
    world.applyKnob("web", "replicas", 8, 1);
    setNow(60_000);
    scheduled[0].callback();
    expect(log.get(2)).toMatchObject({ type: "command.rejected", data: { policy: "compareAndSet" }, causes: [0, 1] });
  });
});
