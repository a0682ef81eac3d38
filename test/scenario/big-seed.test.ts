// Integer seeds beyond 2^53 are kept exactly, as the string of their digits, from the CLI flag and
// from the scenario file (YAML would read them as rounded numbers); ordinary seeds are unchanged.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { loadSuite, loadVariant } from "../../sim/scenario/load.js";
import { seedFromText } from "../../sim/core/seed.js";
import { crossfire } from "../helpers/cli.js";

const BIG = "99999999999999999999";
const BIG_NEXT = "100000000000000000000";

const scenario = (seed: string, variantSeed?: string) => `name: seeds
seed: ${seed}
duration: 10m
components:
  - { id: web, kind: service, replicas: 1, capacityPerReplica: 100/s }
workload:
  - { id: users, target: web, pattern: { kind: constant, rate: 80/s }, noise: 0.2 }
${variantSeed === undefined ? "" : `variants:\n  other: { seed: ${variantSeed} }\n`}`;

// The scenario text's digest is in the chain, so two texts never share a hash: compare runs of
// the resolved scenarios without it, which differ only if the seeds do.
const hashOf = (text: string) => runScenario({ ...loadVariant(text, "seeds.yaml").scenario, sourceSha256: undefined }).finalHash;

describe("seeds beyond 2^53", () => {
  it("--seed keeps them exact: 99999999999999999999 and 100000000000000000000 give different hashes", () => {
    const a = JSON.parse(crossfire(["run", "scenarios/cost-vs-performance.yaml", "--seed", BIG, "--json"]).stdout);
    const b = JSON.parse(crossfire(["run", "scenarios/cost-vs-performance.yaml", "--seed", BIG_NEXT, "--json"]).stdout);
    expect(a.seed).toBe(BIG);
    expect(b.seed).toBe(BIG_NEXT);
    expect(a.finalHash).not.toBe(b.finalHash);
  });

  it("a scenario's `seed:` keeps them exact, the same as the quoted string", () => {
    expect(loadVariant(scenario(BIG), "seeds.yaml").scenario.seed).toBe(BIG);
    expect(hashOf(scenario(BIG))).not.toBe(hashOf(scenario(BIG_NEXT)));
    expect(hashOf(scenario(BIG))).toBe(hashOf(scenario(`"${BIG}"`)));
    expect(loadVariant(scenario("-99999999999999999999"), "seeds.yaml").scenario.seed).toBe("-99999999999999999999");
  });

  it("so does a variant's `seed:`", () => {
    const other = loadSuite(scenario("1", BIG), "seeds.yaml").variants.find((v) => v.name === "other")!;
    expect(other.scenario.seed).toBe(BIG);
  });

  it("ordinary integer seeds stay numbers, from the file and the flag", () => {
    expect(loadVariant(scenario("42"), "seeds.yaml").scenario.seed).toBe(42);
    expect(loadVariant(scenario(String(Number.MAX_SAFE_INTEGER)), "seeds.yaml").scenario.seed).toBe(Number.MAX_SAFE_INTEGER);
    expect(JSON.parse(crossfire(["run", "scenarios/cost-vs-performance.yaml", "--seed", "7", "--json"]).stdout).seed).toBe(7);
  });
});

describe("seedFromText (the CLI's --seed and the app's seed box)", () => {
  it("keeps digits beyond 2^53 as a string, safe integers as numbers, other text as text", () => {
    expect(seedFromText(BIG)).toBe(BIG);
    expect(seedFromText(`00${BIG}`)).toBe(BIG);
    expect(seedFromText("42")).toBe(42);
    expect(seedFromText(String(Number.MAX_SAFE_INTEGER + 1))).toBe("9007199254740992");
    expect(seedFromText("blue")).toBe("blue");
  });
});
