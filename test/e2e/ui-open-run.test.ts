// Opening a saved run file in the app: the hash chain is verified, the embedded scenario is re-run
// in the worker and must reproduce the same final hash; a tampered file is refused.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable } from "../helpers/chromium.js";
import { startApp, type App } from "../helpers/app.js";
import { crossfire } from "../helpers/cli.js";

describe.skipIf(!browserAvailable)("opening a run file in the replay app", () => {
  let app: App;
  const dir = mkdtempSync(join(tmpdir(), "crossfire-open-"));
  const file = join(dir, "coordinated.ndjson");

  beforeAll(async () => {
    expect(crossfire(["run", "scenarios/cost-vs-performance.yaml", "--variant", "coordinated", "--seed", "7", "--out", file, "--quiet"]).code).toBe(0);
    app = await startApp();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows the saved run: same variant, seed and final hash", async () => {
    const header = JSON.parse(readFileSync(file, "utf8").split("\n")[0]);
    const page = await app.open();
    await page.setInputFiles("[data-testid=open-run]", file);
    await page.waitForFunction((hash) => document.querySelector("[data-testid=verdict]")?.getAttribute("data-final-hash") === hash, header.finalHash, { timeout: 60_000 });
    expect(await page.getAttribute("#status", "data-status")).toBe("done");
    expect(await page.inputValue("[data-testid=variant-picker]")).toBe("coordinated");
    expect(await page.inputValue("[data-testid=seed-input]")).toBe("7");
  }, 60_000);

  it("refuses a run file whose records were changed", async () => {
    const lines = readFileSync(file, "utf8").split("\n");
    const i = lines.findIndex((l) => l.includes('"type":"command.rejected"'));
    lines[i] = lines[i].replace('"policy":"lease"', '"policy":"none"');
    const tampered = join(dir, "tampered.ndjson");
    writeFileSync(tampered, lines.join("\n"));
    const page = await app.open();
    await page.setInputFiles("[data-testid=open-run]", tampered);
    await page.waitForSelector('#status[data-status="error"]', { timeout: 30_000 });
    expect(await page.textContent("#status")).toContain(`(record #${i - 1}): expected records whose hash chain and shape verify`);
  }, 60_000);
});
