// The Dockerfile, checked as far as a machine without Docker allows: its instructions are run by a
// small interpreter in clean directories (one per stage, container paths mapped under it), from a
// build context that honours .dockerignore: FROM, WORKDIR, COPY (from the context or an earlier
// stage), RUN (bash, `npm install --global` into the stage's own prefix), then ENTRYPOINT + CMD.
// What it cannot check: the node:20-slim base image itself (this machine's Node 20 stands in).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoPath } from "../helpers/scenarios.js";

const tmp = mkdtempSync(join(tmpdir(), "crossfire-docker-"));
// The build stage holds a full node_modules: removing it takes a while on a busy machine.
afterAll(() => rmSync(tmp, { recursive: true, force: true }), 120_000);

interface Stage {
  name?: string;
  root: string;
  workdir: string;
  entrypoint: string[];
  cmd: string[];
}

/** The build context: the repository's files as git sees them, minus what .dockerignore excludes. */
function context(): string {
  const dir = join(tmp, "context");
  const ignored = readFileSync(repoPath(".dockerignore"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const listed = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: repoPath(""), encoding: "utf8" }).stdout.split("\n").filter(Boolean);
  const skip = (f: string) => ignored.some((p) => (p.startsWith("*.") ? f.endsWith(p.slice(1)) : f === p || f.startsWith(`${p}/`)));
  for (const f of listed.filter((f) => !skip(f) && existsSync(repoPath(f)))) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(repoPath(f), join(dir, f));
  }
  return dir;
}

/** Runs the Dockerfile's instructions; returns the final stage. Throws on the first failing RUN. */
function build(dockerfile: string, ctx: string): Stage {
  const stages: Stage[] = [];
  const inStage = (s: Stage, path: string) => join(s.root, path.startsWith("/") ? path : join(s.workdir, path));
  const lines = dockerfile.replace(/\\\n/g, " ").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  for (const line of lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    const args = rest.join(" ");
    const stage = stages[stages.length - 1];
    switch (instruction) {
      case "FROM": {
        const name = / AS (\S+)$/i.exec(args)?.[1];
        const root = join(tmp, `stage-${stages.length}`);
        mkdirSync(root, { recursive: true });
        stages.push({ name, root, workdir: "/", entrypoint: [], cmd: [] });
        break;
      }
      case "WORKDIR":
        stage.workdir = args;
        mkdirSync(inStage(stage, "."), { recursive: true });
        break;
      case "COPY": {
        const from = /^--from=(\S+)\s+/.exec(args);
        const [src, dest] = (from ? args.slice(from[0].length) : args).split(/\s+/);
        const source = from ? inStage(stages.find((s) => s.name === from[1])!, src) : join(ctx, src);
        const target = inStage(stage, dest);
        cpSync(source, dest.endsWith("/") && !from ? target : dest.endsWith("/") ? join(target, src.split("/").pop()!) : target, { recursive: true });
        break;
      }
      case "RUN": {
        const prefix = join(stage.root, "usr", "local");
        const r = spawnSync("bash", ["-c", args], { cwd: inStage(stage, "."), encoding: "utf8", timeout: 600_000, env: { ...process.env, npm_config_prefix: prefix, npm_config_prefer_offline: "true", npm_config_update_notifier: "false", PATH: `${join(prefix, "bin")}:${process.env.PATH}` } });
        if (r.status !== 0) throw new Error(`RUN ${args} failed (${r.status}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
        break;
      }
      case "ENTRYPOINT":
        stage.entrypoint = JSON.parse(args);
        break;
      case "CMD":
        stage.cmd = JSON.parse(args);
        break;
      default:
        throw new Error(`the interpreter does not know ${instruction}; extend it or keep the Dockerfile simple`);
    }
  }
  return stages[stages.length - 1];
}

describe("the Dockerfile", () => {
  it("builds in clean directories and its image runs the CLI: --help by default, then a scenario test", () => {
    const image = build(readFileSync(repoPath("Dockerfile"), "utf8"), context());
    expect(image.entrypoint).toEqual(["crossfire"]);
    const prefixBin = join(image.root, "usr", "local", "bin");
    const bin = join(prefixBin, image.entrypoint[0]);
    const work = join(image.root, image.workdir);
    mkdirSync(work, { recursive: true });
    const help = spawnSync(bin, image.cmd, { cwd: work, encoding: "utf8" });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain("Usage: crossfire");
    cpSync(repoPath("docs/examples/first-scenario.yaml"), join(work, "checkout.yaml"));
    const test = spawnSync(bin, ["test", "checkout.yaml"], { cwd: work, encoding: "utf8" });
    expect(test.status, test.stdout + test.stderr).toBe(0);
    // The runtime stage holds the installed package only: no sources, no dev dependencies.
    expect(existsSync(join(image.root, "opt", "crossfire", "crossfire.tgz"))).toBe(false);
    const installed = join(image.root, "usr", "local", "lib", "node_modules", "crossfire");
    expect(existsSync(join(installed, "dist", "cli", "crossfire.mjs"))).toBe(true);
    expect(existsSync(join(installed, "sim"))).toBe(false);
    expect(existsSync(join(installed, "node_modules", "vite"))).toBe(false);
  }, 600_000);
});
