// Thrashing: fires on two actors reversing one knob (directly or through a coupled knob), stays
// quiet on near misses, names the minimal witnesses, measures waste; and on the
// cost-vs-performance scenario, blind and leased.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DETECTOR_DEFAULTS, detect } from "../../sim/detect/index.js";
import { detectThrashing } from "../../sim/detect/thrashing.js";
import { runScenario } from "../../sim/engine/engine.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";
import { chainScenario, LogBuilder, min, servedScenario } from "./log-builder.js";

/** perf and cost alternating on web.replicas 6 <-> 8, each change caused by the previous one. */
function alternation(b: LogBuilder, startMin: number, changes: number, gapsMin: [number, number] = [3, 1]): number[] {
  const seqs: number[] = [];
  let t = startMin;
  for (let i = 0; i < changes; i++) {
    const up = i % 2 === 0;
    const causes = seqs.length > 0 ? [seqs[seqs.length - 1]] : [0];
    seqs.push(b.knob(min(t), up ? "perf" : "cost", "web", "replicas", up ? 6 : 8, up ? 8 : 6, { causes, reason: up ? "web.utilization = 0.83 > 0.75" : "web.utilization = 0.62 < 0.65" }).seq);
    t += gapsMin[i % 2];
  }
  return seqs;
}

describe("detectThrashing on hand-built logs", () => {
  it("fires on perf and cost reversing web.replicas, with metrics, waste and explanation", () => {
    const b = new LogBuilder();
    const seqs = alternation(b, 10, 5); // changes at 10, 13, 14, 17, 18 min
    const [finding, ...rest] = detectThrashing(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      kind: "thrashing",
      severity: "warning",
      from: min(10),
      to: min(18),
      knob: "web.replicas",
      actors: ["cost", "perf"],
      components: ["web"],
      subjects: ["cost", "perf", "web.replicas", "web"],
      witnesses: seqs,
      rootCauses: [seqs[0]],
    });
    // 2 replicas added at 10m removed at 13m, and at 14m removed at 17m: 12 replica-minutes = 0.2 h.
    expect(finding.metrics).toEqual({ reversals: 4, changes: 5, periodMs: min(1), cycleMs: min(4), wastedChanges: 4, wastedReplicaHours: 0.2, wastedCost: 0.08 });
    expect(finding.explanation[0]).toBe(
      "perf and cost reversed web.replicas 4 times between 00:10:00 and 00:18:00, a full up-and-down cycle about every 4m; " +
        "4 of the 5 changes in that time were undone by a later opposite change, costing $0.08 (0.2 replica-hours added then removed at $0.40 per replica-hour).",
    );
    expect(finding.explanation[1]).toBe(`cost lowered web.replicas 8->6 at 00:13:00 because web.utilization = 0.62 < 0.65 (caused by #${seqs[0]} perf raising web.replicas 6->8 at 00:10:00).`);
    expect(finding.explanation[2]).toBe(`perf raised web.replicas 6->8 at 00:14:00 because web.utilization = 0.83 > 0.75 (caused by #${seqs[1]} cost lowering web.replicas 8->6 at 00:13:00).`);
    expect(finding.explanation).toHaveLength(5); // summary, 3 reversals, "1 more"
  });

  it("says so when the reversing change does not name the reversed one as a cause", () => {
    const b = new LogBuilder();
    for (let i = 0; i < 4; i++) b.knob(min(10 + i), i % 2 === 0 ? "a" : "b", "web", "replicas", i % 2 === 0 ? 6 : 8, i % 2 === 0 ? 8 : 6, { causes: [] });
    const [finding] = detectThrashing(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(finding.explanation[1]).toContain("(after, though the log does not name it as a cause, #1 a raising web.replicas 6->8 at 00:10:00)");
  });

  it("witnesses only the changes that form reversals, not same-direction repeats or changes outside the episode", () => {
    const b = new LogBuilder();
    b.knob(min(1), "perf", "web", "replicas", 6, 7); // same direction as the next: not a witness
    const repeat = b.knob(min(2), "perf", "web", "replicas", 7, 8).seq;
    const rest = [
      b.knob(min(5), "cost", "web", "replicas", 8, 6).seq,
      b.knob(min(6), "perf", "web", "replicas", 6, 8).seq,
      b.knob(min(9), "cost", "web", "replicas", 8, 6).seq,
    ];
    b.knob(min(300), "perf", "web", "replicas", 6, 10); // hours later, reversing cost: an isolated reversal
    const [finding, ...others] = detectThrashing(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(others).toEqual([]);
    expect(finding.witnesses).toEqual([repeat, ...rest]);
    expect(finding.metrics.reversals).toBe(3);
    // 6->7 is outside the episode; of 7->8, 8->6, 6->8, 8->6 all but the last were undone.
    expect(finding.metrics.wastedChanges).toBe(3);
    expect(finding.to).toBe(min(9));
  });

  it("reports separate episodes of one knob as separate findings", () => {
    const b = new LogBuilder();
    const first = alternation(b, 10, 4);
    const second = alternation(b, 400, 4);
    const findings = detectThrashing(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(findings.map((f) => f.witnesses)).toEqual([first, second]);
  });

  it("stays quiet when one actor reverses its own knob, however often", () => {
    const b = new LogBuilder();
    for (let i = 0; i < 20; i++) b.knob(min(1 + i), "hpa", "web", "replicas", i % 2 === 0 ? 6 : 8, i % 2 === 0 ? 8 : 6);
    expect(detectThrashing(b.view(chainScenario), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("stays quiet on fewer reversals than the minimum within the window", () => {
    const b = new LogBuilder();
    alternation(b, 10, 3); // 2 reversals
    b.knob(min(200), "cost", "web", "replicas", 8, 6); // reverses perf's last change, 3 h later
    b.knob(min(201), "perf", "web", "replicas", 6, 8);
    expect(detectThrashing(b.view(chainScenario), DETECTOR_DEFAULTS)).toEqual([]);
    expect(detectThrashing(b.view(chainScenario), { ...DETECTOR_DEFAULTS, thrashWindowMs: min(240) })).toHaveLength(1);
  });

  it("does not count rejected commands, which change nothing", () => {
    const b = new LogBuilder();
    for (let i = 0; i < 6; i++) {
      b.knob(min(1 + 2 * i), "perf", "web", "replicas", 6 + 2 * i, 8 + 2 * i);
      b.rejected(min(2 + 2 * i), "cost", "web", "replicas", 6);
    }
    expect(detectThrashing(b.view(chainScenario), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("leaves version knobs (DNS plans, config versions) to the flapping detector", () => {
    const b = new LogBuilder();
    for (let i = 0; i < 6; i++) b.knob(min(1 + i), i % 2 === 0 ? "enactor-a" : "enactor-b", "ddb-dns", "plan", i % 2 === 0 ? 2 : 1, i % 2 === 0 ? 1 : 2);
    expect(detectThrashing(b.view(servedScenario), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("prices waste only for replicas of a component with a price", () => {
    const b = new LogBuilder();
    for (let i = 0; i < 4; i++) b.knob(min(1 + i), i % 2 === 0 ? "router" : "other", "edge", "weight.web", i % 2 === 0 ? 50 : 80, i % 2 === 0 ? 80 : 50);
    const [finding] = detectThrashing(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(finding.knob).toBe("edge.weight.web");
    expect(finding.metrics.wastedCost).toBeUndefined();
    expect(finding.explanation[0]).not.toContain("$");
  });
});

/**
 * The HPA/VPA loop on web: vpa raises web.cpuRequestMillicores, hpa lowers web.replicas because
 * of it, vpa raises the request again because of that, hpa raises replicas because of that, ...
 * Each change names the previous change of both knobs as causes unless `linked` is false.
 */
function coupledLoop(b: LogBuilder, cycles: number, linked = true): { cpu: number[]; replicas: number[] } {
  const cpu: number[] = [];
  const replicas: number[] = [];
  const causes = (...seqs: (number | undefined)[]) => (linked ? seqs.filter((s): s is number => s !== undefined) : [0]);
  cpu.push(b.knob(min(1), "vpa", "web", "cpuRequestMillicores", 1000, 1534, { causes: [0] }).seq);
  for (let i = 0; i < cycles; i++) {
    const t = 2 + 9 * i;
    replicas.push(b.knob(min(t), "hpa", "web", "replicas", 3, 2, { causes: causes(replicas.at(-1), cpu.at(-1)), reason: "web.cpuUtilization = 0.435 < target 0.70" }).seq);
    cpu.push(b.knob(min(t + 0.5), "vpa", "web", "cpuRequestMillicores", 1534, 2300, { causes: causes(cpu.at(-1), replicas.at(-1)) }).seq);
    replicas.push(b.knob(min(t + 0.75), "hpa", "web", "replicas", 2, 3, { causes: causes(replicas.at(-1), cpu.at(-1)), reason: "web.cpuUtilization = 0.870 > target 0.70" }).seq);
    cpu.push(b.knob(min(t + 2.5), "vpa", "web", "cpuRequestMillicores", 2300, 1534, { causes: causes(cpu.at(-1), replicas.at(-1)) }).seq);
  }
  return { cpu, replicas };
}

describe("detectThrashing on coupled knobs (two actors, two knobs of one component)", () => {
  it("fires on hpa reversing web.replicas through vpa's CPU resizes, rooted at the resize that began the loop", () => {
    const b = new LogBuilder();
    const { cpu, replicas } = coupledLoop(b, 3);
    const findings = detectThrashing(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(findings.map((f) => f.knob)).toEqual(["web.cpuRequestMillicores", "web.replicas"]);
    const [onCpu, onReplicas] = findings;
    // 6 replica changes, 5 reversals, each linked by the resize between them.
    expect(onReplicas).toMatchObject({ actors: ["hpa", "vpa"], components: ["web"], rootCauses: [cpu[0]], from: min(1) });
    expect(onReplicas.witnesses).toEqual([...cpu.slice(0, -1), ...replicas].sort((x, y) => x - y));
    expect(onReplicas.metrics).toMatchObject({ reversals: 5, coupledReversals: 5, changes: 6 });
    expect(onReplicas.explanation[0]).toMatch(/^hpa and vpa reversed web\.replicas 5 times between 00:01:00 and 00:20:45/);
    expect(onReplicas.explanation[1]).toBe(
      `5 of the reversals went through a coupled knob: hpa reversed its own change of web.replicas after vpa changed web.cpuRequestMillicores in response to it, each change caused by the other's. The loop began with #${cpu[0]} vpa raised web.cpuRequestMillicores 1000->1534 at 00:01:00.`,
    );
    expect(onReplicas.explanation[2]).toBe(
      `hpa raised web.replicas 2->3 at 00:02:45 because web.cpuUtilization = 0.870 > target 0.70 (caused by #${cpu[1]} vpa raising web.cpuRequestMillicores 1534->2300 at 00:02:30, itself caused by #${replicas[0]} hpa lowering web.replicas 3->2 at 00:02:00).`,
    );
    // The CPU knob reverses the same way through the replicas; its loop began at the same resize.
    expect(onCpu).toMatchObject({ actors: ["hpa", "vpa"], rootCauses: [cpu[0]] });
    expect(onCpu.metrics.coupledReversals).toBe(onCpu.metrics.reversals);
    expect(onCpu.explanation[0]).toMatch(/^vpa and hpa reversed web\.cpuRequestMillicores/);
  });

  it("stays quiet when the changes in between are not caused by each other", () => {
    const b = new LogBuilder();
    coupledLoop(b, 3, false);
    expect(detectThrashing(b.view(chainScenario), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("stays quiet when one actor writes both knobs, or the other knob belongs to another component", () => {
    for (const [actor, target] of [["hpa", "web"], ["vpa", "lonely"]]) {
      const b = new LogBuilder();
      let last = 0;
      for (let i = 0; i < 8; i++) {
        const r = b.knob(min(1 + i), "hpa", "web", "replicas", i % 2 === 0 ? 3 : 2, i % 2 === 0 ? 2 : 3, { causes: [last] });
        last = b.knob(min(1.5 + i), actor, target, "cpuRequestMillicores", i % 2 === 0 ? 1000 : 1500, i % 2 === 0 ? 1500 : 1000, { causes: [r.seq] }).seq;
      }
      expect(detectThrashing(b.view(chainScenario), DETECTOR_DEFAULTS), `${actor} on ${target}`).toEqual([]);
    }
  });
});

describe("thrashing on scenarios/cost-vs-performance.yaml", () => {
  const blindText = readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8");
  const blind = runScenario(scenarioFromYaml(blindText));
  const thrashing = detect(blind).filter((f) => f.kind === "thrashing");

  it("names perf and cost reversing web.replicas, with an explanation and witnesses from the log", () => {
    expect(thrashing).toHaveLength(1);
    const [f] = thrashing;
    expect(f).toMatchObject({ knob: "web.replicas", actors: ["cost", "perf"], components: ["web"] });
    expect(f.metrics.reversals).toBeGreaterThanOrEqual(20);
    expect(f.metrics.wastedCost).toBeGreaterThan(0);
    expect(f.explanation[0]).toMatch(/^perf and cost reversed web\.replicas \d+ times between \d\d:\d\d:\d\d and \d\d:\d\d:\d\d, a full up-and-down cycle about every \d+m/);
    expect(f.explanation[1]).toMatch(/^cost lowered web\.replicas 8->6 at [\d:]+ because web\.utilization = [\d.]+ < 0\.650 \(caused by #\d+ perf raising web\.replicas 6->8 at [\d:]+\)\.$/);
    for (const seq of f.witnesses) expect(blind.log[seq]).toMatchObject({ type: "replicas.scaled", target: "web" });
  });

  it("finds no thrashing when perf holds a lease on web.replicas", () => {
    const leased = runScenario(scenarioFromYaml(`${blindText}\ncoordination:\n  lease: { knobs: [web.replicas], holder: perf }\n`));
    expect(detect(leased).filter((f) => f.kind === "thrashing")).toEqual([]);
  });

  it("still finds thrashing, slower, when the lease only lasts its default ttl and changes hands", () => {
    const leased = runScenario(scenarioFromYaml(`${blindText}\ncoordination:\n  lease: { knobs: [web.replicas] }\n`));
    const found = detect(leased).filter((f) => f.kind === "thrashing");
    expect(found).toHaveLength(1);
    expect(found[0].metrics.reversals).toBeLessThan(thrashing[0].metrics.reversals);
    expect(found[0].metrics.periodMs).toBeGreaterThan(thrashing[0].metrics.periodMs);
  });
});
