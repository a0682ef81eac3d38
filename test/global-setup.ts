// Vitest's global setup (vitest.config.ts `test.globalSetup`), run once per `vitest run` in the main
// process, also when one test file is run alone. It owns the browser app's build, which every
// browser test file shares: one `vite build` into a temporary directory, served by one Vite
// preview server, which each useApp()/startApp() (test/helpers/app.ts) opens in its own Chromium.
// The app is built on first demand (a test file asking this process over a local HTTP endpoint,
// the "build broker"), not up front: a run without browser tests builds nothing, and the build
// overlaps the test files that run while it works. Later requests wait for the same build.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, preview, type PreviewServer } from "vite";
import type { TestProject } from "vitest/node";
import { repoPath } from "./helpers/scenarios.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The build broker's base URL (`http://127.0.0.1:<port>/`): GET `app` builds the app once and answers where it is served. */
    crossfireBuilds: string;
  }
}

/** What GET /app answers: the shared preview server's URL and the build's directory. */
export interface SharedApp {
  url: string;
  outDir: string;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = mkdtempSync(join(tmpdir(), "crossfire-ui-"));
  let server: PreviewServer | undefined;
  let app: Promise<SharedApp> | undefined;
  const buildAndServe = async (): Promise<SharedApp> => {
    await build({ configFile: repoPath("vite.config.ts"), logLevel: "error", build: { outDir, emptyOutDir: true } });
    server = await preview({ configFile: repoPath("vite.config.ts"), logLevel: "error", build: { outDir }, preview: { port: 0, host: "127.0.0.1" } });
    return { url: server.resolvedUrls!.local[0], outDir };
  };

  // The answer's headers go out at once and a space every 10 s while the build runs, so a slow
  // build on a busy machine never trips fetch's header and body timeouts (300 s each in Node 20).
  const broker = createServer((req, res) => {
    if (req.url !== "/app") return void res.writeHead(404).end();
    res.writeHead(200, { "Content-Type": "application/json" });
    const keepAlive = setInterval(() => res.write(" "), 10_000);
    (app ??= buildAndServe()).then(
      (answer) => res.end(JSON.stringify(answer)),
      (e: Error) => res.end(JSON.stringify({ error: `the shared app build failed: ${e.stack ?? e}` })),
    ).finally(() => clearInterval(keepAlive));
  });
  await new Promise<void>((listening) => broker.listen(0, "127.0.0.1", listening));
  const address = broker.address();
  if (typeof address !== "object" || !address) throw new Error("the build broker has no port");
  project.provide("crossfireBuilds", `http://127.0.0.1:${address.port}/`);

  return async () => {
    broker.closeAllConnections();
    await new Promise((closed) => broker.close(closed));
    await app?.catch(() => undefined); // a build still running when a run is cut short
    await server?.close();
    rmSync(outDir, { recursive: true, force: true });
  };
}
