// Scenarios that validate must be runnable: a step longer than the duration, more world steps
// than the engine should take on, or telemetry too large to allocate are refused by `validate`
// (and so by `run`, which loads the same way) with the field, the figure and a hint.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { AGENT_WAKEUPS_MAX, COMPONENT_STEPS_MAX, QUEUE_EVENTS_MAX, RATE_RPS_MAX, REPLICAS_MAX } from "../../sim/scenario/budgets.js";
import { DEFAULTS } from "../../sim/scenario/resolve.js";
import { loadSuite } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import { crossfire } from "../helpers/cli.js";
import { repoPath } from "../helpers/scenarios.js";

function problemsOf(text: string) {
  try {
    loadSuite(text, "budget.yaml");
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  return [];
}

const base = (timing: string, components = 1) =>
  `name: budget\nseed: 1\n${timing}\ncomponents:\n${Array.from({ length: components }, (_, i) => `  - { id: s${i}, kind: service }`).join("\n")}\n`;

describe("resource budgets", () => {
  it("refuses a step longer than the duration (a run of one sample would pass vacuously)", () => {
    const p = problemsOf(base("duration: 10s\nstep: 1m"));
    expect(p.map((x) => x.path.join("."))).toContain("step");
    expect(p.find((x) => x.path[0] === "step")!.expected).toMatch(/no longer than the duration/);
  });

  it("refuses more than 20 million world steps", () => {
    const p = problemsOf(base("duration: 365d\nstep: 1ms"));
    expect(p.find((x) => x.path[0] === "step")!.expected).toMatch(/at most 20,000,000 world steps/);
  });

  it("refuses telemetry over 1 GB and suggests sampling less often", () => {
    const p = problemsOf(base("duration: 30d\nstep: 1m", 500));
    const t = p.find((x) => /telemetry/.test(x.expected))!;
    expect(t.path).toEqual(["step"]);
    expect(t.hint).toMatch(/sampleEvery/);
    // Sampling less often removes the telemetry problem (the component-step budget still applies).
    expect(problemsOf(base("duration: 30d\nstep: 1m\nsampleEvery: 1h", 500)).filter((x) => /telemetry/.test(x.expected))).toEqual([]);
  });

  it("counts the optional signals a component samples (a pool's three) in the telemetry budget", () => {
    // 1,800,001 samples x 10 components x 4 bytes: 13 signals fit in 1 GB (936 MB), 16 do not (1,152 MB).
    const timing = "duration: 500h\nstep: 1s";
    expect(problemsOf(base(timing, 10)).filter((x) => /telemetry/.test(x.expected))).toEqual([]);
    const pooled = base(timing, 10).replace("{ id: s0, kind: service }", "{ id: s0, kind: service, pool: { size: 10 } }");
    const t = problemsOf(pooled).find((x) => /telemetry/.test(x.expected))!;
    expect(t.expected).toMatch(/x 16 signals x 4 bytes/);
  });

  it("accepts the library's timings", () => {
    expect(problemsOf(base("duration: 24h\nstep: 5s", 200))).toEqual([]);
  });

  it("the CLI refuses an enormous duration with exit 2 in validate and run, never 3", () => {
    for (const timing of ["duration: 100000000d\nstep: 5s", "duration: 365d\nstep: 1ms"]) {
      const file = join(mkdtempSync(join(tmpdir(), "crossfire-budget-")), "budget.yaml");
      writeFileSync(file, base(timing));
      for (const cmd of ["validate", "run"]) {
        const out = crossfire([cmd, file]);
        expect(out.code, `${cmd} ${timing}: ${out.stderr}`).toBe(2);
        expect(out.stderr).toMatch(/world steps|telemetry/);
      }
    }
  }, 60_000);
});

/** `text` with the values at `edits` (YAML paths) replaced, printed back by the yaml library. */
function edited(text: string, edits: [(string | number)[], unknown][]): string {
  const doc = parseDocument(text);
  for (const [path, value] of edits) doc.setIn(path, value);
  return doc.toString({ lineWidth: 0 });
}

const readScenario = (file: string) => readFileSync(repoPath(file), "utf8");
const libraryScenarios = () => [...readdirSync(repoPath("scenarios")).filter((f) => f.endsWith(".yaml")).map((f) => `scenarios/${f}`), "docs/examples/first-scenario.yaml"];
const FIRST = () => readScenario("docs/examples/first-scenario.yaml");

/** Runs validate and run on `text` and returns both results. */
function validateAndRun(text: string) {
  const file = join(mkdtempSync(join(tmpdir(), "crossfire-budget-")), "budget.yaml");
  writeFileSync(file, text);
  return { validate: crossfire(["validate", file]), run: crossfire(["run", file]) };
}

describe("numeric budgets: finite, bounded load and server counts", () => {
  it("refuses capacityPerReplica: 1e308 (the audit's input) at the field, with the limit and a hint", () => {
    const p = problemsOf(edited(FIRST(), [[["components", 1, "capacityPerReplica"], 1e308]]));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ path: ["components", 1, "capacityPerReplica"], line: 15 });
    expect(p[0].expected).toBe(`a rate of at most ${RATE_RPS_MAX.toLocaleString("en-US")}/s`);
    expect(p[0].hint).toMatch(/capacity model needs finite figures/);
  });

  it("refuses a rate that parses to Infinity (a 320-digit rate) and a workload of 1e308/s, which printed NaN", () => {
    expect(problemsOf(edited(FIRST(), [[["components", 1, "capacityPerReplica"], `${"9".repeat(320)}/ms`]]))[0]).toMatchObject({ path: ["components", 1, "capacityPerReplica"], found: "Infinity/s" });
    expect(problemsOf(edited(FIRST(), [[["workload", 0, "pattern", "rate"], 1e308]]))[0].path).toEqual(["workload", 0, "pattern", "rate"]);
    expect(problemsOf(edited(FIRST(), [[["workload", 0, "pattern", "rate"], RATE_RPS_MAX]]))).toEqual([]);
  });

  it("refuses 2e9 replicas (the audit's 2e9 servers) at replicas and replicasMax", () => {
    const p = problemsOf(edited(FIRST(), [[["components", 1, "replicas"], 2e9], [["components", 1, "replicasMax"], 2e9]]));
    expect(p.map((x) => x.path.join("."))).toEqual(["components.1.replicas", "components.1.replicasMax"]);
    expect(p[0].expected).toBe(`at most ${REPLICAS_MAX.toLocaleString("en-US")} replicas`);
    expect(p[0].hint).toMatch(/capacityPerReplica/);
    expect(problemsOf(edited(FIRST(), [[["components", 1, "replicas"], REPLICAS_MAX], [["components", 1, "replicasMax"], REPLICAS_MAX]]))).toEqual([]);
  });

  it("the CLI refuses the audit's inputs in validate and run alike: exit 2 with file:line:col, never 3", () => {
    for (const text of [edited(FIRST(), [[["components", 1, "capacityPerReplica"], 1e308]]), edited(FIRST(), [[["components", 1, "replicas"], 2e9], [["components", 1, "replicasMax"], 2e9]])]) {
      const { validate, run } = validateAndRun(text);
      expect(validate.code, validate.stderr).toBe(2);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toBe(validate.stderr);
      expect(run.stderr).toMatch(/budget\.yaml:\d+:\d+: components\[1\]\.(capacityPerReplica|replicas): expected/);
    }
  });
});

// A routing agent (no library scenario has one) next to its load balancer.
const ROUTING = `name: routing
seed: 1
duration: 1h
step: 5s
components:
  - { id: a, kind: service }
  - { id: b, kind: service }
  - { id: lb, kind: loadBalancer, targets: [a, b] }
agents:
  - { id: router, kind: routing, target: lb }
`;

describe("evaluation periods: 0 is refused for every agent kind, never clamped", () => {
  const periodField = (kind: string) => (kind === "healthChecker" ? "probeInterval" : "evaluationPeriod");
  const kindsWithPeriod = Object.entries(DEFAULTS).filter(([, d]) => typeof d === "object" && d !== null && ("evaluationPeriod" in d || "probeInterval" in d)).map(([kind]) => kind);

  it("every built-in agent kind with a period refuses 0ms at the field, with the default as hint", () => {
    const covered = new Set<string>();
    const files = [...libraryScenarios().map((f) => ({ file: f, text: readScenario(f) })), { file: "routing", text: ROUTING }];
    for (const { file, text } of files) {
      const agents = (parseDocument(text).toJS() as { agents?: { kind: string }[] }).agents ?? [];
      agents.forEach((a, i) => {
        if (!kindsWithPeriod.includes(a.kind)) return;
        const field = periodField(a.kind);
        const p = problemsOf(edited(text, [[["agents", i, field], "0ms"]]));
        expect(p, `${file} agents[${i}] (${a.kind})`).toHaveLength(1);
        expect(p[0]).toMatchObject({ path: ["agents", i, field], expected: "a period longer than 0ms (the agent wakes once per period)", found: '"0ms"' });
        expect(p[0].hint).toBe(`leave it out for the default (${(DEFAULTS as unknown as Record<string, Record<string, string>>)[a.kind][field]})`);
        covered.add(a.kind);
      });
    }
    expect([...covered].sort()).toEqual([...kindsWithPeriod].sort());
  });

  it("a statechart's 0s still means never woken (documented), not a clamp", () => {
    const text = readScenario("scenarios/dynamodb-dns-race.yaml");
    const agents = (parseDocument(text).toJS() as { agents: { kind: string }[] }).agents;
    const i = agents.findIndex((a) => a.kind === "statechart");
    expect(problemsOf(edited(text, [[["agents", i, "evaluationPeriod"], "0s"]]))).toEqual([]);
  });

  it("the CLI refuses evaluationPeriod 0ms in validate and run alike (exit 2, located)", () => {
    const { validate, run } = validateAndRun(edited(FIRST(), [[["agents", 0, "evaluationPeriod"], "0ms"]]));
    expect([validate.code, run.code]).toEqual([2, 2]);
    expect(run.stderr).toMatch(/budget\.yaml:\d+:\d+: agents\[0\]\.evaluationPeriod: expected a period longer than 0ms/);
  });
});

describe("estimated queue events", () => {
  const limit = QUEUE_EVENTS_MAX.toLocaleString("en-US");

  it("refuses a 1 ms period that would wake an agent 3.6 million times in an hour, at that agent's field", () => {
    // Once per variant: the healthy-db variant has no fault to count.
    const p = problemsOf(edited(FIRST(), [[["agents", 0, "evaluationPeriod"], "1ms"]]));
    expect(p.map((x) => [x.path.join("."), x.line])).toEqual([["agents.0.evaluationPeriod", 28], ["agents.0.evaluationPeriod", 28]]);
    expect(p[0].expected).toBe(`a run of at most ${limit} queue events (a twentieth of the engine's maxEvents, 50,000,000)`);
    expect(p.map((x) => x.found)).toEqual(["about 3,600,723: 3,600,000 wake-ups of autoscaler, 721 world steps, 2 fault starts and ends", "about 3,600,721: 3,600,000 wake-ups of autoscaler, 721 world steps"]);
    expect(p[0].hint).toMatch(/wake autoscaler less often: every 1 ms is 3,600,000 wake-ups in 1h/);
    expect(problemsOf(edited(FIRST(), [[["agents", 0, "evaluationPeriod"], "20ms"]]))).toEqual([]);
  });

  it("refuses more than 200,000 agent wake-ups in all, blaming the agent that wakes most", () => {
    const p = problemsOf(edited(FIRST(), [[["agents", 0, "evaluationPeriod"], "10ms"]]));
    expect(p[0]).toMatchObject({ path: ["agents", 0, "evaluationPeriod"], expected: `at most ${AGENT_WAKEUPS_MAX.toLocaleString("en-US")} agent wake-ups in the run, all agents together`, found: "about 360,000: 360,000 wake-ups of autoscaler" });
    expect(p[0].hint).toMatch(/every 10 ms is 360,000 wake-ups in 1h/);
  });

  it("refuses more than 20 million component-steps (world steps x components)", () => {
    const p = problemsOf(base("duration: 7d\nstep: 1s\nsampleEvery: 1h", 34));
    expect(p).toEqual([expect.objectContaining({ path: ["step"], expected: `at most ${COMPONENT_STEPS_MAX.toLocaleString("en-US")} component-steps (world steps x components)`, found: "20,563,234 (604,801 steps of 34 components)" })]);
    expect(problemsOf(base("duration: 7d\nstep: 1s\nsampleEvery: 1h", 33))).toEqual([]);
  });

  it("counts every agent and the world steps together, and blames the largest", () => {
    const p = problemsOf(edited(FIRST(), [[["step"], "1s"], [["duration"], "30d"]]));
    expect(p[0]).toMatchObject({ path: ["step"], found: "about 2,678,403: 2,592,001 world steps, 86,400 wake-ups of autoscaler, 2 fault starts and ends", hint: "use a longer step or a shorter duration" });
    expect(problemsOf(edited(FIRST(), [[["step"], "1s"], [["duration"], "20d"]]))).toEqual([]);
  });

  it("counts a statechart's self-arming `after` timer", () => {
    const text = edited(readScenario("scenarios/dynamodb-dns-race.yaml"), []);
    const doc = parseDocument(text);
    const agents = doc.toJS().agents as { kind: string; states: Record<string, unknown> }[];
    const i = agents.findIndex((a) => a.kind === "statechart" && "paged" in a.states);
    doc.setIn(["agents", i, "states", "paged", "after"], doc.createNode({ "1ms": { target: "paged" } }));
    const p = problemsOf(doc.toString({ lineWidth: 0 }));
    expect(p).toHaveLength(1);
    expect(p[0].path).toEqual(["agents", i, "states", "paged", "after"]);
    expect(p[0].hint).toMatch(/longer `after` delays/);
  });

  it("the library fits with room to spare", () => {
    for (const f of libraryScenarios()) expect(problemsOf(readScenario(f)), f).toEqual([]);
  });
});
