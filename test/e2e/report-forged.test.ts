// A forged run file's HTML report in real Chromium (issue 13, finding 1): the records carry
// `<img onerror>`, `<script>` and `<svg onload>` break-outs that navigate away or open a dialog
// if they ever run. Opened from disk, hovered and scrolled, the report must stay where it is,
// open no dialog, carry its hash-based CSP, and still run its own filter script.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, CHROMIUM_PATH, launchChromium } from "../helpers/chromium.js";
import { crossfire } from "../helpers/cli.js";
import { forgedRunFile } from "../export/forged-run.js";

describe.skipIf(!browserAvailable)(`a forged run's HTML report in Chromium (${CHROMIUM_PATH})`, () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), "crossfire-forged-report-"));
  const report = join(dir, "forged.html");

  beforeAll(async () => {
    writeFileSync(join(dir, "forged.ndjson"), forgedRunFile());
    expect(crossfire(["verify", "forged.ndjson"], { cwd: dir }).code).toBe(0);
    const r = crossfire(["export", "forged.ndjson", "--format", "html", "--out", report], { cwd: dir });
    expect(r.code).toBe(0);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs no injected code: no navigation, no dialog, the CSP in place, the filter working", async () => {
    const page = await browser.newPage();
    const url = pathToFileURL(report).href;
    const navigations: string[] = [];
    const dialogs: string[] = [];
    const requests: string[] = [];
    page.on("framenavigated", (f) => {
      if (f === page.mainFrame()) navigations.push(f.url());
    });
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(url, { waitUntil: "load" });
    // Give handlers (onerror fires after a failed load, onmouseover on hover) the chance to run.
    for (const handle of (await page.$$("table.events tbody tr td, svg text, svg circle")).slice(0, 60)) await handle.hover({ force: true, timeout: 1000 }).catch(() => undefined);
    await page.waitForTimeout(500);

    expect(dialogs).toEqual([]);
    expect(page.url()).toBe(url);
    expect(navigations.filter((n) => n.split("#")[0] !== url)).toEqual([]);
    expect(requests.filter((r) => r.split("#")[0] !== url)).toEqual([]);
    expect(await page.$$("img, table.events script, svg svg")).toHaveLength(0);
    const csp = await page.getAttribute(`meta[http-equiv="Content-Security-Policy"]`, "content");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/]{43}='/);
    expect(csp).not.toMatch(/unsafe-inline[^;]*;?\s*$|script-src[^;]*unsafe-inline/);
    // The report's own script runs under the hash: the filter counts the rows.
    const total = await page.$$eval("table.events tbody tr", (rows) => rows.length);
    expect(await page.textContent("#shown")).toBe(`${total} of ${total} rows`);
    // And the hostile text is there, as text.
    expect(await page.textContent("table.events")).toContain(`<img src=x onerror=`);
    await page.close();
  });
});
