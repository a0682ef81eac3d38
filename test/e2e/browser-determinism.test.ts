// The simulation core runs unchanged in a browser Web Worker and produces the same final hash
// as in Node for the same scenario and seed (real Chromium, real Vite build).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, preview, type PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { runScenario } from "../../sim/engine/engine.js";
import { browserAvailable, CHROMIUM_PATH, launchChromium } from "../helpers/chromium.js";
import { loadScenarioFile, repoPath } from "../helpers/scenarios.js";

describe.skipIf(!browserAvailable)(`in Chromium (${CHROMIUM_PATH})`, () => {
  let outDir: string;
  let server: PreviewServer;
  let browser: Browser;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), "crossfire-ui-"));
    await build({ configFile: repoPath("vite.config.ts"), logLevel: "error", build: { outDir, emptyOutDir: true } });
    server = await preview({ configFile: repoPath("vite.config.ts"), logLevel: "error", build: { outDir }, preview: { port: 0, host: "127.0.0.1" } });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it("runs the default scenario in a Web Worker to the same final hash as Node", async () => {
    const page = await browser.newPage();
    const address = server.resolvedUrls!.local[0];
    await page.goto(address);
    await page.waitForSelector('#status[data-status="done"], #status[data-status="error"]', { timeout: 60_000 });
    expect(await page.getAttribute("#status", "data-status")).toBe("done");
    const nodeHash = runScenario(loadScenarioFile("cost-vs-performance")).finalHash;
    expect(await page.getAttribute("#summary", "data-final-hash")).toBe(nodeHash);
  });
});

if (!browserAvailable) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium package; CI always runs them)`);
}
