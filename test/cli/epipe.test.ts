// `crossfire export ... | head`: when the reader closes standard output early, the CLI ends
// quietly (exit 0, nothing on standard error) instead of dying with an EPIPE stack trace.
// Spawned through bash with a real pipe into `head -c`: Node's own `stdio: "pipe"` is a socket
// pair whose buffer holds the whole report, so closing it early never makes the write fail.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { repoPath } from "../helpers/scenarios.js";

describe("the binary with standard output closed early", () => {
  it("`crossfire export --format html | head -c 100` exits 0 without a stack trace", () => {
    // The report is about 150 KB: more than a pipe's 64 KB buffer, so the CLI is still writing when head exits.
    const script = `"${process.execPath}" bin/crossfire.mjs export scenarios/cost-vs-performance.yaml --format html | head -c 100 > /dev/null; echo "exit=\${PIPESTATUS[0]}"`;
    const r = spawnSync("bash", ["-c", script], { cwd: repoPath(""), encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("exit=0\n");
  }, 60_000);
});
