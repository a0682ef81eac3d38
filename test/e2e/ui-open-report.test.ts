// Opening an HTML report (crossfire export --format html) in the replay app: its embedded run is
// re-run in the worker and must reproduce the same final hash; a report without the run, or with
// a changed hash, is refused.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable } from "../helpers/chromium.js";
import { startApp, type App } from "../helpers/app.js";
import { crossfire } from "../helpers/cli.js";

describe.skipIf(!browserAvailable)("opening an HTML report in the replay app", () => {
  let app: App;
  const dir = mkdtempSync(join(tmpdir(), "crossfire-open-report-"));
  const report = join(dir, "coordinated.html");

  beforeAll(async () => {
    expect(crossfire(["export", "scenarios/cost-vs-performance.yaml", "--variant", "coordinated", "--seed", "7", "--format", "html", "--out", report]).code).toBe(0);
    app = await startApp();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const embedded = () => JSON.parse(/<script type="application\/json" id="crossfire-run">([^<]*)<\/script>/.exec(readFileSync(report, "utf8"))![1]);

  it("shows the reported run: same variant, seed and final hash", async () => {
    const { finalHash } = embedded();
    const page = await app.open();
    await page.setInputFiles("[data-testid=open-run]", report);
    await page.waitForFunction((hash) => document.querySelector("[data-testid=verdict]")?.getAttribute("data-final-hash") === hash, finalHash, { timeout: 60_000 });
    expect(await page.getAttribute("#status", "data-status")).toBe("done");
    expect(await page.inputValue("[data-testid=variant-picker]")).toBe("coordinated");
    expect(await page.inputValue("[data-testid=seed-input]")).toBe("7");
  }, 60_000);

  it("refuses a report whose final hash was changed", async () => {
    const { finalHash } = embedded();
    const tampered = join(dir, "tampered.html");
    writeFileSync(tampered, readFileSync(report, "utf8").replace(`"finalHash":"${finalHash}"`, `"finalHash":"${"0".repeat(64)}"`));
    const page = await app.open();
    await page.setInputFiles("[data-testid=open-run]", tampered);
    await page.waitForSelector('#status[data-status="error"]', { timeout: 30_000 });
    expect(await page.textContent("#status")).toContain("does not reproduce the saved run");
  }, 60_000);

  it("refuses a report without its run, saying why", async () => {
    const old = join(dir, "old.html");
    writeFileSync(old, readFileSync(report, "utf8").replace(/<script type="application\/json" id="crossfire-run">[^<]*<\/script>\n/, ""));
    const page = await app.open();
    await page.setInputFiles("[data-testid=open-run]", old);
    await page.waitForSelector('#status[data-status="error"]', { timeout: 30_000 });
    expect(await page.textContent("#status")).toContain("old.html: expected a Crossfire HTML report with its run embedded");
  }, 60_000);
});
