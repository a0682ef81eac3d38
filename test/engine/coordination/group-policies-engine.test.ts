// The group-level policies in real runs of the docs/examples scenarios that use them: bounds and
// the scope lease keep three domains' drains one at a time; the arbiter ends a perf-vs-cost fight
// (the thrashing detector no longer fires); velocity clip writes carry what was requested; fail
// static refuses (or holds, bounded) a health checker during a shared-cause failure.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detect } from "../../../sim/detect/index.js";
import { runScenario } from "../../../sim/engine/engine.js";
import type { EventRecord } from "../../../sim/log/record.js";
import { loadScenario } from "../../../sim/scenario/load.js";
import { repoPath } from "../../helpers/scenarios.js";

const example = (name: string) => readFileSync(repoPath(`docs/examples/${name}.yaml`), "utf8");
const run = (text: string, variant: string) => runScenario(loadScenario(text, "test.yaml", variant));

/** Every knob value after each applied write, folded from the log (`target.knob` -> value). */
function knobTimeline(log: readonly EventRecord[], initial: Record<string, number>): Record<string, number>[] {
  const values = { ...initial };
  const out: Record<string, number>[] = [];
  for (const r of log) {
    if (typeof r.data.knob === "string" && typeof r.data.to === "number" && r.target !== undefined && r.type !== "command.rejected") {
      values[`${r.target}.${r.data.knob}`] = r.data.to;
      out.push({ ...values });
    }
  }
  return out;
}

describe("bounds and a scope lease: one domain at a time", () => {
  const domains = ["dom-a", "dom-b", "dom-c"];
  const initial = Object.fromEntries(domains.flatMap((d) => [[`${d}.replicas`, 24], [`edge.weight.${d}`, 100]]));
  const sum = (v: Record<string, number>, knob: (d: string) => string) => domains.reduce((s, d) => s + v[knob(d)], 0);

  it("blind, all three domains are drained at once", () => {
    const states = knobTimeline(run(example("one-domain-at-a-time"), "blind").log, initial);
    expect(Math.min(...states.map((v) => sum(v, (d) => `edge.weight.${d}`)))).toBe(0);
  });

  it("coordinated, no write takes total weight below 200 or total replicas below 44, and the domains go in turn", () => {
    const result = run(example("one-domain-at-a-time"), "coordinated");
    const states = knobTimeline(result.log, initial);
    for (const v of states) {
      expect(sum(v, (d) => `edge.weight.${d}`)).toBeGreaterThanOrEqual(200);
      expect(sum(v, (d) => `${d}.replicas`)).toBeGreaterThanOrEqual(44);
    }
    const drains = result.log.filter((r) => r.type === "weight.changed" && r.data.to === 0).map((r) => r.actor);
    expect(drains).toEqual(["deploy-a", "deploy-b", "deploy-c"]);
    const bounds = result.log.find((r) => r.type === "command.rejected" && r.data.policy === "bounds")!;
    expect(bounds.data.reason).toBe("edge.weight.dom-b 100 -> 0 would take the sum of edge.weight.* from 200 to 100, below the floor of 200");
    const lease = result.log.find((r) => r.type === "command.rejected" && r.data.policy === "lease")!;
    expect(lease.data.reason).toMatch(/^edge\.weight\.dom-b is in scope domains \(edge\.weight\.\*, dom-\*\.replicas, dom-\*\.flag\.\*\), leased to deploy-a until 00:07:30/);
    // The rejection cites the holder's write.
    expect(result.log[lease.causes.at(-1)!]).toMatchObject({ actor: "deploy-a", type: "flag.changed" });
  });
});

describe("arbiter: perf vs cost on web.replicas", () => {
  const thrashing = (variant: string) => {
    const result = run(example("arbitrated-replicas"), variant);
    return { result, findings: detect(result).filter((f) => f.kind === "thrashing") };
  };

  it("blind, the thrashing detector fires; arbitrated, it does not, and cost's scale-ins are refused with the merge", () => {
    expect(thrashing("blind").findings.length).toBeGreaterThan(0);
    const { result, findings } = thrashing("arbitrated");
    expect(findings).toEqual([]);
    const refused = result.log.filter((r) => r.type === "command.rejected");
    expect(refused.length).toBeGreaterThan(10);
    expect(refused[0]).toMatchObject({ actor: "cost", data: { policy: "arbiter", value: 6, reason: "arbiter: max of perf=8, cost=6 → 8; web.replicas is already 8, cost's desire 6 is recorded" } });
    // Caused by perf's write, the desire that won.
    expect(result.log[refused[0].causes.at(-1)!]).toMatchObject({ actor: "perf", type: "replicas.scaled" });
  });
});

describe("velocity onExceed: clip", () => {
  it("applies perf's oversized command clipped, keeping the requested value and the reason on the record", () => {
    const result = run(example("arbitrated-replicas"), "clipped");
    const writes = result.log.filter((r) => r.type === "replicas.scaled");
    expect(writes[0].data).toMatchObject({ from: 6, to: 7, requested: 8, adjustedBy: "velocity", adjustReason: "web.replicas 6 -> 8 clipped to 7: the change limit is 1 within 10m and 0 of it was already used" });
    for (const w of writes) {
      const window = writes.filter((x) => x.t > w.t - 600_000 && x.t <= w.t);
      expect(window.reduce((s, x) => s + Math.abs((x.data.to as number) - (x.data.from as number)), 0)).toBeLessThanOrEqual(1);
    }
    expect(detect(result).filter((f) => f.kind === "thrashing")).toEqual([]);
  });
});

describe("failStatic", () => {
  it("lets the single-site removal through and refuses the checker during the shared failure, citing the sites' health changes", () => {
    const result = run(example("fail-static"), "coordinated");
    const removals = result.log.filter((r) => r.type === "inService.changed" && r.data.to === 0);
    expect(removals.map((r) => r.data.knob)).toEqual(["inService.site-a"]);
    const refused = result.log.filter((r) => r.type === "command.rejected");
    expect(refused.every((r) => r.data.policy === "failStatic" && r.t >= 20 * 60_000 && r.t <= 41 * 60_000)).toBe(true);
    expect(refused[0].data.reason).toMatch(/^4 of 4 watched components are down \(site-a, site-b, site-c, site-d\), at or over the 50% \(2 of 4\) threshold/);
    const causes = refused[0].causes.map((s) => result.log[s]);
    expect(causes.filter((c) => c.type === "health.changed").map((c) => c.target)).toEqual(expect.arrayContaining(["site-a", "site-b", "site-c", "site-d"]));
    const blind = run(example("fail-static"), "blind");
    expect(blind.log.filter((r) => r.type === "inService.changed" && r.data.to === 0).length).toBeGreaterThan(removals.length);
  });

  it("with action hold, holds commands and re-checks them, dropping those held longer than holdMax", () => {
    const text = example("fail-static").replace("action: reject }", "action: hold, recheck: 1m, holdMax: 3m }");
    const result = run(text, "coordinated");
    const held = result.log.filter((r) => r.type === "command.held");
    expect(held.length).toBeGreaterThan(0);
    expect(held[0].data).toMatchObject({ policy: "failStatic", untilMs: held[0].t + 60_000 });
    const dropped = result.log.filter((r) => r.type === "command.rejected" && r.data.policy === "failStatic");
    expect(dropped.length).toBeGreaterThan(0);
    for (const r of dropped) {
      expect(r.data.reason).toMatch(/held since \d\d:\d\d:\d\d, 3m at most, so it is dropped$/);
      // Each drop is caused by a chain of holds, the first at most 3 minutes before.
      const firstHold = result.log[Math.min(...r.causes.filter((s) => result.log[s].type === "command.held"))];
      expect(r.t - firstHold.t).toBeLessThanOrEqual(180_000);
    }
  });
});
