// Builds the browser app once per test file, serves it with Vite's preview server and opens it in
// Debian's Chromium (playwright-core). UI tests assert on data-* attributes and roles.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, preview, type PreviewServer } from "vite";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchChromium } from "./chromium.js";
import { repoPath } from "./scenarios.js";

export interface App {
  url: string;
  browser: Browser;
  /** Opens the app at `query` (e.g. `?scenario=retry-storm`) and waits until the run is shown. */
  open(query?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startApp(): Promise<App> {
  const outDir = mkdtempSync(join(tmpdir(), "crossfire-ui-"));
  await build({ configFile: repoPath("vite.config.ts"), logLevel: "error", build: { outDir, emptyOutDir: true } });
  const server: PreviewServer = await preview({ configFile: repoPath("vite.config.ts"), logLevel: "error", build: { outDir }, preview: { port: 0, host: "127.0.0.1" } });
  const browser = await launchChromium();
  const url = server.resolvedUrls!.local[0];
  return {
    url,
    browser,
    async open(query = "") {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${url}${query}`);
      await page.waitForSelector('#status[data-status="done"], #status[data-status="error"]', { timeout: 60_000 });
      if (errors.length > 0) throw new Error(`page errors: ${errors.join("; ")}`);
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the app before the tests of the enclosing describe block and closes it after them.
 * Returns an App whose members reach the started one (so it can be declared at describe level).
 */
export function useApp(): App {
  let started: App | undefined;
  beforeAll(async () => {
    started = await startApp();
  }, 180_000);
  afterAll(async () => {
    await started?.close();
  });
  const app = (): App => {
    if (!started) throw new Error("the app is not started yet: call useApp() inside a describe block and use it in tests");
    return started;
  };
  return {
    get url() {
      return app().url;
    },
    get browser() {
      return app().browser;
    },
    open: (query) => app().open(query),
    close: () => app().close(),
  };
}
