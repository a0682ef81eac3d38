// The first meaningful divergence as the compare and what-if panels headline it, on library runs:
// never a hash, a renumbered seq or a field the event views do not show; each side in its own words.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { divergenceOf } from "../../sim/whatif/divergence.js";
import { divergenceHeadline } from "../../ui/views/divergence.js";
import { repoPath } from "../helpers/scenarios.js";

function run(name: string, variant: string, options = {}) {
  const file = `scenarios/${name}.yaml`;
  return runScenario(loadVariant(readFileSync(repoPath(file), "utf8"), file, variant).scenario, options);
}

describe("divergenceHeadline", () => {
  const blind = run("dynamodb-dns-race", "blind");
  const staleApply = blind.log.find((r) => r.type === "record.updated" && r.actor === "enactor-a" && (r.data.to as number) < (r.data.from as number))!;

  it("names enactor-a's stale write in blind and its rejection by the version check in coordinated, not the hash chains parting at #0", () => {
    const coordinated = run("dynamodb-dns-race", "coordinated");
    const d = divergenceOf(blind.log, coordinated.log, { a: "blind", b: "coordinated" });
    // The chains part at run.started, and 16 writes differ only in their expectedVersion first.
    expect(d.chainDivergence).toBe(0);
    expect(d.hidden.count).toBeGreaterThan(0);
    const headline = divergenceHeadline(d.divergence!, "blind (a)", "coordinated (b)");
    const s = staleApply.seq;
    expect(headline).toBe(
      `First divergence at 00:08:02: in blind (a), enactor-a set ddb-dns.plan ${staleApply.data.from} -> ${staleApply.data.to} (#${s}); in coordinated (b), the write was rejected by the version check (compare-and-set) (#${s})`,
    );
  });

  it("looks past the what-if's bookkeeping record and the seqs it shifts", () => {
    const altered = run("dynamodb-dns-race", "blind", { interventions: [{ kind: "block", seq: staleApply.seq }] });
    const d = divergenceOf(blind.log, altered.log, { a: "original", b: "what if" });
    const headline = divergenceHeadline(d.divergence!, "the original run", "the what-if run");
    expect(headline).toMatch(new RegExp(`^First divergence at 00:08:02: in the original run, enactor-a set ddb-dns\\.plan \\d+ -> \\d+ \\(#${staleApply.seq}\\); in the what-if run, the write was suppressed by the what-if's intervention \\(#\\d+\\)$`));
  });

  it("names a policy by what it does (cost-vs-performance: the lease)", () => {
    const d = divergenceOf(run("cost-vs-performance", "blind").log, run("cost-vs-performance", "coordinated").log, { a: "blind", b: "coordinated" });
    expect(divergenceHeadline(d.divergence!, "blind (a)", "coordinated (b)")).toBe("First divergence at 00:03:00: in blind (a), cost set web.replicas 8 -> 6 (#2); in coordinated (b), the write was rejected by the lease on the knob (#2)");
  });

  it("says what one side has and the other lacks (retry-storm: clients recover only with coordination)", () => {
    const d = divergenceOf(run("retry-storm", "blind").log, run("retry-storm", "coordinated").log, { a: "blind", b: "coordinated" });
    expect(divergenceHeadline(d.divergence!, "blind (a)", "coordinated (b)")).toMatch(/^First divergence at 00:03:05: in blind \(a\), no such record at that time \(clients: health\.changed\); in coordinated \(b\), clients became healthy \(#\d+\)$/);
  });
});
