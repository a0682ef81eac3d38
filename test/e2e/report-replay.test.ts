// The HTML report as an offline replay in real Chromium, opened from disk as a reader opens it:
// it requests nothing but itself and logs no CSP violation; its timeline cursor moves by drag and
// by keys (Home, End, arrows), showing the time and each line's value there and highlighting the
// events near it in the table; a finding's witness selects that event (record and causes in the
// panel, the page staying where it is) and a cause selects that one. Hostile text reaches the
// panel as text. Screenshots at 1400x1000 go to test-artifacts/report-*.png.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatTime } from "../../sim/core/units.js";
import { toHtmlReport } from "../../sim/export/html-report.js";
import { shortNumber } from "../../sim/export/html-text.js";
import type { ReportSeries } from "../../sim/export/report-data.js";
import { Telemetry } from "../../sim/engine/telemetry.js";
import { EventLog } from "../../sim/log/chain.js";
import { browserAvailable, CHROMIUM_PATH, launchChromium } from "../helpers/chromium.js";
import { crossfire } from "../helpers/cli.js";
import { repoPath } from "../helpers/scenarios.js";

const FILE = "scenarios/dynamodb-dns-race.yaml";

describe.skipIf(!browserAvailable)(`the HTML report as an offline replay in Chromium (${CHROMIUM_PATH})`, () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), "crossfire-report-replay-"));
  const report = join(dir, "dns-race.html");
  const url = pathToFileURL(report).href;

  beforeAll(async () => {
    const r = crossfire(["export", FILE, "--variant", "blind", "--format", "html", "--out", report]);
    expect(r.code).toBe(0);
    browser = await launchChromium();
    mkdirSync(repoPath("test-artifacts"), { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens `target` at 1400x1000, recording every request, console message and page error. */
  async function open(target: string): Promise<{ page: Page; requests: string[]; messages: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const requests: string[] = [];
    const messages: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
    page.on("dialog", (d) => {
      messages.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(target, { waitUntil: "load" });
    return { page, requests, messages };
  }

  const readout = (page: Page) => page.$$eval("[data-series]", (cells) => cells.map((c) => [Number(c.getAttribute("data-series")), c.textContent ?? ""] as [number, string]));

  it("requests nothing but itself and logs no error or CSP violation", async () => {
    const { page, requests, messages } = await open(url);
    await page.waitForTimeout(300);
    expect(requests).toEqual([url]);
    expect(messages).toEqual([]);
    // It opens with the incident summary: the verdict as two facts, the root cause selected.
    const first = await page.$eval("body", (b) => {
      const summary = document.getElementById("summary")!.getBoundingClientRect();
      return { summaryTop: summary.top, beforeTimeline: summary.bottom <= document.getElementById("timeline")!.getBoundingClientRect().top };
    });
    expect(first.summaryTop).toBeLessThan(100);
    expect(first.beforeTimeline).toBe(true);
    expect(await page.textContent(`[data-fact=expectations] .fact-text`)).toBe("outage reproduced as expected (16/16)");
    expect(await page.getAttribute(`[data-fact=system]`, "data-state")).toBe("outage");
    expect(await page.textContent(`[data-fact=system] .fact-text`)).toMatch(/^outage: /);
    // The scenario file's description, not the variant's: published facts and simulator choices apart, the source linked.
    expect(await page.$$eval("details[data-part]", (ds) => ds.map((d) => d.getAttribute("data-part")))).toEqual(["facts", "choices"]);
    expect(await page.getAttribute(".source a", "href")).toBe("https://aws.amazon.com/message/101925/");
    const rootSeq = await page.getAttribute(".root-cause", "data-seq");
    expect(await page.getAttribute("#selected-record", "data-seq")).toBe(rootSeq);
    // The script ran (under its hash): the filter counted the rows, the cursor has a time.
    expect(await page.textContent("#shown")).toMatch(/^\d+ of \d+ rows$/);
    expect(await page.textContent("#cursor-time")).toMatch(/^\d\d:\d\d:\d\d/);
    await page.screenshot({ path: repoPath("test-artifacts/report-summary.png") });
    await page.close();
  }, 60_000);

  it("moves the cursor by keys and by drag, showing the time and values there and highlighting nearby events", async () => {
    const { page, messages } = await open(url);
    const series = await page.$eval("#crossfire-series", (el) => JSON.parse(el.textContent ?? "") as ReportSeries);
    const endMs = series.endMs;
    /** What the readout must show for line `i` at time `t`: the last kept sample at or before t. */
    const expected = (i: number, t: number) => {
      const line = series.lines[i];
      let at = 0;
      let value: number | null | undefined;
      line.t.forEach((d, k) => {
        at += d;
        if (at <= t) value = line.v[k];
      });
      return value === null || value === undefined ? "–" : shortNumber(value);
    };
    const scrubber = page.locator("#scrubber");
    await scrubber.focus();
    await page.keyboard.press("End");
    expect(await scrubber.getAttribute("aria-valuenow")).toBe(String(endMs));
    expect(await scrubber.getAttribute("aria-valuetext")).toBe(`${formatTime(endMs)} of ${formatTime(endMs)}`);
    expect(await page.textContent("#cursor-time")).toBe(formatTime(endMs));
    const atEnd = await readout(page);
    for (const [i, text] of atEnd) expect(text).toBe(expected(i, endMs));
    await page.keyboard.press("Home");
    expect(await scrubber.getAttribute("aria-valuenow")).toBe("0");
    await page.keyboard.press("ArrowRight");
    expect(Number(await scrubber.getAttribute("aria-valuenow"))).toBe(Math.round(endMs / 100));
    await page.keyboard.press("Shift+ArrowRight");
    expect(Number(await scrubber.getAttribute("aria-valuenow"))).toBe(Math.round(Math.round(endMs / 100) + endMs / 10));

    // Drag across the first chart's plot from 20% to 60% of the run.
    const chart = (await page.locator("#scrubber svg.chart").first().boundingBox())!;
    const xAt = (fraction: number) => chart.x + ((56 + fraction * 916) / 1000) * chart.width;
    await page.mouse.move(xAt(0.2), chart.y + chart.height / 2);
    await page.mouse.down();
    expect(Math.abs(Number(await scrubber.getAttribute("aria-valuenow")) - 0.2 * endMs)).toBeLessThan(endMs / 100);
    await page.mouse.move(xAt(0.6), chart.y + chart.height / 2, { steps: 8 });
    await page.mouse.up();
    const t = Number(await scrubber.getAttribute("aria-valuenow"));
    expect(Math.abs(t - 0.6 * endMs)).toBeLessThan(endMs / 100);
    expect(await page.textContent("#cursor-time")).toBe(formatTime(t));
    const atT = await readout(page);
    for (const [i, text] of atT) expect(text).toBe(expected(i, t));
    // At least one value differs from the end of the run: the readout follows the cursor.
    expect(atT.map(([, v]) => v)).not.toEqual(atEnd.map(([, v]) => v));
    // The cursor line sits where the pointer let go.
    const line = (await page.locator("#scrubber line.cursor").first().boundingBox())!;
    expect(Math.abs(line.x + line.width / 2 - xAt(0.6))).toBeLessThan(chart.width / 100);

    // The events near the cursor are highlighted and scrolled into the table's box.
    const near = await page.$$eval("table.events tr[data-near]", (rows) => rows.map((r) => Number(r.getAttribute("data-t"))));
    expect(near.length).toBeGreaterThan(0);
    const all = await page.$$eval("table.events tbody tr", (rows) => rows.map((r) => Number(r.getAttribute("data-t"))));
    const lastBefore = Math.max(...all.filter((x) => x <= t));
    for (const x of near) expect(Math.abs(x - t) <= endMs / 200 || x === lastBefore).toBe(true);
    const inBox = await page.$eval("table.events tr[data-near]", (row) => {
      const box = document.getElementById("events-box")!.getBoundingClientRect();
      const r = row.getBoundingClientRect();
      return r.top >= box.top && r.bottom <= box.bottom;
    });
    expect(inBox).toBe(true);
    await page.locator("#timeline").scrollIntoViewIfNeeded();
    await page.screenshot({ path: repoPath("test-artifacts/report-cursor.png") });
    expect(messages).toEqual([]);
    await page.close();
  }, 60_000);

  it("selects a finding's witness (record and causes in the panel) and then one of its causes", async () => {
    const { page, messages } = await open(url);
    const witness = page.locator("#findings .witnesses a[href^='#seq-']").nth(1);
    const seq = Number((await witness.getAttribute("href"))!.slice(5));
    await witness.scrollIntoViewIfNeeded();
    const scrollY = await page.evaluate(() => window.scrollY);
    await witness.click();
    const panel = page.locator("#selected-record");
    await expect.poll(() => panel.getAttribute("data-seq")).toBe(String(seq));
    expect(await panel.isVisible()).toBe(true);
    // The page stays where the reader is; the panel is in view beside it.
    expect(await page.evaluate(() => window.scrollY)).toBe(scrollY);
    const box = (await panel.boundingBox())!;
    expect(box.y).toBeLessThan(1000);
    expect(box.x).toBeGreaterThan(900);
    expect(await page.evaluate(() => location.hash)).toBe(`#seq-${seq}`);
    const record = await page.$eval(`#crossfire-events`, (el, s) => (JSON.parse(el.textContent ?? "") as { seq: number; actor: string; type: string; causes: number[] }[]).find((r) => r.seq === s)!, seq);
    expect(await panel.locator("[data-field=actor] dd").textContent()).toBe(record.actor);
    expect(await panel.locator("[data-field=type] dd").textContent()).toBe(record.type);
    expect(await page.getAttribute(`#seq-${seq}`, "class")).toContain("selected");
    // Its causes, each a link; the cursor moved to the event's time.
    const causes = panel.locator("[data-testid=causes] a");
    expect(await causes.allTextContents()).toEqual(record.causes.slice(0, 200).map((c) => `#${c}`));
    expect(record.causes.length).toBeGreaterThan(0);
    await page.screenshot({ path: repoPath("test-artifacts/report-selected.png") });
    const cause = record.causes[record.causes.length - 1];
    await causes.last().click();
    await expect.poll(() => panel.getAttribute("data-seq")).toBe(String(cause));
    expect(await page.getAttribute(`#seq-${cause}`, "class")).toContain("selected");
    expect(await page.getAttribute(`#seq-${seq}`, "class")).not.toContain("selected");
    // The event it came from is listed under "Led to".
    expect(await panel.locator("[data-testid=effects] a").allTextContents()).toContain(`#${seq}`);
    // Clicking a finding selects its root cause (or first witness).
    await page.locator("#findings .finding h3").first().click();
    const pick = await page.getAttribute("#findings .finding", "data-select-seq");
    await expect.poll(() => panel.getAttribute("data-seq")).toBe(pick);
    expect(messages).toEqual([]);
    await page.close();
  }, 60_000);

  it("shows hostile names, actors and targets in the panel and readout as text", async () => {
    const evil = `</script><img src=x onerror=alert(1)>`;
    const log = new EventLog();
    log.append({ t: 0, type: "run.started", actor: "engine", data: {}, causes: [] });
    log.append({ t: 1000, type: "fault.started", actor: `fault${evil}`, target: `web${evil}`, data: { effect: evil }, causes: [0] });
    log.append({ t: 2000, type: "replicas.scaled", actor: `perf${evil}`, target: `web${evil}`, data: { knob: "replicas", from: 1, to: 2, reason: evil }, causes: [1] });
    const telemetry = new Telemetry([`web${evil}`], ["errorRate", "latencyMsP95", "replicas"], 3);
    for (let i = 0; i < 3; i++) telemetry.values.set([i / 10, 20 + i, 2], telemetry.beginSample(i * 1000));
    const hostile = join(dir, "hostile.html");
    writeFileSync(
      hostile,
      toHtmlReport({
        scenario: { name: `name${evil}`, description: evil },
        seed: 1,
        finalHash: log.headHash,
        log: log.all(),
        telemetry,
        findings: [{ kind: "thrashing", severity: "warning", from: 1000, to: 2000, subjects: [], actors: [], components: [], witnesses: [2], rootCauses: [1], metrics: {}, explanation: [`by ${evil}`] }],
        scenarioText: `name: x\n# ${evil}\n`,
      }),
    );
    const { page, requests, messages } = await open(pathToFileURL(hostile).href);
    await page.click(`#findings .witnesses a[href="#seq-2"]`);
    const panel = page.locator("#selected-record");
    await expect.poll(() => panel.getAttribute("data-seq")).toBe("2");
    expect(await panel.locator("[data-field=actor] dd").textContent()).toBe(`perf${evil}`);
    expect(await panel.locator("[data-field=target] dd").textContent()).toBe(`web${evil}`);
    expect(await panel.textContent()).toContain(evil);
    await panel.locator("[data-testid=causes] a").first().click();
    await expect.poll(() => panel.getAttribute("data-seq")).toBe("1");
    expect(await panel.locator("[data-field=actor] dd").textContent()).toBe(`fault${evil}`);
    expect(await page.textContent("#cursor-readout")).toContain(`web${evil}`);
    expect(await page.$$("img")).toHaveLength(0);
    expect(requests.filter((r) => r.split("#")[0] !== pathToFileURL(hostile).href)).toEqual([]);
    expect(messages).toEqual([]);
    await page.close();
  }, 60_000);
});

if (!browserAvailable) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM_PATH}`);
}
