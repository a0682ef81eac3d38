// The signal-gated veto: on hand-built command contexts (reject, hold and its bound, a knob the
// rule does not cover, a runtime error failing closed, the run's budget) and in real runs of
// docs/examples/slo-veto.yaml and of a small scenario (reason text with the values read, causes,
// hold then re-check), plus the pipeline order: a run without the veto in the pipeline differs.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { AgentCommand } from "../../../sim/agents/io.js";
import { runScenario } from "../../../sim/engine/engine.js";
import { CoordinationPipeline } from "../../../sim/engine/coordination/pipeline.js";
import type { CommandContext } from "../../../sim/engine/coordination/types.js";
import { vetoPolicy } from "../../../sim/engine/coordination/veto.js";
import { compile } from "../../../sim/expr/cel.js";
import { policyCatalogue, vetoEnv } from "../../../sim/expr/policy-env.js";
import { loadScenario, loadVariant } from "../../../sim/scenario/load.js";
import type { ComponentSpec } from "../../../sim/scenario/types.js";
import type { VetoRule } from "../../../sim/scenario/veto-types.js";
import { repoPath } from "../../helpers/scenarios.js";

/** A rule over `web.replicas` whose condition is `when`, compiled as the resolver would. */
function rule(when: string, over: Partial<VetoRule> = {}): VetoRule {
  const web = { id: "web", kind: "service" } as unknown as ComponentSpec;
  const compiled = compile(when, vetoEnv(policyCatalogue([web], undefined)), [], "bool");
  if (!compiled.ok) throw new Error(compiled.problems[0].expected);
  return { id: "slo", knobs: ["web.replicas"], when, reads: compiled.program.reads.map((r) => ({ id: r.id, name: r.name })), cost: compiled.program.cost, action: "reject", recheckMs: 30_000, holdMaxMs: 120_000, reason: "no scale-in over the SLO", ...over };
}

/** A command setting `web.replicas` from `current` to `value`, in a world where web's p95 is `p95` (written by record 7). */
function ctx(value: number, current: number, p95: number, over: Partial<CommandContext> = {}): CommandContext {
  const command: AgentCommand = { target: "web", knob: "replicas", value, reason: "test" };
  const readValue = (id: string, name: string, causes: Set<number>) => {
    if (id !== "web") return NaN;
    if (name === "latencyMsP95") {
      causes.add(7);
      return p95;
    }
    if (name === "replicas") {
      causes.add(3);
      return current;
    }
    return NaN;
  };
  return { now: 60_000, actor: "cost", command, knobKey: "web.replicas", current, version: 1, reviewed: false, op: "set", readValue, ...over };
}

describe("veto policy", () => {
  const slo = "command.delta < 0.0 && web.latencyMsP95 > 250.0";

  it("rejects a scale-in while p95 is over the SLO, with the values read and their causes", () => {
    expect(vetoPolicy([rule(slo)]).check(ctx(5, 6, 300))).toEqual({
      kind: "reject",
      policy: "veto",
      reason: "veto slo on web.replicas 6 -> 5: no scale-in over the SLO: command.delta < 0.0 && web.latencyMsP95 = 300 > 250.0 (command.delta = -1)",
      causes: [7],
    });
  });

  it("allows a scale-in under the SLO, a scale-out over it, and knobs it does not cover", () => {
    const policy = vetoPolicy([rule(slo)]);
    expect(policy.check(ctx(5, 6, 200)).kind).toBe("allow");
    expect(policy.check(ctx(7, 6, 900)).kind).toBe("allow");
    expect(policy.check({ ...ctx(5, 6, 900), knobKey: "db.replicas" }).kind).toBe("allow");
  });

  it("holds and re-checks every `recheck`, then drops the command after `holdMax`", () => {
    const policy = vetoPolicy([rule(slo, { action: "hold" })]);
    const held = policy.check(ctx(5, 6, 300));
    expect(held).toMatchObject({ kind: "hold", policy: "veto", untilMs: 90_000, causes: [7] });
    expect((held as { reason: string }).reason).toMatch(/; held, re-checked at 00:01:30 \(dropped after 00:03:00\)$/);
    expect(policy.check(ctx(5, 6, 300, { now: 150_000, heldSinceMs: 60_000 }))).toMatchObject({ kind: "hold", untilMs: 180_000 });
    const dropped = policy.check(ctx(5, 6, 300, { now: 180_000, heldSinceMs: 60_000 }));
    expect(dropped).toMatchObject({ kind: "reject", policy: "veto" });
    expect((dropped as { reason: string }).reason).toMatch(/held since 00:01:00, 2m at most, so it is dropped$/);
  });

  it("fails closed when the condition cannot be evaluated", () => {
    // An int overflow is a CEL runtime error.
    const verdict = vetoPolicy([rule("9223372036854775807 + int(command.delta + 2.0) > 0")]).check(ctx(5, 6, 300));
    expect(verdict.kind).toBe("reject");
    expect((verdict as { reason: string }).reason).toMatch(/could not be evaluated \(.*\), so the veto fails closed$/);
  });

  it("fails closed once the run's veto budget is spent", () => {
    const policy = vetoPolicy([rule(slo)], 600);
    expect(policy.check(ctx(5, 6, 100)).kind).toBe("allow");
    expect(policy.check(ctx(5, 6, 100)).kind).toBe("allow");
    const verdict = policy.check(ctx(5, 6, 100));
    expect(verdict.kind).toBe("reject");
    expect((verdict as { reason: string }).reason).toMatch(/the run's veto budget \(600 CEL cost units\) is spent, so the veto fails closed$/);
  });

  it("comes after the leases and before the arbiter in the pipeline", () => {
    const pipeline = new CoordinationPipeline({ lease: { knobs: ["web.replicas"], ttlMs: 60_000 }, veto: [rule(slo)], arbiter: [{ knobs: ["web.replicas"], merge: "max" }] });
    expect(pipeline.active).toEqual(["lease", "veto", "arbiter"]);
  });
});

const SCENARIO = (veto: string) => `name: veto-run
seed: 1
duration: 15m
step: 5s
components:
  - { id: web, kind: service, replicas: 10, replicasMin: 1, capacityPerReplica: 100/s }
workload:
  - { id: users, target: web, pattern: { kind: constant, rate: 700/s } }
agents:
  - id: cost
    kind: statechart
    evaluationPeriod: 1m
    initial: trimming
    states:
      trimming:
        on:
          wake:
            guard: { cel: "web.replicas > 2.0" }
            actions:
              - set: { target: web, knob: replicas, value: { knob: web.replicas, plus: -1, min: 1 }, reason: "cut cost" }
${veto}`;

describe("veto in runs", () => {
  const coordination = (action: string) => `coordination:
  veto:
    - id: slo-scale-in
      knobs: [web.replicas]
      when: "command.delta < 0.0 && web.latencyMsP95 > 250.0"
      action: ${action}
      recheck: 1m
      holdMax: 3m
      reason: p95 over the SLO
`;

  it("rejects the scale-in once p95 passes 250 ms, citing the records the p95 came from", () => {
    const run = runScenario(loadScenario(SCENARIO(coordination("reject")), "veto.yaml"));
    const rejected = run.log.filter((r) => r.type === "command.rejected");
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((r) => r.data.policy === "veto")).toBe(true);
    const first = rejected[0];
    expect(first.data.reason).toMatch(/^veto slo-scale-in on web\.replicas 7 -> 6: p95 over the SLO: command\.delta < 0\.0 && web\.latencyMsP95 = [0-9.]+ > 250\.0 \(command\.delta = -1\)$/);
    // The p95 was derived from the last scale-in (and the workload): the rejection cites it.
    const lastScale = run.log.filter((r) => r.type === "replicas.scaled" && r.seq < first.seq).at(-1)!;
    expect(first.causes).toContain(lastScale.seq);
    // No scale-in was applied after the first veto.
    expect(run.log.some((r) => r.type === "replicas.scaled" && r.seq > first.seq)).toBe(false);
  });

  it("holds instead, re-checking every minute and dropping after 3 minutes", () => {
    const run = runScenario(loadScenario(SCENARIO(coordination("hold")), "veto.yaml"));
    const held = run.log.filter((r) => r.type === "command.held" && r.data.policy === "veto");
    expect(held.length).toBeGreaterThan(1);
    expect(held[0].data.reason).toMatch(/; held, re-checked at \d\d:\d\d:\d\d \(dropped after \d\d:\d\d:\d\d\)$/);
    const dropped = run.log.filter((r) => r.type === "command.rejected" && r.data.policy === "veto");
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped[0].data.reason).toMatch(/3m at most, so it is dropped$/);
    // A re-check is caused by the hold it follows.
    const recheck = held.find((r) => r.causes.some((c) => run.log[c].type === "command.held"));
    expect(recheck).toBeDefined();
  });

  it("without the veto in the pipeline the same run scales in past the SLO (the veto is what stops it)", () => {
    const blind = runScenario(loadScenario(SCENARIO(""), "veto.yaml"));
    const vetoed = runScenario(loadScenario(SCENARIO(coordination("reject")), "veto.yaml"));
    const lowest = (log: typeof blind.log) => Math.min(...log.filter((r) => r.type === "replicas.scaled").map((r) => r.data.to as number));
    expect(lowest(blind.log)).toBe(2);
    expect(lowest(vetoed.log)).toBe(7);
  });

  it("reads a group aggregate: a floor on the group's summed replicas, citing the members' last writes", () => {
    const grouped = SCENARIO(`groups:
  - { id: fleet, members: [web] }
coordination:
  veto:
    - id: fleet-floor
      knobs: [web.replicas]
      when: "command.delta < 0.0 && fleet.sum.replicas + command.delta < 5.0"
      reason: keep five replicas in the fleet
`);
    const run = runScenario(loadScenario(grouped, "veto.yaml"));
    const rejected = run.log.filter((r) => r.type === "command.rejected" && r.data.policy === "veto");
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0].data.reason).toMatch(/keep five replicas in the fleet: command\.delta < 0\.0 && fleet\.sum\.replicas = 5 \+ command\.delta < 5\.0/);
    expect(Math.min(...run.log.filter((r) => r.type === "replicas.scaled").map((r) => r.data.to as number))).toBe(5);
    const lastScale = run.log.filter((r) => r.type === "replicas.scaled" && r.seq < rejected[0].seq).at(-1)!;
    expect(rejected[0].causes).toContain(lastScale.seq);
  });

  it("reads a derived signal: evaluated through the same reader, its inputs cited as causes", () => {
    const derived = SCENARIO(`coordination:
  veto:
    - id: per-replica
      knobs: [web.replicas]
      when: "command.delta < 0.0 && web.perReplica + 0.0 > 90.0"
      reason: each replica would take too much
`).replace("capacityPerReplica: 100/s }", "capacityPerReplica: 100/s, derived: { perReplica: \"web.loadRps / web.replicas\" } }");
    const run = runScenario(loadScenario(derived, "veto.yaml"));
    const rejected = run.log.filter((r) => r.type === "command.rejected" && r.data.policy === "veto");
    expect(rejected.length).toBeGreaterThan(0);
    // 700/s over 8 replicas = 87.5 is allowed; over 7 replicas = 100 is vetoed (never NaN: the derived signal is evaluated).
    expect(rejected[0].data.reason).toMatch(/web\.perReplica = 100 \+ 0\.0 > 90\.0/);
    expect(Math.min(...run.log.filter((r) => r.type === "replicas.scaled").map((r) => r.data.to as number))).toBe(7);
    const lastScale = run.log.filter((r) => r.type === "replicas.scaled" && r.seq < rejected[0].seq).at(-1)!;
    expect(rejected[0].causes).toContain(lastScale.seq);
  });

  it("docs/examples/slo-veto.yaml: blind scales blue below 7 replicas, coordinated vetoes and keeps p95 under the SLO", () => {
    const text = readFileSync(repoPath("docs/examples/slo-veto.yaml"), "utf8");
    const blind = runScenario(loadVariant(text, "slo-veto.yaml", "blind").scenario);
    const coordinated = runScenario(loadVariant(text, "slo-veto.yaml", "coordinated").scenario);
    expect(blind.log.some((r) => r.type === "replicas.scaled" && (r.data.to as number) < 7)).toBe(true);
    expect(coordinated.log.some((r) => r.type === "replicas.scaled" && (r.data.to as number) < 8)).toBe(false);
    expect(coordinated.log.filter((r) => r.type === "command.rejected").map((r) => r.data.policy)).toContain("veto");
  });
});

describe("veto validation", () => {
  it("refuses a condition that is not a bool, located in the string, and a veto budget a run could overspend", () => {
    expect(() => loadScenario(SCENARIO(`coordination:\n  veto:\n    - { id: v, knobs: [web.replicas], when: "command.delta + 1.0" }\n`), "v.yaml")).toThrow(/v\.yaml:23:46: coordination\.veto\[0\]\.when: expected a condition/);
    const costly = `coordination:\n  veto:\n${Array.from({ length: 30 }, (_, i) => `    - { id: v${i}, knobs: [web.replicas], when: "[1.0,2.0,3.0,4.0,5.0,6.0,7.0,8.0,9.0,10.0].all(x, [1.0,2.0,3.0,4.0,5.0,6.0,7.0,8.0,9.0,10.0].all(y, x * y < web.latencyMsP95 + command.delta))" }`).join("\n")}\n`;
    const fast = SCENARIO(costly).replace("evaluationPeriod: 1m", "evaluationPeriod: 1s").replace("duration: 15m", "duration: 1h");
    expect(() => loadScenario(fast, "v.yaml")).toThrow(/coordination\.veto\[\d+\]\.when: expected veto conditions costing at most 20,000,000 units in the run/);
  });
});
