// A run cut short (--max-events) is never PASS: not in `run` (text or --json), not in `test`
// (table, --json, JUnit), not in the HTML report exported from its run file.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { crossfire } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "crossfire-bounded-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// The blind variant passes when it runs to its duration; 2000 queue events cut it short.
const SCENARIO = "scenarios/cost-vs-performance.yaml";
const BOUND = ["--variant", "blind", "--max-events", "2000"];

describe("a bounded run", () => {
  it("is FAIL in `crossfire run`, as text and as JSON", () => {
    expect(crossfire(["run", SCENARIO, "--variant", "blind"]).code).toBe(0);
    const text = crossfire(["run", SCENARIO, ...BOUND]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/FAIL {2}stopped at .* \(maxEvents\)/);
    const json = crossfire(["run", SCENARIO, ...BOUND, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ passed: false, stopReason: "maxEvents" });
  });

  it("is FAIL in `crossfire test --max-events`, in the table, JSON and JUnit (a failed case)", () => {
    const junit = join(tmp, "bounded.xml");
    const r = crossfire(["test", SCENARIO, "--max-events", "2000", "--junit", junit]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL .*\(maxEvents\)/);
    expect(r.stdout).not.toMatch(/^PASS/m);
    const xml = readFileSync(junit, "utf8");
    expect(xml).toContain(`type="incomplete"`);
    const json = crossfire(["test", SCENARIO, "--max-events", "2000", "--json"]);
    expect(JSON.parse(json.stdout).passed).toBe(false);
  });

  it("is FAIL in the HTML report exported from its run file", () => {
    const file = join(tmp, "bounded.ndjson");
    expect(crossfire(["run", SCENARIO, ...BOUND, "--out", file, "--quiet"]).code).toBe(1);
    const html = crossfire(["export", file, "--format", "html"]);
    expect(html.code).toBe(0);
    expect(html.stdout).toContain(`<header class="verdict-fail"`);
    expect(html.stdout).toContain(`data-fact="expectations" data-verdict="FAIL"><span class="fact-name">Expectations</span> <span class="fact-text">run stopped early: `);
    expect(html.stdout).not.toContain(`data-verdict="PASS">PASS</span> cost-vs-performance`);
    expect(html.stdout).toContain("(maxEvents)");
  });
});
