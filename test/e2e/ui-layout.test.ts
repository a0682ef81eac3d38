// The app's layout and header in real Chromium at the two sizes a new user brings (1400x1000 and
// 1024x700): the story (summary) and the first finding's explanation on the first screen, nothing
// wider than its panel, a verdict only next to the run it belongs to, the panels' collapse and
// maximise, Play's name, Home/End, Back, and no 404 (the favicon). Screenshots of the main states
// go to test-artifacts/ui-<state>-<w>x<h>.png (docs/ui.md's tour uses them).
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useApp } from "../helpers/app.js";
import { browserAvailable, CHROMIUM_PATH } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";

const SIZES = [
  [1400, 1000],
  [1024, 700],
] as const;

const DNS_RACE = "?scenario=dynamodb-dns-race&variant=blind";

async function pause(page: Page): Promise<void> {
  if ((await page.getAttribute("[data-testid=play]", "data-playing")) === "true") await page.click("[data-testid=play]");
}

async function shot(page: Page, state: string): Promise<void> {
  mkdirSync(repoPath("test-artifacts"), { recursive: true });
  const { width, height } = page.viewportSize()!;
  await page.screenshot({ path: repoPath(`test-artifacts/ui-${state}-${width}x${height}.png`) });
}

/** Where `selector`'s first match lies, and the window's size. */
function rectOf(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel)!.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, innerWidth: window.innerWidth, innerHeight: window.innerHeight };
  }, selector);
}

/** Panels (and the page) whose content is wider than they are: each a "selector: scrollWidth > clientWidth". */
function overflows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("header#controls, #transport, #layout .panel"))) {
      if (el.scrollWidth > el.clientWidth + 1) out.push(`#${el.id}: ${el.scrollWidth} > ${el.clientWidth}`);
    }
    const page = document.documentElement;
    if (page.scrollWidth > window.innerWidth) out.push(`page: ${page.scrollWidth} > ${window.innerWidth}`);
    return out;
  });
}

/**
 * Records, on every change of the status or the header's verdict, whether a verdict was shown
 * while the status was not "done" (a stale verdict next to a running or failed request).
 */
function watchHeader(page: Page): Promise<void> {
  return page.evaluate(() => {
    const w = window as unknown as { staleVerdicts: string[] };
    w.staleVerdicts = [];
    const check = () => {
      const status = document.getElementById("status")!.dataset.status;
      const verdict = document.getElementById("verdict")!;
      if (status !== "done" && verdict.querySelector("[data-fact=expectations], [data-fact=system]")) w.staleVerdicts.push(`${status}: ${verdict.textContent}`);
    };
    const observer = new MutationObserver(check);
    observer.observe(document.getElementById("status")!, { attributes: true, childList: true, characterData: true, subtree: true });
    observer.observe(document.getElementById("verdict")!, { attributes: true, childList: true, characterData: true, subtree: true });
  });
}

describe.skipIf(!browserAvailable)(`layout and header in Chromium (${CHROMIUM_PATH})`, () => {
  const app = useApp();

  for (const [width, height] of SIZES) {
    it(`${width}x${height}: dynamodb-dns-race blind shows its story and first finding on the first screen, nothing overflows`, async () => {
      const page = await app.open(DNS_RACE);
      await page.setViewportSize({ width, height });
      await pause(page);
      expect(await page.getAttribute("#status", "data-status")).toBe("done");

      // The header's two facts: expectations in words, and the system's own (red) state.
      expect(await page.getAttribute("#verdict", "data-kind")).toBe("verdict");
      expect(await page.textContent("#verdict [data-fact=expectations]")).toContain("outage reproduced as expected (16/16)");
      expect(await page.getAttribute("#verdict [data-fact=system]", "data-state")).toBe("outage");
      expect(await page.textContent("#verdict .verdict-context")).toMatch(/^seed \d+ · [\d,]+ events · hash [0-9a-f]{12}$/);
      const systemColour = await page.$eval("#verdict [data-fact=system]", (el) => getComputedStyle(el).backgroundColor);
      expect(systemColour).toBe("rgb(180, 35, 24)");

      // The summary: headline, the phases in order with #seq links, the root cause's link.
      expect(await page.getAttribute("[data-testid=summary]", "data-state")).toBe("story");
      const phases = await page.$$eval("#incident-summary .sum-phase", (items) => items.map((i) => (i as HTMLElement).dataset.phase));
      expect(phases).toEqual(expect.arrayContaining(["trigger", "impact", "mitigation"]));
      const rootSeq = Number(await page.getAttribute("#incident-summary .sum-root", "data-seq"));
      expect(rootSeq).toBeGreaterThan(0);

      const summary = await rectOf(page, "#incident-summary");
      expect(summary.top).toBeGreaterThanOrEqual(0);
      expect(summary.bottom).toBeLessThanOrEqual(summary.innerHeight);
      expect(summary.right).toBeLessThanOrEqual(summary.innerWidth);
      const explanation = await rectOf(page, "#findings .finding .explanation");
      expect(explanation.top).toBeGreaterThanOrEqual(0);
      expect(explanation.bottom).toBeLessThanOrEqual(explanation.innerHeight);
      expect(explanation.right).toBeLessThanOrEqual(explanation.innerWidth);
      expect(await overflows(page)).toEqual([]);
      await shot(page, "dns-race");

      // A #seq link in the summary selects that event everywhere.
      await page.click(`#incident-summary .sum-root button[data-seq="${rootSeq}"]`);
      expect(await page.getAttribute("#events [data-selected=true]", "data-seq")).toBe(String(rootSeq));

      // The first finding selected: still nothing wider than its panel.
      await page.click("#findings button[data-finding-index]");
      expect(await page.getAttribute("#findings button[data-finding-index]", "data-selected")).toBe("true");
      await page.evaluate(() => window.scrollTo(0, 0));
      expect(await overflows(page)).toEqual([]);
      await shot(page, "finding");
      await page.close();
    }, 120_000);
  }

  it("never shows a verdict next to a running request, a YAML error or a refused file", async () => {
    const page = await app.open(DNS_RACE);
    expect(await page.getAttribute("#verdict", "data-kind")).toBe("verdict");
    await watchHeader(page);
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      // A YAML error typed into the editor (textarea or CodeMirror: both take keyboard input).
      await page.click("#editor textarea, #editor .cm-content");
      await page.keyboard.press("Control+A");
      await page.keyboard.insertText("name: [unclosed\n");
      await page.waitForSelector('#status[data-status="error"]', { timeout: 30_000 });
      await page.waitForSelector('#verdict[data-kind="error"]', { timeout: 5_000 });
      expect(await page.locator("#verdict [data-fact=expectations], #verdict [data-fact=system]").count()).toBe(0);
      expect(await page.textContent("#verdict")).not.toMatch(/PASS|FAIL|expected|expectations|outage/);
      expect(await page.getAttribute("#verdict", "data-final-hash")).toBe("");
      expect(await page.getAttribute("[data-testid=summary]", "data-state")).toBe("error");
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, "error");
      // A good run again, then a file that is refused.
      await page.selectOption("[data-testid=scenario-picker]", "scenarios/retry-storm.yaml");
      await page.waitForSelector('#status[data-status="done"]', { timeout: 60_000 });
      await page.waitForSelector('#verdict[data-kind="verdict"]', { timeout: 5_000 });
      await page.setInputFiles("[data-testid=open-run]", { name: "not-a-run.ndjson", mimeType: "application/x-ndjson", buffer: Buffer.from('{"hello":"world"}\n') });
      await page.waitForSelector('#status[data-status="error"]', { timeout: 30_000 });
      expect(await page.getAttribute("#verdict", "data-kind")).toBe("error");
      expect(await page.locator("#verdict [data-fact=expectations], #verdict [data-fact=system]").count()).toBe(0);
      await page.selectOption("[data-testid=scenario-picker]", "scenarios/dynamodb-dns-race.yaml");
      await page.waitForSelector('#status[data-status="done"]', { timeout: 60_000 });
    }
    // Every change the page went through: no verdict was ever on screen with another status.
    expect(await page.evaluate(() => (window as unknown as { staleVerdicts: string[] }).staleVerdicts)).toEqual([]);
    await page.close();
  }, 180_000);

  it("collapses and maximises panels from the keyboard, keeps each panel's state, Escape restores", async () => {
    const page = await app.open(DNS_RACE);
    await pause(page);
    const collapse = page.locator("#timeline .panel-collapse");
    expect(await collapse.getAttribute("aria-expanded")).toBe("true");
    const tall = (await rectOf(page, "#timeline")).bottom - (await rectOf(page, "#timeline")).top;
    await collapse.focus();
    await page.keyboard.press("Enter");
    expect(await collapse.getAttribute("aria-expanded")).toBe("false");
    expect(await page.getAttribute("#timeline", "data-collapsed")).toBe("true");
    const short = (await rectOf(page, "#timeline")).bottom - (await rectOf(page, "#timeline")).top;
    expect(short).toBeLessThan(60);
    expect(tall).toBeGreaterThan(300);
    // Another panel keeps its own state; a reload keeps the collapsed one collapsed.
    expect(await page.getAttribute("#lanes .panel-collapse", "aria-expanded")).toBe("true");
    await page.reload();
    await page.waitForSelector('#status[data-status="done"]', { timeout: 60_000 });
    expect(await page.getAttribute("#timeline .panel-collapse", "aria-expanded")).toBe("false");
    await page.click("#timeline .panel-collapse");
    expect(await page.getAttribute("#timeline", "data-collapsed")).toBe("false");

    // Maximise the findings: they fill the window; Escape gives the panel back its place.
    const maximise = page.locator("#findings .panel-maximise");
    expect(await maximise.getAttribute("aria-pressed")).toBe("false");
    await maximise.focus();
    await page.keyboard.press("Space");
    expect(await maximise.getAttribute("aria-pressed")).toBe("true");
    const big = await rectOf(page, "#findings");
    expect(big.top).toBeLessThanOrEqual(10);
    expect(big.bottom).toBeGreaterThanOrEqual(big.innerHeight - 10);
    expect(big.right - big.left).toBeGreaterThanOrEqual(big.innerWidth - 20);
    await page.keyboard.press("Escape");
    expect(await maximise.getAttribute("aria-pressed")).toBe("false");
    const back = await rectOf(page, "#findings");
    expect(back.right - back.left).toBeLessThan(big.innerWidth / 2);
    await page.close();
  }, 120_000);

  it("names Play by what it does and moves the cursor with Home and End", async () => {
    const page = await app.open();
    const play = page.locator("[data-testid=play]");
    await pause(page);
    expect(await play.getAttribute("aria-label")).toBe("Play");
    await play.click();
    expect(await play.getAttribute("data-playing")).toBe("true");
    expect(await play.getAttribute("aria-label")).toBe("Pause");
    expect(await play.textContent()).toBe("Pause");
    await play.click();
    expect(await play.getAttribute("aria-label")).toBe("Play");

    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press("End");
    const duration = await page.$eval("[data-testid=scrub]", (el) => (el as HTMLInputElement).max);
    expect(await page.getAttribute("[data-testid=clock]", "data-cursor-ms")).toBe(duration);
    await page.keyboard.press("Home");
    expect(await page.getAttribute("[data-testid=clock]", "data-cursor-ms")).toBe("0");
    // In a text field the keys stay the field's.
    await page.keyboard.press("End");
    await page.focus("[data-testid=seed-input]");
    await page.keyboard.press("Home");
    expect(await page.getAttribute("[data-testid=clock]", "data-cursor-ms")).toBe(duration);
    await page.close();
  }, 90_000);

  it("Back returns to the previous scenario, variant and seed", async () => {
    const page = await app.open("?scenario=cost-vs-performance");
    const length = await page.evaluate(() => history.length);
    await page.selectOption("[data-testid=scenario-picker]", "scenarios/dynamodb-dns-race.yaml");
    await page.waitForFunction(() => document.getElementById("status")!.dataset.status === "done" && document.getElementById("status")!.textContent!.includes("dynamodb-dns-race"), undefined, { timeout: 60_000 });
    await page.selectOption("[data-testid=variant-picker]", "coordinated");
    await page.waitForFunction(() => document.getElementById("status")!.dataset.status === "done" && location.search.includes("variant=coordinated"), undefined, { timeout: 60_000 });
    expect(await page.evaluate(() => history.length)).toBe(length + 2);

    await page.goBack();
    await page.waitForFunction(() => document.getElementById("status")!.dataset.status === "done" && !location.search.includes("coordinated"), undefined, { timeout: 60_000 });
    expect(page.url()).toContain("scenario=dynamodb-dns-race");
    await page.goBack();
    await page.waitForFunction(() => document.getElementById("status")!.dataset.status === "done" && document.getElementById("status")!.textContent!.includes("cost-vs-performance"), undefined, { timeout: 60_000 });
    expect(page.url()).toContain("scenario=cost-vs-performance");
    expect(await page.$eval("[data-testid=scenario-picker]", (el) => (el as HTMLSelectElement).value)).toBe("scenarios/cost-vs-performance.yaml");
    await page.close();
  }, 120_000);

  it("loads without a single 4xx/5xx response (the favicon is there)", async () => {
    const page = await app.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const failed: string[] = [];
    page.on("response", (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(app.url);
    await page.waitForSelector('#status[data-status="done"]', { timeout: 60_000 });
    const icon = await page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel="icon"]')!.href;
      const r = await fetch(href);
      return { status: r.status, type: r.headers.get("content-type") };
    });
    expect(icon.status).toBe(200);
    expect(icon.type).toContain("image/svg+xml");
    expect(failed).toEqual([]);
    await pause(page);
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, "default");
    }
    await page.close();
  }, 90_000);

  it("screenshots compare and what-if, each maximised", async () => {
    const page = await app.open(DNS_RACE);
    await pause(page);
    await page.waitForSelector('#compare[data-status="done"] [data-side="b"]', { timeout: 60_000 });
    expect(await page.textContent("#compare h2")).toContain("a = the run shown above");
    // What if the root cause's write had not happened: select it from the summary, block it.
    const rootSeq = await page.getAttribute("#incident-summary .sum-root", "data-seq");
    await page.click(`#incident-summary .sum-root button[data-seq="${rootSeq}"]`);
    await page.click("[data-testid=whatif-block]");
    await page.waitForSelector('#whatif[data-status="done"] [data-side="whatif"][data-findings]', { timeout: 60_000 });
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      for (const [panel, state] of [["compare", "compare"], ["whatif", "whatif"]] as const) {
        await page.click(`#${panel} .panel-maximise`);
        expect(await page.getAttribute(`#${panel}`, "data-maximised")).toBe("true");
        expect(await overflows(page)).toEqual([]);
        await shot(page, state);
        await page.keyboard.press("Escape");
      }
    }
    await page.close();
  }, 120_000);
});
