// The findings panel, the event table and the topology in real Chromium: selecting a finding
// moves the cursor and highlights its events, the table filters and selects, and the topology
// shows health at the cursor.
import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { useApp } from "../helpers/app.js";
import { browserAvailable } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";

/** Moves the transport's cursor the way a user's scrub does: set the range's value, fire input. */
async function scrubTo(page: Page, ms: number): Promise<void> {
  await page.$eval(
    "[data-testid=scrub]",
    (el, value) => {
      (el as HTMLInputElement).value = String(value);
      el.dispatchEvent(new Event("input", { bubbles: true }));
    },
    ms,
  );
}

const rowCount = async (page: Page) => Number(await page.getAttribute("#events", "data-rows"));

describe.skipIf(!browserAvailable)("findings, event table and topology in Chromium", () => {
  const app = useApp();

  it("selects a finding, filters and selects events on the default scenario", async () => {
    const page = await app.open();
    expect(await page.getAttribute("#status", "data-status")).toBe("done");
    expect(await page.textContent("#findings .verdict")).toMatch(/^[✓✗○] (outage reproduced as expected|degradation reproduced as expected|prevented as expected|expectations met|expectations not met|not judged|run stopped early)/);

    const thrashing = page.locator("#findings button[data-finding-index][data-kind=thrashing]").first();
    await thrashing.waitFor();
    expect(await thrashing.getAttribute("data-selected")).toBe("false");
    const from = await thrashing.getAttribute("data-from");
    await thrashing.click();
    expect(await thrashing.getAttribute("data-selected")).toBe("true");
    expect(await page.getAttribute("[data-testid=clock]", "data-cursor-ms")).toBe(from);
    expect(await page.locator("#events [data-seq][data-highlighted=true]").count()).toBeGreaterThan(0);

    // Filter by actor: fewer rows, all of them cost's.
    const all = await rowCount(page);
    expect(all).toBeGreaterThan(0);
    await page.selectOption("[data-testid=filter-actor]", "cost");
    const costRows = await rowCount(page);
    expect(costRows).toBeGreaterThan(0);
    expect(costRows).toBeLessThan(all);
    const actors = await page.$$eval("#events [data-seq]", (rows) => rows.map((r) => (r as HTMLElement).dataset.actor));
    expect(actors.length).toBeGreaterThan(0);
    expect(new Set(actors)).toEqual(new Set(["cost"]));

    // Free text: the words of one row's description find that row and fewer than before.
    await page.selectOption("[data-testid=filter-actor]", "");
    expect(await rowCount(page)).toBe(all);
    const phrase = (await page.locator("#events [data-seq] span:last-child").nth(2).textContent())!;
    await page.fill("[data-testid=filter-text]", phrase);
    const textRows = await rowCount(page);
    expect(textRows).toBeGreaterThan(0);
    expect(textRows).toBeLessThan(all);
    // Text matches every word, anywhere in the record's columns.
    const texts = await page.$$eval("#events [data-seq]", (rows) => rows.map((r) => Array.from(r.children, (c) => c.textContent ?? "").join(" ").toLowerCase()));
    expect(texts.length).toBe(Math.min(textRows, texts.length));
    for (const t of texts) for (const word of phrase.toLowerCase().split(/\s+/).filter(Boolean)) expect(t).toContain(word);
    await page.fill("[data-testid=filter-text]", "");
    expect(await rowCount(page)).toBe(all);

    // Clicking a row selects it (and only it) and moves the cursor to its time.
    const row = page.locator("#events [data-seq]").nth(3);
    const seq = await row.getAttribute("data-seq");
    const t = await row.getAttribute("data-t");
    await row.click();
    expect(await page.getAttribute(`#events [data-seq="${seq}"]`, "data-selected")).toBe("true");
    expect(await page.locator("#events [data-seq][data-selected=true]").count()).toBe(1);
    expect(await page.getAttribute("[data-testid=clock]", "data-cursor-ms")).toBe(t);
    expect(await page.getAttribute("#findings", "data-findings")).not.toBe("0");
    await page.close();
  }, 90_000);

  it("colours the topology by health at the cursor (retry storm, blind)", async () => {
    const page = await app.open("?scenario=retry-storm&variant=blind");
    expect(await page.getAttribute("#status", "data-status")).toBe("done");
    const api = "#topology [data-component=api]";
    await page.waitForSelector(api);
    expect(await page.locator("#topology [data-component][data-health]").count()).toBe(2);
    expect(await page.locator(`${api} [data-knob=replicas]`).textContent()).toBe("replicas 10");

    // The capacity loss starts at 2m; api turns unhealthy within seconds and never recovers.
    await scrubTo(page, 60_000);
    expect(await page.getAttribute(api, "data-health")).toBe("healthy");
    await scrubTo(page, 150_000);
    expect(await page.getAttribute(api, "data-health")).toBe("unhealthy");
    await scrubTo(page, 60_000);
    expect(await page.getAttribute(api, "data-health")).toBe("healthy");

    // A retry storm is found and its explanation shown; select it for the screenshot.
    const storm = page.locator("#findings button[data-finding-index][data-kind=retryStorm]").first();
    await storm.click();
    expect(await storm.getAttribute("data-selected")).toBe("true");
    await scrubTo(page, 150_000);
    mkdirSync(repoPath("test-artifacts"), { recursive: true });
    await page.screenshot({ path: repoPath("test-artifacts/panels.png"), fullPage: true });
    await page.close();
  }, 90_000);
  it("lays out a larger topology with a DNS record's plan (dynamodb-dns-race)", async () => {
    const page = await app.open("?scenario=dynamodb-dns-race");
    expect(await page.getAttribute("#status", "data-status")).toBe("done");
    const nodes = page.locator("#topology [data-component][data-health]");
    expect(await nodes.count()).toBeGreaterThanOrEqual(8);
    // Before the first plan change the record shows the plan the first change replaced.
    await scrubTo(page, 0);
    const plan = page.locator("#topology [data-component=ddb-dns] [data-knob=plan]");
    expect(await plan.textContent()).toBe("plan 1");
    await scrubTo(page, 62_000);
    expect(await plan.textContent()).toBe("plan 3");
    mkdirSync(repoPath("test-artifacts"), { recursive: true });
    await page.locator("#topology").screenshot({ path: repoPath("test-artifacts/panels-topology.png") });
    await page.close();
  }, 90_000);
});

