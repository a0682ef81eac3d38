// The HTML report in real Chromium: it opens without requesting anything but itself, without
// script errors (the CSP lets the filter script run and keeps the run's data block inert but
// readable), and its filter and witness links work.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { toHtmlReport } from "../../sim/export/html-report.js";
import { browserAvailable, CHROMIUM_PATH, launchChromium } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";
import { checkedRun, exportInput } from "./runs.js";

describe.skipIf(!browserAvailable)(`the HTML report in Chromium (${CHROMIUM_PATH})`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("loads nothing, throws nothing, filters the event table and follows witness links", async () => {
    const c = checkedRun("scenarios/cost-vs-performance.yaml", "blind");
    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    const scenarioText = readFileSync(repoPath(c.file), "utf8");
    await page.setContent(toHtmlReport({ ...exportInput(c), scenarioText, scenarioFile: c.file }), { waitUntil: "load" });
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    const embedded = await page.$eval("#crossfire-run", (el) => JSON.parse(el.textContent ?? "") as { scenarioText: string; finalHash: string });
    expect(embedded.scenarioText).toBe(scenarioText);
    expect(embedded.finalHash).toBe(c.run.finalHash);

    const total = c.run.log.length;
    expect(await page.textContent("#shown")).toBe(`${total} of ${total} rows`);
    await page.fill("#filter", "cost");
    const visible = await page.$$eval("table.events tbody tr:not([hidden])", (rows) => rows.map((r) => r.textContent ?? ""));
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.length).toBeLessThan(total);
    for (const text of visible) expect(text.toLowerCase()).toContain("cost");
    expect(await page.textContent("#shown")).toBe(`${visible.length} of ${total} rows`);

    // A witness hidden by the filter is revealed when its link is followed.
    const perfSeq = c.run.log.find((r) => r.actor === "perf")!.seq;
    await page.click(`.finding a[href="#seq-${perfSeq}"]`);
    await page.waitForFunction((id) => location.hash === `#${id}`, `seq-${perfSeq}`);
    expect(await page.$eval(`#seq-${perfSeq}`, (row) => (row as HTMLElement).hidden)).toBe(false);
    await page.close();
  });
});

if (!browserAvailable) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM_PATH}`);
}
