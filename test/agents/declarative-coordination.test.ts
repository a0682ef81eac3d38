// Statechart agents next to built-in agents and coordination policies, in real runs: knob
// versions and compare-and-set, idempotency keys, leases, published intents, and the
// cost-vs-performance thrash with a YAML cost agent, whose causes cross between the agents.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import type { EventRecord } from "../../sim/log/record.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";

const world = (load: string, agents: string, coordination = "") => `
name: declarative-coordination
seed: 1
duration: 30m
step: 5s
components:
  - { id: web, kind: service, replicas: 4, replicasMin: 2, replicasMax: 12, capacityPerReplica: 100/s, baseLatency: 20ms }
  - { id: db, kind: database, replicas: 1 }
workload:
  - { id: users, target: web, pattern: { kind: constant, rate: ${load} } }
agents:
${agents}
${coordination ? `coordination:\n${coordination}` : ""}`;

const perf = "  - { id: perf, kind: performance, target: web, utilizationMax: 0.7, step: 2, evaluationPeriod: 30s, cooldown: 2m }";
const of = (run: RunResult, type: string, actor?: string) => run.log.filter((r) => r.type === type && (actor === undefined || r.actor === actor));
const statesOf = (run: RunResult, agent: string) => run.agentStates.filter((s) => s.agent === agent).map((s) => s.state);

describe("knobVersion guard and value: noticing another agent's writes", () => {
  const run = runScenario(
    scenarioFromYaml(
      world(
        "900/s",
        `${perf}
  - id: watcher
    kind: statechart
    evaluationPeriod: 10s
    context: { seen: 0 }
    initial: watching
    states:
      watching:
        on:
          wake:
            guard: { knobVersion: { component: web, knob: replicas, op: ">", param: seen } }
            actions:
              - remember: { key: seen, value: { knobVersion: web.replicas } }
              - set: { target: db, knob: replicas, value: { knobVersion: web.replicas, plus: 4 } }`,
      ),
    ),
  );

  it("acts once per write by perf, reading the version, and names perf's write as the cause", () => {
    const byPerf = of(run, "replicas.scaled", "perf");
    const byWatcher = of(run, "replicas.scaled", "watcher");
    expect(byPerf.length).toBeGreaterThanOrEqual(3);
    // db starts at 1 replica; the watcher sets it to web's version + 4.
    expect(byWatcher.map((r) => r.data.to)).toEqual(byPerf.map((_, i) => i + 5));
    byWatcher.forEach((r, i) => {
      expect(r.target).toBe("db");
      expect(r.data.reason).toBe(`watching: web.replicas version = ${i + 1} > ${i}`);
      expect(r.causes).toContain(byPerf[i].seq);
      // The next wake after perf's write (every 10 s) notices it.
      expect(r.t - byPerf[i].t).toBeLessThanOrEqual(10_000);
    });
  });
});

describe("expectedVersionFrom with the compareAndSet policy: a stale plan is fenced off", () => {
  const planner = `${perf}
  - id: planner
    kind: statechart
    evaluationPeriod: 1m
    context: { seen: 0 }
    initial: reading
    states:
      reading:
        on:
          wake: { target: planning, actions: { remember: { key: seen, value: { knobVersion: web.replicas } } } }
      planning:
        after:
          2m: { target: reading, actions: { set: { target: web, knob: replicas, value: 3, expectedVersionFrom: seen } } }`;

  it("blind, the planner's stale writes apply and undo perf's scale-outs (lost updates)", () => {
    const run = runScenario(scenarioFromYaml(world("900/s", planner)));
    expect(of(run, "replicas.scaled", "planner").length).toBeGreaterThan(0);
    expect(of(run, "command.rejected")).toHaveLength(0);
  });

  it("with compareAndSet, writes based on a version perf has moved past are rejected with the versions", () => {
    const run = runScenario(scenarioFromYaml(world("900/s", planner, "  compareAndSet: { knobs: [web.replicas] }")));
    const rejected = of(run, "command.rejected", "planner");
    expect(rejected.length).toBeGreaterThan(0);
    for (const r of rejected) {
      expect(r.data).toMatchObject({ policy: "compareAndSet", knob: "replicas", value: 3 });
      expect(r.data.reason).toMatch(/^stale write: based on web\.replicas version \d+, but it is at version \d+$/);
    }
    expect(of(run, "replicas.scaled", "planner").length).toBeLessThan(of(runScenario(scenarioFromYaml(world("900/s", planner))), "replicas.scaled", "planner").length);
  });
});

describe("idempotencyKey with the idempotency policy", () => {
  const agent = `  - id: bumper
    kind: statechart
    evaluationPeriod: 1m
    initial: bumping
    states:
      bumping:
        on:
          wake: { actions: { set: { target: web, knob: replicas, value: { knob: web.replicas, plus: 1, max: 12 }, idempotencyKey: bump-once } } }`;

  it("applies the keyed command once and logs the retries as duplicates of it", () => {
    const run = runScenario(scenarioFromYaml(world("100/s", agent, "  idempotency: true")));
    const applied = of(run, "replicas.scaled", "bumper");
    expect(applied.map((r) => r.data.to)).toEqual([5]);
    const duplicates = of(run, "command.duplicate", "bumper");
    // 30 wakes in 30 minutes: the first applies, the other 29 are duplicates.
    expect(duplicates.length).toBe(29);
    expect(duplicates[0].data).toMatchObject({ policy: "idempotency", idempotencyKey: "bump-once", firstSeq: applied[0].seq });
  });

  it("without the policy every wake applies", () => {
    const run = runScenario(scenarioFromYaml(world("100/s", agent)));
    expect(of(run, "replicas.scaled", "bumper").map((r) => r.data.to)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
  });
});

describe("leaseHeld guard", () => {
  const agent = `${perf}
  - id: polite
    kind: statechart
    evaluationPeriod: 1m
    initial: working
    states:
      working:
        on:
          wake:
            - guard: { leaseHeld: { component: web, knob: replicas, by: other } }
              target: deferring
            - actions: { set: { target: web, knob: replicas, value: 2, reason: "nightly scale-in" } }
      deferring: {}`;

  it("defers to the lease holder when the lease policy names one", () => {
    const run = runScenario(scenarioFromYaml(world("900/s", agent, "  lease: { knobs: [web.replicas], holder: perf }")));
    expect(statesOf(run, "polite")).toEqual(["working", "deferring"]);
    expect(run.agentStates.find((s) => s.agent === "polite" && s.state === "deferring")!.t).toBe(60_000);
    expect(of(run, "replicas.scaled", "polite")).toHaveLength(0);
    expect(of(run, "command.rejected", "polite")).toHaveLength(0);
  });

  it("sees no lease and writes when the policy is off", () => {
    const run = runScenario(scenarioFromYaml(world("900/s", agent)));
    expect(statesOf(run, "polite")).toEqual(["working"]);
    expect(of(run, "replicas.scaled", "polite")[0].data.reason).toBe("nightly scale-in");
  });

  it("by: self holds once the agent's own write took the lease", () => {
    const run = runScenario(
      scenarioFromYaml(
        world(
          "100/s",
          `  - id: owner
    kind: statechart
    evaluationPeriod: 1m
    initial: claiming
    states:
      claiming:
        on:
          wake:
            - guard: { leaseHeld: { component: web, knob: replicas, by: self } }
              target: owning
              actions: { set: { target: web, knob: replicas, value: 6 } }
            - actions: { set: { target: web, knob: replicas, value: 5 } }
      owning: {}`,
          "  lease: { knobs: [web.replicas], ttl: 10m }",
        ),
      ),
    );
    const writes = of(run, "replicas.scaled", "owner");
    expect(writes.map((r) => [r.t, r.data.to, r.data.reason])).toEqual([
      [60_000, 5, "claiming: on wake"],
      [120_000, 6, "claiming: lease on web.replicas held by owner"],
    ]);
    expect(statesOf(run, "owner")).toEqual(["claiming", "owning"]);
  });
});

describe("publishIntent and intentPublished", () => {
  const agents = `  - id: announcer
    kind: statechart
    evaluationPeriod: 2m
    initial: idle
    states:
      idle:
        on:
          wake:
            target: announced
            actions: { publishIntent: { target: web, knob: replicas, value: { knob: web.replicas, plus: 2 }, ttl: 1m } }
      announced:
        after:
          30s: { target: idle, actions: { set: { target: web, knob: replicas, value: { knob: web.replicas, plus: 2, max: 12 } } } }
  - id: yielder
    kind: statechart
    evaluationPeriod: 1m
    initial: watching
    states:
      watching:
        on:
          wake:
            - guard: { intentPublished: { component: web, knob: replicas } }
              target: yielding
              actions: { set: { target: db, knob: replicas, value: 2 } }
      yielding:
        after:
          5m: watching`;

  it("publishes intents with a generated reason, and the other agent sees them and cites them", () => {
    const run = runScenario(scenarioFromYaml(world("100/s", agents, "  intents: true")));
    const intents = of(run, "intent.published", "announcer");
    expect(intents.length).toBeGreaterThan(0);
    expect(intents[0]).toMatchObject({ t: 120_000, target: "web", data: { knob: "replicas", value: 6, untilMs: 180_000, reason: "idle: on wake" } });
    const reaction = of(run, "replicas.scaled", "yielder")[0];
    expect(reaction).toMatchObject({ t: 120_000, target: "db", data: { to: 2, reason: "watching: announcer intends web.replicas = 6" } });
    expect(reaction.causes).toContain(intents[0].seq);
    expect(statesOf(run, "yielder")).toContain("yielding");
  });

  it("publishes nothing and is seen by no one when the intents policy is off", () => {
    const run = runScenario(scenarioFromYaml(world("100/s", agents)));
    expect(of(run, "intent.published")).toHaveLength(0);
    expect(statesOf(run, "yielder")).toEqual(["watching"]);
    expect(of(run, "replicas.scaled", "announcer").length).toBeGreaterThan(0);
  });
});

describe("cost vs performance with the cost agent written as a statechart", () => {
  const original = readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8");
  const costAt = original.indexOf("  - id: cost\n");
  // The built-in cost agent's behaviour (2 breaches in a row, step 2, 3m cooldown) as YAML.
  const text = `${original.slice(0, costAt)}  - id: cost
    kind: statechart
    evaluationPeriod: 1m
    context: { breaches: 0, floor: 0.65 }
    initial: watching
    states:
      watching:
        on:
          wake:
            - guard:
                all:
                  - { signal: { component: web, name: utilization, op: "<", param: floor } }
                  - { context: { key: breaches, op: ">=", value: 1 } }
                  - { knob: { component: web, knob: replicas, op: ">", value: 2 } }
              target: coolingDown
              actions:
                - set: { target: web, knob: replicas, value: { knob: web.replicas, plus: -2, min: 2 } }
                - remember: { key: breaches, value: 0 }
            - guard: { signal: { component: web, name: utilization, op: "<", param: floor } }
              actions: { remember: { key: breaches, value: { context: breaches, plus: 1 } } }
            - actions: { remember: { key: breaches, value: 0 } }
      coolingDown:
        after:
          3m: watching
`;
  expect(costAt).toBeGreaterThan(0);
  const run = runScenario(scenarioFromYaml(text));
  const scalings = run.log.filter((r) => r.type === "replicas.scaled" && r.target === "web");

  const reversals = (records: readonly EventRecord[]) =>
    records.filter((r, i) => i > 0 && Math.sign((r.data.to as number) - (r.data.from as number)) !== Math.sign((records[i - 1].data.to as number) - (records[i - 1].data.from as number))).length;

  it("thrashes web.replicas between the built-in perf agent and the YAML cost agent", () => {
    const byPerf = scalings.filter((r) => r.actor === "perf");
    const byCost = scalings.filter((r) => r.actor === "cost");
    expect(byPerf.length).toBeGreaterThanOrEqual(10);
    expect(byCost.length).toBeGreaterThanOrEqual(10);
    for (const r of byCost) expect(r.data).toMatchObject({ from: (r.data.to as number) + 2 });
    expect(reversals(scalings)).toBeGreaterThanOrEqual(20);
  });

  it("explains the YAML agent's commands with every observation of its guard", () => {
    for (const r of scalings.filter((s) => s.actor === "cost")) {
      expect(r.data.reason).toMatch(/^watching: web\.utilization = 0\.\d{3} < 0\.650, breaches = 1 >= 1, web\.replicas = \d+ > 2$/);
    }
  });

  it("names, as a cause of each command, the other agent's previous command, in both directions", () => {
    let checked = 0;
    for (let i = 1; i < scalings.length; i++) {
      const r = scalings[i];
      const previousByOther = [...scalings.slice(0, i)].reverse().find((p) => p.actor !== r.actor);
      if (!previousByOther) continue;
      expect(r.causes, `#${r.seq} ${r.actor} should be caused by #${previousByOther.seq} ${previousByOther.actor}`).toContain(previousByOther.seq);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  it("records the YAML agent's machine states next to the built-in agent's", () => {
    expect(new Set(statesOf(run, "cost"))).toEqual(new Set(["watching", "coolingDown"]));
    expect(new Set(statesOf(run, "perf"))).toEqual(new Set(["watching", "coolingDown"]));
  });
});
