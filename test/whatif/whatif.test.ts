// Counterfactual runs on the cost-vs-performance scenario: each intervention leaves the log
// identical up to where it takes effect, shows itself in the log, and changes what follows.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError } from "../../sim/core/errors.js";
import { whatIf } from "../../sim/whatif/whatif.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { repoPath } from "../helpers/scenarios.js";

const text = readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8");
const blind = loadVariant(text, "cvp.yaml", "blind");
const coordinated = loadVariant(text, "cvp.yaml", "coordinated");

describe("what if", () => {
  it("blocking one command: identical before it, a command.suppressed record in its place", () => {
    const w = whatIf(blind, [{ kind: "block", seq: 2 }]);
    expect(w.original.run.log[2]).toMatchObject({ actor: "cost", type: "replicas.scaled" });
    expect(w.chainDivergence).toBe(2);
    expect(w.altered.run.log.slice(0, 2)).toEqual(w.original.run.log.slice(0, 2));
    // In meaning: the blocked write applied in the original, suppressed in the what-if.
    expect(w.comparison.divergence).toMatchObject({ kind: "outcome", a: { seq: 2, type: "replicas.scaled" }, b: { seq: 2, type: "command.suppressed" } });
    expect(w.comparison.divergence!.description).toMatch(/^cost's write web\.replicas 8 -> 6 at 00:03:00 was applied in original \(#2\) and suppressed by the intervention \(block #2\) in what if \(#2\)/);
    expect(w.altered.run.log[2]).toMatchObject({ actor: "cost", type: "command.suppressed", data: { knob: "replicas", value: 6, blocked: "replicas.scaled", intervention: "block #2" } });
    expect(w.prefix).toMatch(/^identical up to #1 \(hash [0-9a-f]{12} in both\); they diverge at #2/);
  });

  it("muting the cost agent from 1h: no cost command after 1h, thrashing ends there", () => {
    const w = whatIf(blind, [{ kind: "mute", agent: "cost", fromMs: 3_600_000 }]);
    const altered = w.altered.run.log;
    expect(altered[w.chainDivergence!].t).toBeGreaterThanOrEqual(3_600_000);
    expect(w.comparison.divergence).toMatchObject({ kind: "outcome", a: { actor: "cost", type: "replicas.scaled" }, b: { actor: "cost", type: "command.suppressed" } });
    expect(altered.filter((r) => r.actor === "cost" && r.t >= 3_600_000 && r.type === "replicas.scaled")).toEqual([]);
    expect(altered.some((r) => r.type === "command.suppressed" && r.actor === "cost")).toBe(true);
    const before = w.original.verdict.findings.find((f) => f.kind === "thrashing")!;
    const after = w.altered.verdict.findings.find((f) => f.kind === "thrashing")!;
    expect(after.to).toBeLessThanOrEqual(3_600_000 + 5 * 60_000);
    expect(after.metrics.reversals).toBeLessThan(before.metrics.reversals);
  });

  it("switching the coordinated variant's lease on from 2h stops the thrashing from then on", () => {
    const w = whatIf(blind, [{ kind: "policy", fromMs: 7_200_000, coordination: coordinated.scenario.coordination, label: "coordinated's policies" }]);
    const altered = w.altered.run.log;
    const applied = altered.find((r) => r.type === "intervention.applied")!;
    expect(applied).toMatchObject({ t: 7_200_000, actor: "whatif", data: { kind: "policy", policies: ["lease"] } });
    expect(w.chainDivergence).toBe(applied.seq);
    // intervention.applied only bookkeeps; the first difference in meaning is the first command the lease rejects.
    expect(w.comparison.hidden.first[0]).toMatchObject({ a: undefined, b: { seq: applied.seq, type: "intervention.applied" } });
    expect(w.comparison.divergence).toMatchObject({ kind: "outcome", b: { type: "command.rejected", data: { policy: "lease" } } });
    expect(w.comparison.divergence!.t).toBeGreaterThanOrEqual(7_200_000);
    expect(altered.some((r) => r.type === "command.rejected" && r.data.policy === "lease" && r.actor === "cost")).toBe(true);
    expect(altered.filter((r) => r.actor === "cost" && r.type === "replicas.scaled" && r.t > 7_200_000)).toEqual([]);
  });

  it("refuses interventions that cannot apply, and says which commands can be blocked", () => {
    expect(() => whatIf(blind, [{ kind: "block", seq: 0 }])).toThrow(InputError);
    expect(() => whatIf(blind, [{ kind: "block", seq: 0 }])).toThrow(/#0 is run\.started by engine/);
    expect(() => whatIf(blind, [{ kind: "mute", agent: "cots", fromMs: 0 }])).toThrow(/an agent of the scenario \(perf, cost\)/);
  });
});
