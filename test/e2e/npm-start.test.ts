// `npm start` when port 5173 is taken (another app, a second checkout): it serves the app on the
// next free port and prints that URL instead of failing with a stack trace.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { describe, expect, it } from "vitest";
import { repoPath } from "../helpers/scenarios.js";

/** Listens on localhost:5173; if something already does, the port is taken either way. */
function occupy5173(): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(undefined));
    server.listen(5173, "localhost", () => resolve(server));
  });
}

describe("npm start", () => {
  it("prints and serves another port when 5173 is taken", async () => {
    const blocker = await occupy5173();
    const child = spawn("npm", ["start"], { cwd: repoPath("."), detached: true, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed in 60 s:\n${output}`)), 60_000);
        const check = () => {
          // eslint-disable-next-line no-control-regex
          const m = /http:\/\/localhost:(\d+)\//.exec(output.replace(/\x1b\[[0-9;]*m/g, ""));
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        };
        child.stdout.on("data", check);
        child.on("exit", (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
      });
      expect(port).not.toBe(5173);
      const response = await fetch(`http://localhost:${port}/`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("<title>Crossfire");
    } finally {
      // The whole group: npm, its shell and Vite.
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
      blocker?.close();
    }
  }, 90_000);
});
