// The causal panel for the DynamoDB DNS race (blind) in real Chromium: the cascade finding's
// root-cause-to-impact path, the space-time view zoomed to the selected event (inside the panel,
// edges never over the lane names), and the neighbourhood DAG scrolled to the selected event.
import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { useApp } from "../helpers/app.js";
import { browserAvailable } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";

type Box = { left: number; top: number; right: number; bottom: number };

/** True when `inner` lies inside `outer` (CSS px, a pixel of slack for rounding). */
function inside(inner: Box, outer: Box): boolean {
  return inner.left >= outer.left - 1 && inner.right <= outer.right + 1 && inner.top >= outer.top - 1 && inner.bottom <= outer.bottom + 1;
}

/** The selected dot's box on the page, from the canvas's data-selected-x/y (CSS px on the canvas). */
async function selectedDot(page: Page): Promise<Box> {
  return page.$eval("#causal", (root) => {
    const canvas = root.querySelector("canvas[data-testid=causal-canvas]")!.getBoundingClientRect();
    const x = canvas.left + Number((root as HTMLElement).dataset.selectedX);
    const y = canvas.top + Number((root as HTMLElement).dataset.selectedY);
    return { left: x - 4, right: x + 4, top: y - 4, bottom: y + 4 };
  });
}

/** Non-transparent pixels of the overlay canvas over the lane-name gutter (below the time axis). */
async function overlayPixelsOverGutter(page: Page): Promise<number> {
  return page.$eval("#causal canvas[data-testid=causal-canvas]", (el) => {
    const canvas = el as HTMLCanvasElement;
    const dpr = canvas.width / canvas.clientWidth;
    const gutter = Math.floor(Number(canvas.dataset.gutterW) * dpr);
    const axis = Math.ceil(Number(canvas.dataset.axisH) * dpr);
    const data = canvas.getContext("2d")!.getImageData(0, axis, gutter, canvas.height - axis).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
    return painted;
  });
}

describe.skipIf(!browserAvailable)("root cause to impact, and the causal views fitted to the selection", () => {
  const app = useApp();

  it("lists the cascade's chain from enactor-a's stale write to the failures, and fits the views to the selected event", async () => {
    const page = await app.open("?scenario=dynamodb-dns-race&variant=blind");
    await page.waitForSelector('#status[data-complete="true"]');
    if ((await page.getAttribute("[data-testid=play]", "data-playing")) === "true") await page.click("[data-testid=play]");
    const path = page.locator("#causal [data-testid=critical-path]");
    expect(await path.isHidden()).toBe(true);

    await page.click('#findings button[data-kind="cascade"]');
    await page.waitForSelector("#causal [data-testid=critical-path] [data-path-seq]");
    expect(await path.isVisible()).toBe(true);
    const cards = path.locator("[data-path-seq]");
    const seqs = (await path.getAttribute("data-seqs"))!.split(",").map(Number);
    expect(await cards.count()).toBe(seqs.length);
    // Root cause first: enactor-a setting ddb-dns.plan back to an older plan, ranked a stale write.
    const root = cards.first();
    expect(await root.getAttribute("data-role")).toBe("root");
    expect(await root.textContent()).toMatch(/enactor-a.*ddb-dns\.plan (\d+) -> (\d+).*root cause: stale write/);
    // Then the clean-up's deletion of that plan and ddb-dns failing; the impact last, a failure too.
    expect(await cards.nth(1).textContent()).toMatch(/enactor-c.*document\.deleted plans/);
    expect(await cards.nth(2).textContent()).toMatch(/ddb-dns.*became unhealthy/);
    const impact = cards.last();
    expect(await impact.getAttribute("data-role")).toBe("impact");
    expect(await impact.textContent()).toMatch(/became unhealthy/);
    expect(Number(await path.getAttribute("data-impact-seq"))).toBe(seqs[seqs.length - 1]);
    // Delays between the cards add up to the total in the title.
    const delays = await path.locator("[data-delay-ms]").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-delay-ms"))));
    expect(delays).toHaveLength(seqs.length - 1);
    expect(delays.reduce((x, y) => x + y, 0)).toBe(Number(await path.getAttribute("data-total-ms")));
    expect(await path.locator(".cp-title").textContent()).toMatch(/^Root cause to impact \(cascade\): #\d+ → #\d+ in \d+ cause steps, 1 min 01 s$/);

    // The finding selected its root cause (#38-ish, minutes from #1): the dot is inside the panel
    // and the view is zoomed in on it.
    expect(await page.getAttribute("#causal", "data-selected-seq")).toBe(String(seqs[0]));
    expect(await page.getAttribute("#causal", "data-selected-drawn")).toBe("true");
    const panel = await page.$eval("#causal .causal-stage", (el) => el.getBoundingClientRect().toJSON() as Box);
    expect(inside(await selectedDot(page), panel)).toBe(true);
    expect(Number(await page.getAttribute("#causal", "data-zoom"))).toBeGreaterThanOrEqual(4);

    // The neighbourhood DAG is scrolled to the selected event's box.
    const dagBox = await page.$eval("#detail .detail-dag", (el) => el.getBoundingClientRect().toJSON() as Box);
    const centre = await page.$eval(`#detail [data-testid=neighbourhood] [data-node-seq="${seqs[0]}"]`, (el) => el.getBoundingClientRect().toJSON() as Box);
    expect(inside(centre, dagBox)).toBe(true);

    // A card selects its event; the views follow it.
    await cards.last().click();
    await page.waitForSelector(`#detail[data-seq="${seqs[seqs.length - 1]}"]`);
    expect(await cards.last().getAttribute("data-selected")).toBe("true");
    expect(await page.getAttribute("#causal", "data-selected-seq")).toBe(String(seqs[seqs.length - 1]));
    await page.waitForFunction(() => document.querySelector("#causal")?.getAttribute("data-selected-drawn") === "true");
    // Measured again: clicking the card scrolled the page (the causal panel is below the first
    // screen in the two-column layout), and boxes are relative to the viewport.
    const panel2 = await page.$eval("#causal .causal-stage", (el) => el.getBoundingClientRect().toJSON() as Box);
    expect(inside(await selectedDot(page), panel2)).toBe(true);
    const centre2 = await page.$eval(`#detail [data-testid=neighbourhood] [data-node-seq="${seqs[seqs.length - 1]}"]`, (el) => el.getBoundingClientRect().toJSON() as Box);
    expect(inside(centre2, await page.$eval("#detail .detail-dag", (el) => el.getBoundingClientRect().toJSON() as Box))).toBe(true);

    // Zoomed in far enough that the selected event's causes lie left of the plot, their edges
    // (and the finding's highlighted edges) still stop at the plot: nothing over the lane names.
    await cards.first().click();
    await page.waitForSelector(`#detail[data-seq="${seqs[0]}"]`);
    await page.focus("#causal canvas[tabindex]");
    for (let k = 0; k < 4; k++) await page.keyboard.press("+");
    await page.waitForFunction(() => Number(document.querySelector("#causal")?.getAttribute("data-zoom")) > 20);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await overlayPixelsOverGutter(page)).toBe(0);

    mkdirSync(repoPath("test-artifacts"), { recursive: true });
    await page.locator("#causal").screenshot({ path: repoPath("test-artifacts/causal-path.png") });
    await page.close();
  }, 180_000);
});

if (!browserAvailable) {
  console.warn("browser tests skipped: no Chromium");
}
