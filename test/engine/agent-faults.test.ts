// Agent crashes mid-workflow: resumed from the persisted XState snapshot (durable execution:
// the chosen plan is still applied, pending timers resume) or restarted amnesiac (the work is
// redone from the start, with whatever the world looks like then).
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const scenario = (fault: string) =>
  scenarioFromYaml(`
name: durable
seed: 5
duration: 10m
step: 5s
components:
  - { id: plans, kind: documentStore, documents: [ { name: plan, version: 1, rows: 3 } ] }
  - { id: dns, kind: dnsRecord, store: plans, document: plan, plan: 1, targets: [db] }
  - { id: db, kind: database }
agents:
  - { id: planner, kind: planPublisher, store: plans, document: plan, evaluationPeriod: 30s }
  - { id: enactor, kind: enactor, store: plans, document: plan, record: dns, applyLatency: 2m, applyJitter: 0, evaluationPeriod: 10s, keepGenerations: 100 }
faults:
${fault}
`);

const applies = (run: ReturnType<typeof runScenario>) => run.log.filter((r) => r.type === "record.updated").map((r) => ({ t: r.t, to: r.data.to }));

describe("an agent crash with durable execution (resume from snapshot)", () => {
  const run = runScenario(scenario("  - { id: crash, start: 60s, duration: 30s, target: enactor, effect: agentCrash, resume: snapshot }"));

  it("logs the crash and the restart as fault events", () => {
    const started = run.log.find((r) => r.type === "fault.started")!;
    const ended = run.log.find((r) => r.type === "fault.ended")!;
    expect(started).toMatchObject({ t: 60_000, actor: "crash", target: "enactor", data: { effect: "agentCrash", resume: "snapshot" } });
    expect(ended).toMatchObject({ t: 90_000, actor: "crash", target: "enactor", data: { effect: "agentCrash", resume: "snapshot" }, causes: [started.seq] });
    expect(run.agentStates.filter((s) => s.agent === "enactor").map((s) => s.state)).toContain("crashed");
  });

  it("still applies the plan it had chosen before the crash, when its timer was due", () => {
    // It chose generation 2 at its 30 s wake (right after the planner published it) and was applying until 150 s.
    expect(applies(run)[0]).toEqual({ t: 30_000 + 120_000, to: 2 });
  });
});

describe("an agent crash restarted amnesiac", () => {
  const run = runScenario(scenario("  - { id: crash, start: 60s, duration: 30s, target: enactor, effect: agentCrash, resume: amnesiac }"));

  it("forgets the in-flight apply and starts over, choosing the newest plan again", () => {
    const first = applies(run)[0];
    expect(first.to).toBeGreaterThan(2);
    // Restarted at 90 s (fault events run before agents at the same instant), it wakes at once and starts a new 2 min apply.
    expect(first.t).toBe(90_000 + 120_000);
  });
});

describe("a crash that outlasts the pending timer", () => {
  it("delivers the overdue delayed event at restart", () => {
    const run = runScenario(scenario("  - { id: crash, start: 60s, duration: 3m, target: enactor, effect: agentCrash, resume: snapshot }"));
    expect(applies(run)[0]).toEqual({ t: 240_000, to: 2 });
  });
});

describe("a crash without restart", () => {
  it("leaves the agent down for the rest of the run and ignores its wakes", () => {
    const run = runScenario(scenario("  - { id: crash, start: 60s, target: enactor, effect: agentCrash }"));
    expect(applies(run)).toEqual([]);
    expect(run.log.some((r) => r.type === "fault.ended")).toBe(false);
    expect(run.agentStates.filter((s) => s.agent === "enactor").at(-1)!.state).toBe("crashed");
  });
});

describe("what a restarted agent does next cites the crash", () => {
  // Crash at 3m20s for 30 s: the enactor applied generation 2 at 2m30s and is applying a newer
  // one (due at 4m50s). From its snapshot that apply still lands at 4m50s; amnesiac, it checks
  // again at 3m50s and applies at 5m50s. Either way that apply is what it does next.
  const COMMANDS = new Set(["record.updated", "document.put", "document.deleted", "command.rejected"]);
  for (const resume of ["snapshot", "amnesiac"] as const) {
    it(`cites fault.started and fault.ended on the first command after restart, and only there (${resume})`, () => {
      const run = runScenario(scenario(`  - { id: crash, start: 200s, duration: 30s, target: enactor, effect: agentCrash, resume: ${resume} }`));
      const started = run.log.find((r) => r.type === "fault.started")!;
      const ended = run.log.find((r) => r.type === "fault.ended")!;
      const cites = (r: { causes: number[] }) => r.causes.includes(started.seq) || r.causes.includes(ended.seq);
      const commands = run.log.filter((r) => r.actor === "enactor" && COMMANDS.has(r.type));
      const before = commands.filter((r) => r.seq < started.seq);
      const after = commands.filter((r) => r.seq > ended.seq);
      expect(before.length).toBeGreaterThan(0);
      expect(after.length).toBeGreaterThan(1);
      for (const r of before) expect(cites(r), `#${r.seq}`).toBe(false);
      expect(after[0].causes).toEqual(expect.arrayContaining([started.seq, ended.seq]));
      for (const r of after.slice(1)) expect(cites(r), `#${r.seq}`).toBe(false);
      // Other agents never cite another agent's crash.
      for (const r of run.log.filter((x) => x.actor === "planner")) expect(cites(r), `#${r.seq}`).toBe(false);
    });
  }
});

describe("fault references", () => {
  it("reports an unknown agent with line and column", () => {
    expect(() => scenario("  - { id: crash, start: 60s, target: enacter, effect: agentCrash }")).toThrow(/test\.yaml:\d+:\d+: faults\[0\]\.target: expected the id of an agent \(planner, enactor\), found "enacter"\n  hint: did you mean `enactor`\?/);
  });
});
