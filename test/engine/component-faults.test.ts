// Component faults on the scenario timeline: errors, latency and capacity loss impair their
// target exactly while active, propagate to callers along dependencies, compose when they
// overlap, and leave their fault.started event in the provenance of what they cause.
import { describe, expect, it } from "vitest";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import { scenarioJsonSchema } from "../../sim/scenario/json-schema.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

// lb -> web (4 x 100/s) -> db (2 x 2000/s), 300/s offered: web at 75% utilization, no errors.
const scenario = (faults: string, components = "") =>
  scenarioFromYaml(`
name: component-faults
seed: 1
duration: 20m
step: 10s
components:
  - { id: lb, kind: loadBalancer, targets: [web] }
  - { id: web, kind: service, replicas: 4, dependsOn: [db] }
  - { id: db, kind: database, replicas: 2 }
${components}
workload:
  - { id: users, target: lb, pattern: { kind: constant, rate: 300/s } }
faults:
${faults}
`);

/** The sampled value of a signal at `tMs` (samples are taken every step). */
const at = (run: RunResult, id: string, signal: string, tMs: number): number => run.telemetry.series(id, signal)[run.telemetry.indexAt(tMs)];

const MIN = 60_000;

describe("an errors fault on a database", () => {
  const run = runScenario(scenario("  - { id: brownout, start: 5m, duration: 5m, target: db, effect: errors, rate: 0.5 }"));
  const started = run.log.find((r) => r.type === "fault.started")!;

  it("logs fault.started with the effect and its parameters, and fault.ended caused by it", () => {
    expect(started).toMatchObject({ t: 5 * MIN, actor: "brownout", target: "db", data: { effect: "errors", rate: 0.5 }, causes: [] });
    const ended = run.log.find((r) => r.type === "fault.ended")!;
    expect(ended).toMatchObject({ t: 10 * MIN, actor: "brownout", target: "db", data: { effect: "errors", rate: 0.5 }, causes: [started.seq] });
  });

  it("raises the database's error rate during [start, start + duration) and not before or after", () => {
    expect(at(run, "db", "errorRate", 5 * MIN - 10_000)).toBe(0);
    expect(at(run, "db", "errorRate", 5 * MIN)).toBeCloseTo(0.5, 6);
    expect(at(run, "db", "errorRate", 10 * MIN - 10_000)).toBeCloseTo(0.5, 6);
    expect(at(run, "db", "errorRate", 10 * MIN)).toBe(0);
    expect(at(run, "db", "errorRate", 20 * MIN)).toBe(0);
  });

  it("propagates along dependsOn and the balancer to the callers' end-to-end error rate", () => {
    expect(at(run, "web", "errorRate", 5 * MIN - 10_000)).toBe(0);
    expect(at(run, "web", "errorRate", 7 * MIN)).toBeCloseTo(0.5, 6);
    expect(at(run, "lb", "errorRate", 7 * MIN)).toBeCloseTo(0.5, 6);
    expect(at(run, "web", "errorRate", 10 * MIN)).toBe(0);
  });

  it("puts the fault.started event in the causes of the callers' health.changed events", () => {
    const unhealthy = run.log.filter((r) => r.type === "health.changed" && r.data.healthy === false);
    expect(unhealthy.map((r) => [r.target, r.t])).toEqual([["lb", 5 * MIN + 20_000], ["web", 5 * MIN + 20_000], ["db", 5 * MIN + 20_000]]);
    for (const r of unhealthy) expect(r.causes).toContain(started.seq);
  });

  it("drops out of the provenance once the fault has ended", () => {
    const healthyAgain = run.log.filter((r) => r.type === "health.changed" && r.data.healthy === true);
    expect(healthyAgain.map((r) => r.target)).toEqual(["lb", "web", "db"]);
    for (const r of healthyAgain) expect(r.causes).not.toContain(started.seq);
  });
});

describe("an errors fault on a service", () => {
  const run = runScenario(scenario("  - { id: bad-deploy, start: 5m, duration: 5m, target: web, effect: errors, rate: 0.5 }"));

  it("fails its share of requests before they call its dependencies", () => {
    expect(at(run, "web", "errorRate", 7 * MIN)).toBeCloseTo(0.5, 6);
    expect(at(run, "db", "loadRps", 7 * MIN)).toBeCloseTo(150, 3);
    expect(at(run, "db", "errorRate", 7 * MIN)).toBe(0);
    expect(at(run, "db", "loadRps", 10 * MIN)).toBeCloseTo(300, 3);
  });
});

describe("an errors fault without duration or rate", () => {
  const run = runScenario(scenario("  - { id: outage, start: 15m, target: db, effect: errors }"));

  it("is a full outage that lasts until the end of the run", () => {
    expect(at(run, "db", "errorRate", 15 * MIN - 10_000)).toBe(0);
    expect(at(run, "web", "errorRate", 15 * MIN)).toBe(1);
    expect(at(run, "web", "errorRate", 20 * MIN)).toBe(1);
    expect(run.log.filter((r) => r.type === "fault.started").map((r) => r.data)).toEqual([{ effect: "errors", rate: 1 }]);
    expect(run.log.some((r) => r.type === "fault.ended")).toBe(false);
  });
});

describe("a latency fault", () => {
  const baseline = runScenario(scenario("  []"));
  const run = runScenario(scenario("  - { id: slow-db, start: 5m, duration: 5m, target: db, effect: latency, add: 300ms }"));

  it("adds to the target's own p50, p95 and p99 while active", () => {
    for (const signal of ["latencyMsP50", "latencyMsP95", "latencyMsP99"]) {
      expect(at(run, "db", signal, 7 * MIN) - at(baseline, "db", signal, 7 * MIN)).toBeCloseTo(300, 3);
      expect(at(run, "db", signal, 10 * MIN)).toBe(at(baseline, "db", signal, 10 * MIN));
    }
    expect(at(run, "db", "latencyMsP95", 7 * MIN)).toBeCloseTo(305, 3);
  });

  it("reaches callers end to end without raising their error rate", () => {
    expect(at(run, "web", "latencyMsP95", 7 * MIN) - at(baseline, "web", "latencyMsP95", 7 * MIN)).toBeCloseTo(300, 3);
    expect(at(run, "lb", "latencyMsP95", 7 * MIN) - at(baseline, "lb", "latencyMsP95", 7 * MIN)).toBeCloseTo(300, 3);
    expect(at(run, "web", "errorRate", 7 * MIN)).toBe(0);
  });
});

describe("a capacityLoss fault", () => {
  const run = runScenario(scenario("  - { id: az-loss, start: 5m, duration: 5m, target: web, effect: capacityLoss, fraction: 0.5 }"));

  it("halves the serving capacity: the same load queues and sheds on half the servers", () => {
    expect(at(run, "web", "utilization", 5 * MIN - 10_000)).toBeCloseTo(0.75, 6);
    expect(at(run, "web", "utilization", 7 * MIN)).toBeCloseTo(1.5, 6);
    expect(at(run, "web", "available", 7 * MIN)).toBeCloseTo(0.5, 6);
    // 300/s on 200/s of capacity: 99% of it is served, the rest (1 - 198/300 = 0.34) is shed.
    expect(at(run, "web", "errorRate", 7 * MIN)).toBeCloseTo(0.34, 4);
    expect(at(run, "web", "latencyMsP95", 7 * MIN)).toBeGreaterThan(1000);
    expect(at(run, "db", "loadRps", 7 * MIN)).toBeCloseTo(198, 3);
  });

  it("keeps the replicas and their cost, and recovers when it ends", () => {
    expect(at(run, "web", "replicas", 7 * MIN)).toBe(4);
    expect(at(run, "web", "costPerHour", 7 * MIN)).toBeCloseTo(0.4, 6);
    expect(at(run, "web", "utilization", 10 * MIN)).toBeCloseTo(0.75, 6);
    expect(at(run, "web", "errorRate", 10 * MIN)).toBe(0);
  });

  it("with fraction 1 leaves no capacity at all", () => {
    const down = runScenario(scenario("  - { id: zone, start: 5m, duration: 5m, target: web, effect: capacityLoss, fraction: 1 }"));
    expect(at(down, "web", "errorRate", 7 * MIN)).toBe(1);
    expect(at(down, "web", "available", 7 * MIN)).toBe(0);
    expect(at(down, "db", "loadRps", 7 * MIN)).toBe(0);
  });
});

describe("overlapping faults on one component", () => {
  const run = runScenario(
    scenario(`  - { id: first, start: 5m, duration: 5m, target: db, effect: errors, rate: 0.5 }
  - { id: second, start: 8m, duration: 5m, target: db, effect: errors, rate: 0.5 }
  - { id: slow, start: 8m, duration: 1m, target: db, effect: latency, add: 100ms }
  - { id: lb-errors, start: 8m, duration: 5m, target: lb, effect: errors, rate: 0.2 }`),
  );

  it("compose as independent failures, and each ends on its own", () => {
    expect(at(run, "db", "errorRate", 7 * MIN)).toBeCloseTo(0.5, 6);
    expect(at(run, "db", "errorRate", 8 * MIN)).toBeCloseTo(0.75, 6);
    expect(at(run, "db", "latencyMsP95", 8 * MIN)).toBeCloseTo(105, 3);
    expect(at(run, "db", "latencyMsP95", 9 * MIN)).toBeCloseTo(5, 3);
    expect(at(run, "db", "errorRate", 11 * MIN)).toBeCloseTo(0.5, 6);
    expect(at(run, "db", "errorRate", 13 * MIN)).toBe(0);
  });

  it("compose a balancer's own fault errors with its targets': 1 - (1 - 0.2)(1 - 0.75)", () => {
    expect(at(run, "lb", "errorRate", 9 * MIN)).toBeCloseTo(0.8, 6);
    expect(at(run, "lb", "errorRate", 12 * MIN)).toBeCloseTo(1 - 0.8 * 0.5, 6);
  });

  it("keep every active fault's start in the target's provenance", () => {
    const starts = run.log.filter((r) => r.type === "fault.started");
    expect(starts.map((r) => r.actor)).toEqual(["first", "second", "slow", "lb-errors"]);
    const ends = run.log.filter((r) => r.type === "fault.ended");
    expect(ends.map((r) => [r.actor, r.t, r.causes])).toEqual([
      ["slow", 9 * MIN, [starts[2].seq]],
      ["first", 10 * MIN, [starts[0].seq]],
      ["second", 13 * MIN, [starts[1].seq]],
      ["lb-errors", 13 * MIN, [starts[3].seq]],
    ]);
  });
});

describe("an agent acting on a faulted component", () => {
  it("names the fault among the causes of its command", () => {
    const run = runScenario(
      scenario(
        "  - { id: az-loss, start: 5m, target: web, effect: capacityLoss, fraction: 0.5 }",
        "agents:\n  - { id: perf, kind: performance, target: web, latencyP95Max: 200ms, evaluationPeriod: 30s, cooldown: 1m, replicasMax: 20 }",
      ),
    );
    const started = run.log.find((r) => r.type === "fault.started")!;
    const scaled = run.log.find((r) => r.type === "replicas.scaled" && r.actor === "perf")!;
    // Faults start before the world step and agents at the same instant: its 5m wake sees it.
    expect(scaled.t).toBe(5 * MIN);
    expect(scaled.causes).toContain(started.seq);
  });
});

describe("fault references and values", () => {
  const problemsOf = (faults: string, components = "") => {
    try {
      scenario(faults, components);
    } catch (e) {
      return (e as Error).message;
    }
    return "no error";
  };

  it("reports an unknown target with the component ids and a did-you-mean hint", () => {
    expect(problemsOf("  - { id: f, start: 1m, target: dbb, effect: errors }")).toMatch(
      /test\.yaml:\d+:\d+: faults\[0\]\.target: expected the id of a component \(lb, web, db\), found "dbb"\n  hint: did you mean `db`\?/,
    );
  });

  it("reports capacityLoss on a load balancer, pointing at its targets", () => {
    expect(problemsOf("  - { id: f, start: 1m, target: lb, effect: capacityLoss, fraction: 0.5 }")).toMatch(
      /faults\[0\]\.target: expected a service or database \(capacityLoss takes away replicas' capacity\), found "lb", a loadBalancer\n  hint: a loadBalancer has no replicas; target one of its targets \(web\), or use `effect: errors` on lb/,
    );
  });

  it("reports a missing effect, listing the effects", () => {
    expect(problemsOf("  - { id: f, start: 1m, target: db }")).toMatch(
      /test\.yaml:\d+:\d+: faults\[0\]\.effect: expected one of "errors", "latency", "capacityLoss", "crash", "leak", "agentCrash", "partition", found nothing/,
    );
  });

  it("suggests the effect meant by a misspelt one", () => {
    expect(problemsOf("  - { id: f, start: 1m, target: db, effect: error }")).toMatch(/faults\[0\]\.effect: expected one of .*, found "error"\n  hint: did you mean `errors`\?/);
  });

  it("rejects a field of another effect", () => {
    expect(problemsOf("  - { id: f, start: 1m, target: db, effect: errors, add: 300ms }")).toMatch(/faults\[0\]\.add: expected a known key, found unknown key `add`/);
  });

  it("reports a fault id that clashes with a component id or another fault", () => {
    expect(problemsOf("  - { id: db, start: 1m, target: db, effect: errors }")).toMatch(/faults\[0\]\.id: expected a unique id, found "db"\n  hint: components\[2\]\.id already uses this id; a fault's id is the actor of its events/);
    expect(problemsOf("  - { id: f, start: 1m, target: db, effect: errors }\n  - { id: f, start: 2m, target: web, effect: errors }")).toMatch(/faults\[1\]\.id: expected a unique id, found "f"\n  hint: faults\[0\]\.id already uses this id/);
  });

  it("tells an agent target from a component target", () => {
    const agents = "agents:\n  - { id: perf, kind: performance, target: web }";
    expect(problemsOf("  - { id: f, start: 1m, target: perf, effect: errors }", agents)).toMatch(/faults\[0\]\.target: expected the id of a component \(lb, web, db\), found "perf"\n  hint: `perf` is an agent; only `effect: agentCrash` targets agents/);
    expect(problemsOf("  - { id: f, start: 1m, target: web, effect: agentCrash }", agents)).toMatch(/faults\[0\]\.target: expected the id of an agent \(perf\), found "web"\n  hint: `web` is a component; agentCrash crashes an agent/);
  });

  it("refuses components that serve no requests", () => {
    expect(problemsOf("  - { id: f, start: 1m, target: users-clients, effect: errors }", "  - { id: users-clients, kind: clients, target: lb }")).toMatch(
      /faults\[0\]\.target: expected a component that serves requests \(service, database, loadBalancer, dnsRecord, configConsumer, leaseTable\), found "users-clients", a clients\n  hint: clients make requests rather than serve them; impair the component they call \(`lb`\)/,
    );
  });

  it("reports out-of-range values and times", () => {
    expect(problemsOf("  - { id: f, start: 1m, target: db, effect: errors, rate: 0 }")).toMatch(/faults\[0\]\.rate: expected a number > 0, found 0/);
    expect(problemsOf("  - { id: f, start: 1m, target: web, effect: capacityLoss, fraction: 1.5 }")).toMatch(/faults\[0\]\.fraction: expected a number <= 1, found 1.5/);
    expect(problemsOf("  - { id: f, start: 1m, target: web, effect: capacityLoss }")).toMatch(/faults\[0\]\.fraction: expected a number, found nothing \(this field is required\)/);
    expect(problemsOf("  - { id: f, start: 1m, duration: 0s, target: db, effect: latency, add: 0ms }")).toMatch(/faults\[0\]\.add: expected an added latency longer than 0ms, found "0ms"/);
    expect(problemsOf("  - { id: f, start: 1m, duration: 0s, target: db, effect: latency, add: 1ms }")).toMatch(/faults\[0\]\.duration: expected a duration longer than 0ms, found "0s"/);
    expect(problemsOf("  - { id: f, start: 30m, target: db, effect: errors }")).toMatch(/faults\[0\]\.start: expected a start before the end of the run \(duration 20m\), found "30m"/);
  });
});

describe("the generated JSON Schema", () => {
  it("describes every field of every fault effect", () => {
    const faults = (scenarioJsonSchema() as { properties: { faults: { items: { oneOf?: unknown[]; anyOf?: unknown[] } } } }).properties.faults.items;
    // The forEach template item (docs/scenario-format.md "Templates") is not a fault effect.
    const variants = ((faults.oneOf ?? faults.anyOf ?? []) as { properties: Record<string, { description?: string }> }[]).filter((v) => !("forEach" in v.properties));
    expect(variants).toHaveLength(7);
    const undescribed = variants.flatMap((v) => Object.entries(v.properties).filter(([, p]) => !p.description).map(([k]) => k));
    expect(undescribed).toEqual([]);
    expect(variants.map((v) => Object.keys(v.properties).sort())).toEqual([
      ["duration", "effect", "from", "id", "rampDown", "rampShape", "rampUp", "rate", "start", "target", "when"],
      ["add", "duration", "effect", "from", "id", "rampDown", "rampShape", "rampUp", "start", "target", "when"],
      ["duration", "effect", "fraction", "id", "rampDown", "rampShape", "rampUp", "start", "target", "when"],
      ["after", "duration", "effect", "id", "share", "start", "target", "when"],
      ["duration", "effect", "id", "rate", "resource", "start", "target", "when"],
      ["duration", "effect", "id", "resume", "start", "target"],
      ["duration", "effect", "id", "sides", "start"],
    ]);
  });
});
