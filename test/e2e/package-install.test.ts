// Issue 14: Crossfire as a user outside this repository gets it. `npm pack` (which compiles the
// CLI and builds the app in `prepack`), a global install of the tarball into a temporary prefix,
// then the installed `crossfire`: --version, `test` on a scenario written elsewhere, `serve`
// (the page and the opened file, then the app in Chromium) and `npx <tarball>`. Start-up times of
// the installed CLI are printed (measured, not asserted: speed lives in `npm run bench`).
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { browserAvailable, launchChromium } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";
import { crossfire } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "crossfire-pack-"));
const prefix = join(tmp, "prefix");
const outside = join(tmp, "elsewhere");
const installed = join(prefix, "bin", "crossfire");
let tarball = "";
afterAll(() => rmSync(tmp, { recursive: true, force: true }), 120_000);

function sh(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  // npm must not see the repository's own npm settings or a parent project from the temp dirs.
  return spawnSync(command, args, { cwd, encoding: "utf8", timeout: 240_000, env: { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" } });
}

beforeAll(() => {
  mkdirSync(outside, { recursive: true });
  const pack = sh("npm", ["pack", "--pack-destination", tmp], repoPath(""));
  expect(pack.status, pack.stderr).toBe(0);
  // prepack's build output shares stdout with npm's, so find the tarball on disk rather than parse it.
  const packed = readdirSync(tmp).filter((f) => f.endsWith(".tgz"));
  expect(packed).toHaveLength(1);
  tarball = join(tmp, packed[0]);
  const install = sh("npm", ["install", "--global", "--prefix", prefix, "--prefer-offline", tarball], outside);
  expect(install.status, install.stderr).toBe(0);
}, 300_000);

describe("the packed and installed CLI", () => {
  it("ships the compiled CLI, the prebuilt app, the schema and the scenarios, and no sources or tests", () => {
    const files = sh("tar", ["tzf", tarball], tmp).stdout.split("\n").filter(Boolean);
    for (const f of ["package/dist/cli/crossfire.mjs", "package/dist/cli/run.mjs", "package/dist/cli/sweep-worker.mjs", "package/dist/ui/index.html", "package/schema/scenario.schema.json", "package/scenarios/dynamodb-dns-race.yaml", "package/README.md", "package/package.json"]) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /^package\/(sim|test|bench|ui|fuzz|scripts|node_modules)\//.test(f))).toEqual([]);
  });

  it("prints its version, fast", () => {
    const version = JSON.parse(readFileSync(repoPath("package.json"), "utf8")).version;
    const r = sh(installed, ["--version"], outside);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(version);
    const times = (args: string[]) => {
      const ms: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = process.hrtime.bigint();
        expect(sh(installed, args, outside).status).toBe(0);
        ms.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      return Math.min(...ms);
    };
    const node = (() => {
      const start = process.hrtime.bigint();
      sh(process.execPath, ["-e", ""], outside);
      return Number(process.hrtime.bigint() - start) / 1e6;
    })();
    console.log(`installed crossfire start-up (best of 5): --version ${times(["--version"]).toFixed(0)} ms, --help ${times(["--help"]).toFixed(0)} ms; bare node ${node.toFixed(0)} ms`);
  });

  it("answers --help from the launcher with exactly the help the CLI prints", () => {
    for (const args of [["--help"], ["run", "--help"], ["verify", "--help"], ["serve", "--help"], ["export", "-h"]]) {
      const r = sh(installed, args, outside);
      expect(r.status, args.join(" ")).toBe(0);
      expect(r.stdout, args.join(" ")).toBe(crossfire(args).stdout);
    }
  });

  it("tests a scenario written outside the repository", () => {
    copyFileSync(repoPath("docs/examples/first-scenario.yaml"), join(outside, "checkout.yaml"));
    const r = sh(installed, ["test", "checkout.yaml", "--junit", "out.xml"], outside);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/expectations met on 2, not met on 0/);
    expect(readFileSync(join(outside, "out.xml"), "utf8")).toContain("<testsuites");
  });

  it("dates OTLP spans so they end at the moment of export (--epoch now, from the real clock)", () => {
    const before = Date.now();
    const r = sh(installed, ["export", "checkout.yaml", "--format", "otlp"], outside);
    expect(r.status, r.stderr).toBe(0);
    const ends = r.stdout.trim().split("\n").flatMap((l) => JSON.parse(l).resourceSpans.flatMap((rs: { scopeSpans: { spans: { endTimeUnixNano: string }[] }[] }) => rs.scopeSpans.flatMap((ss) => ss.spans.map((sp) => Number(BigInt(sp.endTimeUnixNano) / 1_000_000n)))));
    expect(Math.max(...ends)).toBeGreaterThanOrEqual(before - 1000);
    expect(Math.max(...ends)).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("sweeps with its compiled worker threads", () => {
    const r = sh(installed, ["sweep", "checkout.yaml", "--seeds", "3", "--workers", "2"], outside);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("expectations met on 3/3 seeds");
  });

  it("runs from the tarball with npx, outside the repository", () => {
    const r = sh("npm", ["exec", "--yes", "--prefer-offline", `--package=${tarball}`, "--", "crossfire", "validate", "checkout.yaml"], outside);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("checkout.yaml");
  });

  it("serves the prebuilt app, which opens the given scenario", async () => {
    const server = spawn(installed, ["serve", "checkout.yaml", "--port", "0"], { cwd: outside });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        server.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /http:\/\/\S+/.exec(out);
          if (m) resolve(m[0]);
        });
        server.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?open=%2F__crossfire%2Fopen$/);
      const origin = new URL(url).origin;
      const page = await fetch(origin);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Content-Security-Policy");
      const opened = await fetch(`${origin}/__crossfire/open`);
      expect(await opened.text()).toBe(readFileSync(join(outside, "checkout.yaml"), "utf8"));
      expect(decodeURIComponent(opened.headers.get("x-crossfire-file")!)).toBe("checkout.yaml");
      // Nothing outside the app's directory.
      expect(await (await fetch(`${origin}/..%2f..%2fpackage.json`)).text()).not.toContain('"name": "crossfire"');
      if (!browserAvailable) return;
      const browser = await launchChromium();
      try {
        const tab = await browser.newPage();
        await tab.goto(url);
        await tab.waitForFunction(() => document.getElementById("status")?.dataset.status === "done", undefined, { timeout: 60_000 });
        expect(await tab.textContent("#status")).toContain("checkout-brownout");
      } finally {
        await browser.close();
      }
    } finally {
      server.kill("SIGINT");
    }
  });

  it("runs the GitHub Action's scripts: install the tarball, test, JUnit, reports, summary and outputs", () => {
    const action = parse(readFileSync(repoPath("action.yml"), "utf8")) as { inputs: Record<string, unknown>; runs: { steps: { run?: string; env?: Record<string, string> }[] } };
    // Every script the action runs exists, and every input it passes is declared.
    for (const step of action.runs.steps) {
      for (const script of step.run?.match(/action\/[\w-]+\.sh/g) ?? []) expect(existsSync(repoPath(script)), script).toBe(true);
      for (const value of Object.values(step.env ?? {})) for (const [, name] of value.matchAll(/inputs\.([\w-]+)/g)) expect(action.inputs, name).toHaveProperty(name);
    }
    const actionPrefix = join(tmp, "action-prefix");
    const work = join(tmp, "repo-under-ci");
    mkdirSync(join(work, "scenarios"), { recursive: true });
    copyFileSync(repoPath("docs/examples/first-scenario.yaml"), join(work, "scenarios", "checkout.yaml"));
    const failing = readFileSync(repoPath("docs/examples/first-scenario.yaml"), "utf8").replace("web.latency: p(95) < 100ms", "web.latency: p(95) < 1ms");
    writeFileSync(join(work, "scenarios", "tight.yaml"), failing.replace(/^name: .*$/m, "name: tight-latency"));
    const summary = join(tmp, "summary.md");
    const output = join(tmp, "output.txt");
    writeFileSync(summary, "");
    writeFileSync(output, "");
    const env = { ...process.env, PATH: `${join(actionPrefix, "bin")}:${process.env.PATH}`, npm_config_prefix: actionPrefix, npm_config_prefer_offline: "true", GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output };
    const install = spawnSync("bash", [repoPath("action/install.sh")], { cwd: work, encoding: "utf8", timeout: 240_000, env: { ...env, CROSSFIRE_PACKAGE: tarball } });
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout.trim().split("\n").pop()).toBe(JSON.parse(readFileSync(repoPath("package.json"), "utf8")).version);
    const test = spawnSync("bash", [repoPath("action/test.sh")], { cwd: work, encoding: "utf8", timeout: 240_000, env: { ...env, INPUT_PATHS: "scenarios", INPUT_JUNIT: "out/junit.xml", INPUT_REPORTS: "out/reports" } });
    expect(test.status, test.stderr).toBe(0); // the step succeeds so the upload runs; the action's last step fails the job
    expect(readFileSync(output, "utf8")).toBe("exit-code=1\npassed=false\n");
    expect(test.stdout).toMatch(/^::error file=scenarios\/tight\.yaml,line=\d+/m);
    expect(readFileSync(join(work, "out/junit.xml"), "utf8")).toMatch(/<testsuites[^>]*failures="2"/);
    expect(readdirSync(join(work, "out/reports")).sort()).toEqual(["checkout-brownout-brownout.html", "checkout-brownout-healthy-db.html", "tight-latency-brownout.html", "tight-latency-healthy-db.html"]);
    const md = readFileSync(summary, "utf8");
    expect(md).toContain("### Crossfire: expectations met on 2, not met on 2, 0 errors");
    expect(md).toMatch(/^\| ❌ FAIL \| tight-latency \\\[brownout\\\] \| expectations not met \(4\/5\) \| [^|]+ \| cascade \| `[0-9a-f]{12}` \| scenarios\/tight\.yaml \(report: out\/reports\/tight-latency-brownout\.html\) \|$/m);
    expect(md).toContain("FAIL web.latency: p(95) < 1ms  (scenarios/tight.yaml:37:5)");
  });

  it("refuses a taken port with a sentence, not a stack trace", async () => {
    const blocker = spawn(installed, ["serve", "--port", "0"], { cwd: outside });
    try {
      const port = await new Promise<string>((resolve) => blocker.stdout.on("data", (d: Buffer) => { const m = /:(\d+)\//.exec(d.toString()); if (m) resolve(m[1]); }));
      const r = sh(installed, ["serve", "--port", port], outside);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`serve: port ${port} on 127.0.0.1 is taken; choose another with --port (0 picks a free one)\n`);
    } finally {
      blocker.kill("SIGINT");
    }
  });
});
