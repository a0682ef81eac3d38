// Flags and kill switches: a flag knob declared on any component, a fault gated by it that
// impairs only while the flag is on (started and ended by the flag writes, which its events cite),
// policies applying to flag writes like any knob, and the flag flip ranked as the root cause.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { buildCausalGraph } from "../../sim/causal/graph.js";
import { detect } from "../../sim/detect/index.js";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import type { EventRecord } from "../../sim/log/record.js";
import { loadSuite, loadVariant } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";

const MIN = 60_000;

/** A statechart agent that writes web.flag.newParser = `value` once, `after` from the start. */
const flipper = (id: string, after: string, value: number) => `
  - id: ${id}
    kind: statechart
    evaluationPeriod: 1m
    initial: waiting
    states:
      waiting:
        after:
          ${after}:
            target: done
            actions: [{ set: { target: web, knob: flag.newParser, value: ${value}, reason: "${id}" } }]
      done: {}`;

// lb -> web (4 x 100/s) -> db, 300/s offered, 10 s steps.
const scenario = (opts: { faults?: string; agents?: string; flags?: string; coordination?: string }) => `
name: flags
seed: 1
duration: 20m
step: 10s
components:
  - { id: lb, kind: loadBalancer, targets: [web] }
  - { id: web, kind: service, replicas: 4, dependsOn: [db]${opts.flags ?? ", flags: { newParser: off }"} }
  - { id: db, kind: database, replicas: 2 }
workload:
  - { id: users, target: lb, pattern: { kind: constant, rate: 300/s } }
${opts.agents ? `agents:${opts.agents}` : ""}
${opts.faults ? `faults:\n${opts.faults}` : ""}
${opts.coordination ? `coordination: ${opts.coordination}` : ""}
`;

const GATED = "  - { id: new-parser, start: 0s, target: web, effect: errors, rate: 0.5, when: { flag: web.newParser } }";
const at = (run: RunResult, id: string, signal: string, tMs: number): number => run.telemetry.series(id, signal)[run.telemetry.indexAt(tMs)];

describe("a fault gated by a flag, turned on at 5m and killed at 8m", () => {
  const run = runScenario(scenarioFromYaml(scenario({ faults: GATED, agents: flipper("release", "5m", 1) + flipper("oncall", "8m", 0) })));
  const on = run.log.find((r) => r.type === "flag.changed" && r.actor === "release")!;
  const off = run.log.find((r) => r.type === "flag.changed" && r.actor === "oncall")!;
  const started = run.log.find((r) => r.type === "fault.started")!;
  const ended = run.log.find((r) => r.type === "fault.ended")!;

  it("logs the flag writes as flag.changed on the component", () => {
    expect(on).toMatchObject({ t: 5 * MIN, target: "web", data: { knob: "flag.newParser", from: 0, to: 1 } });
    expect(off).toMatchObject({ t: 8 * MIN, target: "web", data: { knob: "flag.newParser", from: 1, to: 0 } });
  });

  it("starts the fault at the flip, caused by it, and ends it at the kill switch, caused by it", () => {
    expect(started).toMatchObject({ t: 5 * MIN, actor: "new-parser", data: { effect: "errors", rate: 0.5, flag: "web.flag.newParser" }, causes: [on.seq] });
    expect(ended).toMatchObject({ t: 8 * MIN, actor: "new-parser", causes: [started.seq, off.seq] });
  });

  it("impairs web only from the step after the flip to the step of the kill switch (agents act after the step)", () => {
    // Hand-computed: the flip lands after the world step at 5m, so 5m is clean and 5m10s fails
    // 50%; the kill switch lands after the step at 8m, so 8m still fails and 8m10s is clean.
    expect(at(run, "web", "errorRate", 5 * MIN)).toBe(0);
    expect(at(run, "web", "errorRate", 5 * MIN + 10_000)).toBeCloseTo(0.5, 9);
    expect(at(run, "lb", "errorRate", 8 * MIN)).toBeCloseTo(0.5, 9);
    expect(at(run, "web", "errorRate", 8 * MIN + 10_000)).toBe(0);
    expect(at(run, "web", "errorRate", 19 * MIN)).toBe(0);
  });

  it("puts the flip in the outage's causes and the kill switch in the recovery's; the flip is the root cause", () => {
    const health = run.log.filter((r) => r.type === "health.changed" && r.target === "lb");
    expect(health.map((r) => [r.data.healthy, r.t])).toEqual([[false, 5 * MIN + 30_000], [true, 8 * MIN + 50_000]]);
    const graph = buildCausalGraph(run.log);
    expect(graph.ancestors(health[0].seq).nodes.map((n) => n.seq)).toContain(on.seq);
    expect(graph.ancestors(health[1].seq).nodes.map((n) => n.seq)).toContain(off.seq);
    expect(health[1].causes).toContain(ended.seq);
    const roots = graph.rootCauses(health[0].seq);
    expect(roots[0]).toMatchObject({ seq: on.seq, kind: "flag flip", rank: 0, actor: "release" });
  });
});

describe("gate timing", () => {
  it("starts a gated fault at its start when the flag is already on, and ends it at its end", () => {
    const run = runScenario(scenarioFromYaml(scenario({ flags: ", flags: { newParser: on }", faults: "  - { id: p, start: 2m, duration: 3m, target: web, effect: errors, rate: 0.5, when: { flag: web.newParser } }" })));
    const faults = run.log.filter((r) => r.type.startsWith("fault."));
    expect(faults.map((r) => [r.type, r.t, r.causes.length])).toEqual([["fault.started", 2 * MIN, 0], ["fault.ended", 5 * MIN, 1]]);
    expect(at(run, "web", "errorRate", 2 * MIN)).toBeCloseTo(0.5, 9);
    expect(at(run, "web", "errorRate", 5 * MIN)).toBe(0);
  });

  it("does nothing for a flag turned on after the fault's timeline ended", () => {
    const run = runScenario(scenarioFromYaml(scenario({ faults: "  - { id: p, start: 1m, duration: 2m, target: web, effect: errors, when: { flag: web.newParser } }", agents: flipper("release", "5m", 1) })));
    expect(run.log.some((r) => r.type.startsWith("fault."))).toBe(false);
  });
});

describe("flag writes pass validation and coordination like any knob", () => {
  it("rejects a value other than 0 or 1", () => {
    const run = runScenario(scenarioFromYaml(scenario({ agents: flipper("release", "1m", 2) })));
    expect(run.log.find((r) => r.type === "command.rejected")).toMatchObject({ data: { policy: "validation", reason: "web.flag.newParser is a flag: 0 (off) or 1 (on), got 2" } });
  });

  it("an authorization policy keeps an agent off the flag, so the gated fault never starts", () => {
    const run = runScenario(scenarioFromYaml(scenario({ faults: GATED, agents: flipper("release", "1m", 1) + flipper("oncall", "2m", 0), coordination: "{ authorization: { oncall: [web.flag.*] } }" })));
    expect(run.log.find((r) => r.actor === "release" && r.type === "command.rejected")).toMatchObject({ data: { policy: "authorization" } });
    expect(run.log.some((r) => r.type.startsWith("fault."))).toBe(false);
  });
});

describe("scenario checks", () => {
  const problemsOf = (text: string) => {
    try {
      loadSuite(text, "flags.yaml");
    } catch (e) {
      if (e instanceof ScenarioError) return e.problems.map((p) => `${p.path.join(".")}: ${p.expected}`);
      throw e;
    }
    return [];
  };

  it("refuses a gate naming a flag the component does not declare", () => {
    expect(problemsOf(scenario({ faults: "  - { id: p, start: 0s, target: web, effect: errors, when: { flag: web.newParsr } }" }))).toEqual(["faults.0.when.flag: a flag of web (newParser)"]);
    expect(problemsOf(scenario({ faults: "  - { id: p, start: 0s, target: web, effect: errors, when: { flag: nope.x } }" }))[0]).toMatch(/^faults\.0\.when\.flag: a flag as <component>\.<name> of a component/);
  });

  it("refuses a statechart writing an undeclared flag", () => {
    expect(problemsOf(scenario({ flags: "", agents: flipper("release", "1m", 1) }))[0]).toMatch(/knob/);
  });
});

/**
 * A record without its chain fields: what the run did, not where in the chain it sits. The
 * engine's count of queue entries in `run.ended` also differs: the gate's timeline is two queue
 * entries whether or not the fault ever starts.
 */
const content = (r: EventRecord) => {
  const { queueEvents: _, ...data } = r.data;
  return { seq: r.seq, t: r.t, type: r.type, actor: r.actor, target: r.target, data: r.type === "run.ended" ? data : r.data, causes: r.causes };
};

describe("property: with the flag off for the whole run, a gated fault changes nothing", () => {
  it("equals the run without the fault (telemetry digest included), record #0 (the scenario's digest) aside", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 19 }),
        fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
        fc.constantFrom("errors, rate: 0.7", "latency, add: 300ms", "capacityLoss, fraction: 0.5"),
        fc.constantFrom("", flipper("noop", "4m", 0)),
        (startMin, durationMin, effect, agents) => {
          const fault = `  - { id: p, start: ${startMin}m, ${durationMin === undefined ? "" : `duration: ${durationMin}m, `}target: web, effect: ${effect}, when: { flag: web.newParser } }`;
          const gated = runScenario(scenarioFromYaml(scenario({ faults: fault, agents })));
          const plain = runScenario(scenarioFromYaml(scenario({ agents })));
          expect(gated.log.slice(1).map(content)).toEqual(plain.log.slice(1).map(content));
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("a config consumer that applies configs only while its applyWhen flag is on", () => {
  /** A statechart agent writing proxies.flag.newConfig = value at `after`. */
  const flip = (id: string, after: string, value: number) => flipper(id, after, value).replace("target: web", "target: proxies").replace("flag.newParser", "flag.newConfig");
  const text = (agents: string, extra = "") => `
name: gated-config
seed: 1
duration: 12m
step: 10s
components:
  - id: features
    kind: documentStore
    documents: [{ name: file, version: 1, rows: 60 }]
  - id: proxies
    kind: configConsumer
    store: features
    document: file
    propagation: 0s
    rules: { rowsMax: 200 }
    replicas: 10
    flags: { newConfig: on }
    applyWhen: newConfig
${extra}
workload:
  - { id: users, target: proxies, pattern: { kind: constant, rate: 300/s } }
agents:
  - { id: author, kind: configAuthor, store: features, document: file, at: 2m, rows: 240 }${agents}
`;
  const run = runScenario(scenarioFromYaml(text(flip("oncall", "5m", 0) + flip("release", "8m", 1))));
  const available = (tMs: number) => at(run, "proxies", "available", tMs);

  it("crashes on the bad file while on, serves on the built-in config from the step after the kill switch, crashes again when turned back on", () => {
    // Hand-computed: the put lands after the step at 2m and is loaded at 2m10s (propagation 0s);
    // the kill switch lands after the step at 5m, so 5m10s serves; turned on after 8m, 8m10s crashes.
    expect(available(2 * MIN)).toBe(1);
    expect(available(2 * MIN + 10_000)).toBe(0);
    expect(available(5 * MIN)).toBe(0);
    expect(available(5 * MIN + 10_000)).toBe(1);
    expect(available(8 * MIN)).toBe(1);
    expect(available(8 * MIN + 10_000)).toBe(0);
  });

  it("cites the kill switch in the recovery's causes", () => {
    const off = run.log.find((r) => r.type === "flag.changed" && r.actor === "oncall")!;
    const recovered = run.log.find((r) => r.type === "health.changed" && r.target === "proxies" && r.data.healthy === true)!;
    expect(recovered.t).toBeGreaterThan(off.t);
    expect(recovered.causes).toContain(off.seq);
  });

  it("refuses an applyWhen naming a flag the consumer does not declare", () => {
    let problems: string[] = [];
    try {
      loadSuite(text("").replace("applyWhen: newConfig", "applyWhen: newConfg"), "gated.yaml");
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      problems = e.problems.map((p) => `${p.path.join(".")}: ${p.expected}`);
    }
    expect(problems).toEqual(["components.1.applyWhen: a flag of proxies (newConfig)"]);
  });
});

describe("docs/examples/kill-switch.yaml: the root cause of the cascade", () => {
  const text = readFileSync(repoPath("docs/examples/kill-switch.yaml"), "utf8");
  const cascadeRoots = (variant: string) => {
    const run = runScenario(loadVariant(text, "kill-switch.yaml", variant).scenario);
    const cascade = detect(run).find((f) => f.kind === "cascade")!;
    return { run, roots: cascade.rootCauses.map((seq) => run.log[seq]) };
  };

  it("blind: the new code path's fault", () => {
    const { roots } = cascadeRoots("blind");
    expect(roots.map((r) => [r.type, r.actor])).toEqual([["fault.started", "new-parser"]]);
  });

  it("coordinated: the release's flag flip alone, in the detector and in the causal graph", () => {
    const { run, roots } = cascadeRoots("coordinated");
    expect(roots.map((r) => [r.type, r.actor, r.t])).toEqual([["flag.changed", "release", 10 * MIN]]);
    const outage = run.log.find((r) => r.type === "health.changed" && r.target === "edge")!;
    const graphRoots = buildCausalGraph(run.log).rootCauses(outage.seq);
    expect(graphRoots.map((r) => [r.kind, r.actor])).toEqual([["flag flip", "release"]]);
  });
});
