// The statechart actions `log` and `sendLoad`, run by the real engine and the real XState
// interpreter: what the annotation says and what caused it, and that an agent's requests reach
// their target through the same load path as a workload (checked against the telemetry).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyRef, LOG_MESSAGE_CHARS_MAX, parseTemplate, renderTemplate } from "../../sim/agents/declarative/log.js";
import { buildCausalGraph } from "../../sim/causal/index.js";
import { isAction } from "../../sim/detect/action-rank.js";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import { RATE_RPS_MAX } from "../../sim/scenario/budgets.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const world = (agents: string, extra = "") => `
name: actions-test
seed: 1
duration: 20m
step: 5s
components:
  - { id: web, kind: service, replicas: 4, capacityPerReplica: 100/s, baseLatency: 20ms }
workload:
  - { id: users, target: web, pattern: { kind: steps, steps: [{ at: 0s, rate: 100/s }, { at: 2m, rate: 300/s }] } }
agents:
${agents}
${extra}`;

const of = (run: RunResult, type: string) => run.log.filter((r) => r.type === type);

describe("log: an annotation with the causes of its transition", () => {
  const run = runScenario(
    scenarioFromYaml(
      world(`  - id: narrator
    kind: statechart
    evaluationPeriod: 1m
    context: { ceiling: 0.5, breaches: 0, owner: "<script>alert(1)</script>" }
    initial: watching
    states:
      watching:
        on:
          wake:
            - guard: { signal: { component: web, name: utilization, op: ">", param: ceiling } }
              target: told
              actions:
                - remember: { key: breaches, value: { context: breaches, plus: 1 } }
                - log: { message: "breach \${breaches} in \${state}: \${because}; replicas \${web.replicas}, p95 \${web.latencyMsP95} ms; paging \${owner} $\${literal}", level: warn }
      told: {}`),
    ),
  );
  const logged = of(run, "agent.logged");

  it("writes one agent.logged record by the agent, with the message rendered and its level", () => {
    expect(logged).toHaveLength(1);
    const r = logged[0];
    expect(r.actor).toBe("narrator");
    expect(r.target).toBeUndefined();
    // The load rises at 2m; the wake at 2m runs after that instant's world step, so it sees it.
    expect(r.t).toBe(120_000);
    expect(r.data.level).toBe("warn");
    // `remember` ran first, so the message sees the new count; `$${` writes a literal `${`; the
    // context string is copied as text (the UI and the report escape it).
    expect(r.data.message).toMatch(/^breach 1 in watching: watching: web\.utilization = 0\.750 > 0\.500; replicas 4, p95 \d+(\.\d+)? ms; paging <script>alert\(1\)<\/script> \$\{literal\}$/);
  });

  it("is caused by what the guard read: the workload change that raised utilization", () => {
    const change = of(run, "workload.changed")[0];
    expect(change.t).toBe(120_000);
    expect(logged[0].causes).toContain(change.seq);
  });

  it("is an annotation, not an action: no root cause, no knob change", () => {
    expect(isAction(logged[0])).toBe(false);
    const graph = buildCausalGraph(run.log, { agents: ["narrator"], findings: [] });
    expect(graph.rootKind(logged[0].seq)).toBeUndefined();
    expect(graph.rootCauses(logged[0].seq).map((r) => r.seq)).toEqual([of(run, "workload.changed")[0].seq]);
  });

  it("leaves the world as it was: the same run without the log action differs only by the record", () => {
    const silent = runScenario(scenarioFromYaml(world(`  - id: narrator
    kind: statechart
    evaluationPeriod: 1m
    context: { ceiling: 0.5, breaches: 0 }
    initial: watching
    states:
      watching:
        on:
          wake:
            - guard: { signal: { component: web, name: utilization, op: ">", param: ceiling } }
              target: told
              actions: { remember: { key: breaches, value: { context: breaches, plus: 1 } } }
      told: {}`)));
    const strip = (r: RunResult) => r.log.filter((x) => x.type !== "agent.logged" && x.type !== "run.ended").map((x) => [x.t, x.type, x.actor, x.target]);
    expect(strip(run)).toEqual(strip(silent));
    expect(Array.from(run.telemetry.values)).toEqual(Array.from(silent.telemetry.values));
  });
});

describe("log: the rendered message is bounded", () => {
  it("cuts a message longer than LOG_MESSAGE_CHARS_MAX and ends it with …", () => {
    const long = "x".repeat(400);
    const run = runScenario(
      scenarioFromYaml(
        world(`  - id: chatty
    kind: statechart
    evaluationPeriod: 1m
    context: { long: "${long}" }
    initial: a
    states:
      a:
        on: { wake: { target: b, actions: { log: "\${long} \${long}" } } }
      b: {}`),
      ),
    );
    const message = String(of(run, "agent.logged")[0].data.message);
    expect(message).toHaveLength(LOG_MESSAGE_CHARS_MAX);
    expect(message.endsWith("…")).toBe(true);
  });

  it("renders any template within the bound, and text without references as written (property)", () => {
    const reader = { context: () => "y".repeat(200), signal: () => 1.5, knob: () => 3, because: () => "z".repeat(300), state: () => "s" };
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (template) => {
        const parts = parseTemplate(template);
        if (!Array.isArray(parts)) return;
        const out = renderTemplate(parts, reader);
        expect(out.length).toBeLessThanOrEqual(LOG_MESSAGE_CHARS_MAX);
        if (!template.includes("${")) expect(out).toBe(template.length > LOG_MESSAGE_CHARS_MAX ? out : template);
      }),
    );
  });

  it("parses references and refuses expressions", () => {
    expect(parseTemplate("a ${b} c ${web.latencyMsP95}")).toEqual([{ text: "a " }, { ref: "b" }, { text: " c " }, { ref: "web.latencyMsP95" }]);
    expect(classifyRef("lb.weight.web-a")).toEqual({ kind: "knob", component: "lb", knob: "weight.web-a" });
    expect(classifyRef("web.latencyMsP95")).toEqual({ kind: "signal", component: "web", name: "latencyMsP95" });
    expect(classifyRef("because")).toEqual({ kind: "because" });
    expect(Array.isArray(parseTemplate("${a + 1}"))).toBe(false);
    expect(Array.isArray(parseTemplate("open ${a"))).toBe(false);
  });

  it("refuses an expression in a scenario at the message's line", () => {
    const text = world(`  - id: bad
    kind: statechart
    evaluationPeriod: 1m
    context: { n: 0 }
    initial: a
    states:
      a:
        on: { wake: { actions: { log: "n+1 = \${n + 1}" } } }`);
    expect(() => scenarioFromYaml(text)).toThrow(ScenarioError);
    try {
      scenarioFromYaml(text);
    } catch (e) {
      expect((e as ScenarioError).message).toMatch(/test\.yaml:\d+:\d+: agents\[0\]\.states\.a\.on\.wake\.actions\.log: expected a reference/);
    }
  });
});

describe("sendLoad: an agent's requests go through the load path", () => {
  const sender = (rate: string, extraContext = "") => `  - id: prober
    kind: statechart
    context: { sent: 0${extraContext} }
    initial: waiting
    states:
      waiting:
        after:
          5m:
            target: done
            actions:
              - sendLoad: { to: web, rate: ${rate}, for: 2m }
      done: {}`;
  const run = runScenario(scenarioFromYaml(world(sender("50/s"))));
  const loadOf = (r: RunResult) => r.telemetry.series("web", "loadRps");

  it("logs load.sent (the agent, its target, rate and duration) and load.ended caused by it", () => {
    const [sent] = of(run, "load.sent");
    const [ended] = of(run, "load.ended");
    expect(sent).toMatchObject({ t: 300_000, actor: "prober", target: "web", data: { rps: 50, forMs: 120_000, untilMs: 420_000 } });
    expect(ended).toMatchObject({ t: 420_000, actor: "prober", target: "web", causes: [sent.seq], data: { rps: 50, sentSeq: sent.seq } });
  });

  it("arrives at the target: loadRps is the users' rate plus the sent rate on exactly the steps after the send, for its duration (oracle)", () => {
    const t = run.telemetry;
    const load = loadOf(run);
    let extraRequests = 0;
    for (let k = 0; k < t.count; k++) {
      const users = t.times[k] < 120_000 ? 100 : 300;
      const sending = t.times[k] > 300_000 && t.times[k] <= 420_000;
      expect(load[k], `at ${t.times[k]} ms`).toBeCloseTo(users + (sending ? 50 : 0), 6);
      extraRequests += ((load[k] - users) * run.scenario.sampleEveryMs) / 1000;
    }
    // 50 requests per second for two minutes, counted on the telemetry's samples.
    expect(extraRequests).toBeCloseTo(50 * 120, 3);
  });

  it("names the agent in the load's provenance: what reads web's latency while it lasts cites load.sent", () => {
    const watcher = `
  - id: watcher
    kind: statechart
    evaluationPeriod: 1m
    initial: a
    states:
      a:
        on: { wake: { actions: { log: "p95 \${web.latencyMsP95}" } } }`;
    const both = runScenario(scenarioFromYaml(world(sender("50/s") + watcher)));
    const [sent] = of(both, "load.sent");
    const during = of(both, "agent.logged").filter((r) => r.t > sent.t && r.t < 420_000);
    expect(during.length).toBeGreaterThan(0);
    for (const r of during) expect(r.causes).toContain(sent.seq);
    const graph = buildCausalGraph(both.log, { agents: ["prober", "watcher"], findings: [] });
    expect(graph.rootCauses(during[0].seq).map((r) => r.seq)).toContain(sent.seq);
  });

  it("clamps a value expression's rate to the budget, and sends nothing for a rate of 0", () => {
    const huge = runScenario(scenarioFromYaml(world(sender("{ context: rate }", ", rate: 5000000000"))));
    expect(of(huge, "load.sent")[0].data.rps).toBe(RATE_RPS_MAX);
    const none = runScenario(scenarioFromYaml(world(sender("{ context: rate }", ", rate: -10"))));
    expect(of(none, "load.sent")).toHaveLength(0);
    const zero = runScenario(scenarioFromYaml(world(sender("{ context: rate }", ", rate: 0"))));
    expect(of(zero, "load.sent")).toHaveLength(0);
    expect(Array.from(loadOf(none))).toEqual(Array.from(loadOf(zero)));
  });

  it("is deterministic: the same scenario gives the same hash", () => {
    const again = runScenario(scenarioFromYaml(world(sender("50/s"))));
    expect(again.finalHash).toBe(run.finalHash);
  });

  it("refuses a literal rate over the budget and a zero duration at their lines", () => {
    const text = world(sender("2000000000/s").replace("for: 2m", "for: 0s"));
    expect(() => scenarioFromYaml(text)).toThrow(/sendLoad\.rate: expected a rate of at most 1,000,000,000\/s[\s\S]*sendLoad\.for: expected a duration longer than 0ms/);
  });
});
