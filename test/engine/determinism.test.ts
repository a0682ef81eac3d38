// Determinism: the same scenario and seed give the same final hash in two runs and in two
// separate processes; another seed gives another hash; the simulation never reads the real
// clock or Math.random (a static scan of sim/ outside the CLI).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { loadSuite } from "../../sim/scenario/load.js";
import { loadScenarioFile, repoPath } from "../helpers/scenarios.js";

const scenario = loadScenarioFile("cost-vs-performance");

describe("determinism", () => {
  it("gives the same final hash and log for the same seed in one process", () => {
    const a = runScenario(scenario);
    const b = runScenario(scenario);
    expect(b.finalHash).toBe(a.finalHash);
    expect(b.log.length).toBe(a.log.length);
    expect(Array.from(b.telemetry.series("web", "latencyMsP95"))).toEqual(Array.from(a.telemetry.series("web", "latencyMsP95")));
  });

  it("gives different telemetry and events for a different seed (the seed reaches the random streams)", () => {
    // Record #0 (run.started) stores the seed, so the final hash differs whatever the streams do;
    // only what happens after it shows that the seed drove the workload noise.
    const a = runScenario(scenario, { seed: 1 });
    const b = runScenario(scenario, { seed: 2 });
    expect(a.log[0].type).toBe("run.started");
    expect(b.finalHash).not.toBe(a.finalHash);
    const samples = (run: typeof a) => Array.from(run.telemetry.values.subarray(0, run.telemetry.count * run.telemetry.width));
    expect(samples(b)).not.toEqual(samples(a));
    const afterStart = (run: typeof a) => run.log.slice(1).map(({ t, type, actor, target, data, causes }) => ({ t, type, actor, target, data, causes }));
    expect(afterStart(b)).not.toEqual(afterStart(a));
  });

  it("gives the same final hash in two separate processes as in this one", () => {
    const inProcess = runScenario(scenario, { seed: 7 }).finalHash;
    const cli = () =>
      JSON.parse(execFileSync(process.execPath, [repoPath("bin/crossfire.mjs"), "run", repoPath("scenarios/cost-vs-performance.yaml"), "--seed", "7", "--json"], { encoding: "utf8" }));
    const first = cli();
    const second = cli();
    expect(first.finalHash).toBe(inProcess);
    expect(second.finalHash).toBe(inProcess);
    expect(first.seed).toBe(7);
  });

  it("gives the same final hash in a worker thread as on the main thread", async () => {
    const text = readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8");
    const worker = new Worker(repoPath("test/helpers/run-in-worker.mjs"), { workerData: { text, seed: 11 } });
    const result = await new Promise<{ finalHash: string }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    await worker.terminate();
    expect(result.finalHash).toBe(runScenario(scenario, { seed: 11 }).finalHash);
  });
});

describe("determinism of every incident sketch and library scenario variant (all model kinds, agents, policies and faults)", () => {
  // Sketches move into scenarios/ as they become library scenarios, so both folders count.
  const yamlIn = (dir: string) => readdirSync(repoPath(dir)).filter((f) => f.endsWith(".yaml")).map((f) => join(dir, f));
  const sketches = [...yamlIn("test/incidents"), ...yamlIn("scenarios")].flatMap((file) =>
    loadSuite(readFileSync(repoPath(file), "utf8"), file).variants.map((v) => [`${file} [${v.name}]`, v.scenario] as const),
  );

  it("has sketches to check", () => {
    expect(sketches.length).toBeGreaterThanOrEqual(5);
  });

  it.each(sketches)("%s: two runs with the same seed give the same log", (_, s) => {
    const a = runScenario(s);
    const b = runScenario(s);
    expect(b.finalHash).toBe(a.finalHash);
    expect(b.log.length).toBe(a.log.length);
  });
});

// Matches uses of the real clock or unseeded randomness; method *definitions* of the simulated
// clock (`setTimeout(fn: ...)` in sim/engine/clock.ts) are not calls and are allowed.
const FORBIDDEN = [
  { name: "Math.random", pattern: /\bMath\.random\b/ },
  { name: "Date.now", pattern: /\bDate\.now\b/ },
  { name: "new Date", pattern: /\bnew\s+Date\b/ },
  { name: "performance.now", pattern: /\bperformance\.now\b/ },
  { name: "a real timer", pattern: /(^|[^.\w])(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\((?!\s*\w+\s*:)/ },
  { name: "process.hrtime", pattern: /\bprocess\.hrtime\b/ },
];

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/** Every forbidden use in `source`, as "line N: name". */
export function forbiddenUses(source: string): string[] {
  const found: string[] = [];
  stripComments(source)
    .split("\n")
    .forEach((line, i) => {
      for (const f of FORBIDDEN) if (f.pattern.test(line)) found.push(`line ${i + 1}: ${f.name}`);
    });
  return found;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("the simulation core uses no real clock, no unseeded randomness and no Node APIs", () => {
  const simDir = repoPath("sim");
  const files = tsFiles(simDir).filter((f) => !relative(simDir, f).startsWith("cli"));

  it("scans a non-trivial number of files", () => {
    expect(files.length).toBeGreaterThan(15);
  });

  it("detects each forbidden use in a planted sample (the scan can fail)", () => {
    expect(forbiddenUses("const x = Math.random();")).toEqual(["line 1: Math.random"]);
    expect(forbiddenUses("\nconst t = Date.now();")).toEqual(["line 2: Date.now"]);
    expect(forbiddenUses("performance.now()")).toEqual(["line 1: performance.now"]);
    expect(forbiddenUses("setTimeout(() => go(), 10);")).toEqual(["line 1: a real timer"]);
    expect(forbiddenUses("globalThis.setTimeout(f, 1)")).toEqual([]);
    expect(forbiddenUses("  setTimeout(fn: () => void, timeout: number): number {")).toEqual([]);
    expect(forbiddenUses("// Date.now is banned here")).toEqual([]);
  });

  it.each(files.map((f) => [relative(repoPath("."), f), f]))("%s", (_name, file) => {
    const source = readFileSync(file, "utf8");
    expect(forbiddenUses(source)).toEqual([]);
    expect(source).not.toMatch(/from\s+["']node:/);
    expect(source).not.toMatch(/\bglobalThis\.(setTimeout|setInterval)\b/);
    expect(source).not.toMatch(/from\s+["'](\.\.\/)+ui\//);
  });
});
