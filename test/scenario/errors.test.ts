// Golden error messages: each test/errors/<name>.yaml is one bad scenario; its message must equal
// test/errors/<name>.expected.txt (file names in messages are relative to the repository root).
// Regenerate after a deliberate message change with UPDATE_GOLDEN=1 npx vitest run test/scenario/errors.test.ts,
// then read every changed golden file before keeping it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import { crossfire as crossfireInProcess } from "../helpers/cli.js";

const DIR = "test/errors";
const UPDATE = process.env.UPDATE_GOLDEN === "1";
/** Read by the CLI as bytes, not by loadScenario; covered below. */
const CLI_ONLY = new Set(["not-utf8"]);

function messageOf(text: string, file: string, args: string[] = []): string {
  const variant = args[0] === "--variant" ? args[1] : undefined;
  try {
    loadScenario(text, file, variant);
  } catch (e) {
    if (e instanceof ScenarioError) return `${e.message}\n`;
    throw e;
  }
  throw new Error(`${file}: expected a ScenarioError, but it loaded`);
}

function golden(name: string, actual: string): void {
  const file = join(DIR, `${name}.expected.txt`);
  if (UPDATE) writeFileSync(file, actual);
  expect(existsSync(file), `${file} is missing; create it with UPDATE_GOLDEN=1 and read it`).toBe(true);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

function crossfire(...args: string[]) {
  return spawnSync(process.execPath, ["bin/crossfire.mjs", ...args], { encoding: "utf8" });
}

/** Files that load with warnings: `<name>.validate.txt` holds what `crossfire validate` prints, with and without --strict. */
const WARNING_CASES = readdirSync(DIR).filter((f) => f.endsWith(".validate.txt")).map((f) => f.slice(0, -".validate.txt".length)).sort();
const cases = readdirSync(DIR).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -".yaml".length)).filter((n) => !CLI_ONLY.has(n) && !WARNING_CASES.includes(n)).sort();

describe("scenario warnings (golden files test/errors/<name>.validate.txt)", () => {
  it("has the cases the authoring issue lists", () => {
    expect(WARNING_CASES).toContain("vacuous-expectation");
    expect(cases).toEqual(expect.arrayContaining(["unknown-agent-state", "bad-after"]));
  });

  it.each(WARNING_CASES)("%s: validate exits 0 with the warnings on stderr; --strict exits 2", (name) => {
    const file = `${DIR}/${name}.yaml`;
    const show = (args: string[]) => {
      const r = crossfireInProcess(args);
      return `$ crossfire ${args.join(" ")}\nexit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
    };
    const actual = `${show(["validate", file])}\n${show(["validate", "--strict", file])}`;
    const golden = join(DIR, `${name}.validate.txt`);
    if (UPDATE) writeFileSync(golden, actual);
    expect(actual).toBe(readFileSync(golden, "utf8"));
    expect(actual).toMatch(/^\$ crossfire validate \S+\nexit 0\n/);
    expect(actual).toMatch(/\$ crossfire validate --strict \S+\nexit 2\n/);
  });
});

describe("scenario error messages (golden files in test/errors)", () => {
  it("has the cases the format issue lists", () => {
    for (const name of ["yaml-syntax", "wrong-type", "unknown-key", "bad-duration", "bad-rate", "unknown-component", "unknown-agent", "dependency-cycle", "unknown-knob-pattern", "unknown-knob-set", "duplicate-ids", "empty", "only-comments", "billion-laughs", "proto-key", "several-problems", "unknown-variant", "bad-threshold", "unknown-expect-reference", "variant-unknown-id"]) {
      expect(cases).toContain(name);
    }
  });

  it.each(cases)("%s", (name) => {
    const file = `${DIR}/${name}.yaml`;
    const args = existsSync(`${DIR}/${name}.args`) ? readFileSync(`${DIR}/${name}.args`, "utf8").trim().split(/\s+/) : [];
    golden(name, messageOf(readFileSync(file, "utf8"), file, args));
  });

  it.each(cases)("%s through `crossfire run --out`: exactly the message, exit 2, no file left behind", (name) => {
    const file = `${DIR}/${name}.yaml`;
    const args = existsSync(`${DIR}/${name}.args`) ? readFileSync(`${DIR}/${name}.args`, "utf8").trim().split(/\s+/) : [];
    const dir = mkdtempSync(join(tmpdir(), "crossfire-errors-"));
    try {
      const result = crossfireInProcess(["run", file, "--out", join(dir, "run.ndjson"), ...args]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(readFileSync(join(DIR, `${name}.expected.txt`), "utf8"));
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("huge (generated: a small valid scenario padded with a comment past 1 MiB)", () => {
    // A fixed text, so the reported size does not change when the example scenarios do.
    const text = `name: huge\nseed: 1\nduration: 1h\ncomponents:\n  - { id: web, kind: service }\n# ${"x".repeat(1024 * 1024)}\n`;
    golden("huge", messageOf(text, `${DIR}/huge.yaml`));
  });

  it("several problems come sorted by line", () => {
    const file = `${DIR}/several-problems.yaml`;
    let error: ScenarioError | undefined;
    try {
      loadScenario(readFileSync(file, "utf8"), file);
    } catch (e) {
      error = e as ScenarioError;
    }
    const lines = error!.problems.map((p) => p.line);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});

describe("crossfire run on bad files", () => {
  it("refuses bytes that are not UTF-8 with exit code 2 and file:1:1", () => {
    const result = crossfire("run", `${DIR}/not-utf8.yaml`);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`${DIR}/not-utf8.yaml:1:1:`);
    expect(result.stderr).toContain("not UTF-8");
    golden("not-utf8", result.stderr);
  }, 30_000);

  it("prints every problem, exits 2 and writes no --out file", () => {
    const tmp = mkdtempSync(join(tmpdir(), "crossfire-errors-"));
    try {
      const out = join(tmp, "run.ndjson");
      const result = crossfire("run", `${DIR}/several-problems.yaml`, "--out", out);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(readFileSync(`${DIR}/several-problems.expected.txt`, "utf8"));
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 30_000);
});
