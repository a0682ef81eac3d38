// The time charts in real Chromium on dynamodb-dns-race (blind): the timeline's legends name every
// plotted series and every strip mark; the shared crosshair's tooltip lists each series' value at
// the hovered time (the telemetry's own value there); dragging a range zooms the timeline and the
// agent lanes together, and the reset button, double-click and the keyboard undo it; each finding
// has its sparkline; latency is not drawn where nothing succeeded; the axis's end is inside its panel.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { runScenario } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { useApp } from "../helpers/app.js";
import { browserAvailable, CHROMIUM_PATH } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";

/** The plot inside a chart's SVG (MARGIN in ui/views/timeline.ts). */
const PLOT_LEFT = 52;
const PLOT_RIGHT = 16;
const FILE = "scenarios/dynamodb-dns-race.yaml";
const QUERY = "?scenario=dynamodb-dns-race&variant=blind";

describe.skipIf(!browserAvailable)(`time charts in Chromium (${CHROMIUM_PATH})`, () => {
  const app = useApp();
  const run = runScenario(loadVariant(readFileSync(repoPath(FILE), "utf8"), FILE, "blind").scenario);
  const durationMs = run.scenario.durationMs;

  /** Client x of `fraction` of the plot of the timeline chart for `signal`, and its vertical middle. */
  async function plotPoint(page: Page, signal: string, fraction: number): Promise<{ x: number; y: number }> {
    const svg = page.locator(`#timeline [data-signal="${signal}"] svg`);
    await svg.scrollIntoViewIfNeeded();
    const box = (await svg.boundingBox())!;
    return { x: box.x + PLOT_LEFT + fraction * (box.width - PLOT_LEFT - PLOT_RIGHT), y: box.y + box.height / 2 };
  }

  async function windowOf(page: Page, panel: string): Promise<[number, number]> {
    return [Number(await page.getAttribute(panel, "data-from-ms")), Number(await page.getAttribute(panel, "data-to-ms"))];
  }

  it("legends name every plotted series and every strip mark; the finding's components are shown", async () => {
    const page = await app.open(QUERY);
    const components = ((await page.getAttribute("#timeline", "data-components")) ?? "").split(",");
    // The outage's three phases: the DNS race (ddb-dns), the retry storm (dwfm), the NLB flapping (nlb, az-*).
    for (const c of ["ddb-dns", "dwfm", "nlb", "az-a", "az-b", "az-c", "front"]) expect(components).toContain(c);
    for (const signal of ["errorRate", "latencyMsP95", "loadRps", "replicas", "costPerHour"]) {
      const chart = page.locator(`#timeline [data-signal="${signal}"]`);
      const plotted = await chart.locator("svg .tl-line[data-series]").evaluateAll((els) => els.map((e) => e.getAttribute("data-series")).sort());
      const legend = await chart.locator("figcaption [data-series]").evaluateAll((els) => els.map((e) => e.getAttribute("data-series")).sort());
      expect(plotted).toEqual(components.map((c) => `${c}.${signal}`).sort());
      expect(legend).toEqual(plotted);
      // Each legend item's swatch is its line's colour.
      const pairs = await chart.locator("figcaption [data-series]").evaluateAll((els) => els.map((e) => [e.getAttribute("data-colour"), document.querySelector(`#timeline [data-signal] svg .tl-line[data-series="${e.getAttribute("data-series")}"]`)?.getAttribute("stroke")]));
      for (const [a, b] of pairs) expect(a).toBe(b);
    }
    const marks = await page.locator('[data-testid="timeline-strip-legend"] [data-legend-mark]').evaluateAll((els) => els.map((e) => e.getAttribute("data-legend-mark")));
    expect(marks).toEqual(expect.arrayContaining(["critical", "warning", "fault", "noSuccess"]));
    expect(await page.locator('[data-testid="timeline-strip-legend"]').textContent()).toMatch(/no successful requests/);

    // Selecting the flapping finding shows its component and its own series (az-a.healthy).
    const flapping = page.locator('#findings button[data-kind="flapping"]').first();
    await flapping.click();
    await page.waitForSelector('#timeline [data-signal="finding:az-a.healthy"] .tl-line');
    expect(await page.getAttribute("#timeline", "data-components")).toBe("az-a");
    await page.close();
  }, 90_000);

  it("latency is not drawn where nothing succeeded: the line breaks and the stretch is hatched", async () => {
    const page = await app.open(QUERY);
    const hatch = page.locator('#timeline [data-signal="latencyMsP95"] .tl-no-success');
    expect(await hatch.count()).toBeGreaterThan(0);
    const from = Number(await hatch.first().getAttribute("data-from"));
    const to = Number(await hatch.first().getAttribute("data-to"));
    expect(to - from).toBeGreaterThan(60_000);
    // front's error rate is 1 there in the telemetry, and its latency path has a gap (2+ subpaths).
    const row = Array.from(run.telemetry.times.subarray(0, run.telemetry.count)).findIndex((ms) => ms >= from + 1000);
    expect(run.telemetry.series("front", "errorRate")[row]).toBe(1);
    const d = (await page.getAttribute('#timeline [data-signal="latencyMsP95"] .tl-line[data-series="front.latencyMsP95"]', "d")) ?? "";
    expect(d.match(/M/g)?.length ?? 0).toBeGreaterThan(1);
    await page.close();
  }, 90_000);

  it("hovering a chart shows the crosshair in every time panel and a tooltip with each series' value at that time", async () => {
    const page = await app.open(QUERY);
    const at = await plotPoint(page, "loadRps", 0.55);
    await page.mouse.move(at.x, at.y);
    const tip = page.locator('[data-testid="timeline-tooltip"]');
    await tip.waitFor({ state: "visible" });
    const ms = Number(await tip.getAttribute("data-ms"));
    expect(Math.abs(ms / durationMs - 0.55)).toBeLessThan(0.02);
    // Every plotted series has a cell; its value is the telemetry's at that time.
    const components = ((await page.getAttribute("#timeline", "data-components")) ?? "").split(",");
    const cells = await tip.locator("td[data-series]").evaluateAll((els) => els.map((e) => ({ series: e.getAttribute("data-series")!, value: e.getAttribute("data-value")!, text: e.textContent! })));
    expect(cells.length).toBe(components.length * 5);
    const t = run.telemetry;
    let row = 0;
    while (row + 1 < t.count && t.times[row + 1] <= ms) row++;
    for (const signal of ["loadRps", "errorRate", "replicas"]) {
      for (const c of components) {
        const cell = cells.find((x) => x.series === `${c}.${signal}`)!;
        expect(Number(cell.value), cell.series).toBeCloseTo(t.series(c, signal)[row], 3);
      }
    }
    // Formatted for people, with units.
    expect(cells.find((x) => x.series === "nlb.loadRps")!.text).toMatch(/^[\d.]+( k)? req\/s$/);
    for (const cell of cells) expect(cell.text).not.toMatch(/e[+-]\d/);
    // The crosshair is drawn in every chart and in the agent lanes, at the same time.
    expect(await page.locator("#timeline .tl-hover:not([hidden])").count()).toBeGreaterThanOrEqual(6);
    const lanesHover = page.locator("#lanes .lanes-hover");
    expect(await lanesHover.isVisible()).toBe(true);
    // Leaving hides it everywhere.
    await page.mouse.move(2, 2);
    await tip.waitFor({ state: "hidden" });
    expect(await lanesHover.isVisible()).toBe(false);
    await page.close();
  }, 90_000);

  it("dragging a range zooms the timeline and the lanes together; reset, double-click and the keyboard undo it", async () => {
    const page = await app.open(QUERY);
    expect(await windowOf(page, "#timeline")).toEqual([0, durationMs]);
    const a = await plotPoint(page, "replicas", 0.25);
    const b = await plotPoint(page, "replicas", 0.5);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 6 });
    await page.mouse.up();
    const [from, to] = await windowOf(page, "#timeline");
    expect(Math.abs(from / durationMs - 0.25)).toBeLessThan(0.01);
    expect(Math.abs(to / durationMs - 0.5)).toBeLessThan(0.01);
    const [lanesFrom, lanesTo] = await windowOf(page, "#lanes");
    expect(Math.abs(lanesFrom - from)).toBeLessThanOrEqual(2);
    expect(Math.abs(lanesTo - to)).toBeLessThanOrEqual(2);
    // The axis now shows the window: its first tick is at or after its start.
    const firstTick = await page.locator("#timeline .tl-bottom-axis .tick text").first().textContent();
    expect(firstTick).not.toBe("00:00");

    const reset = page.locator('[data-testid="timeline-reset-zoom"]');
    expect(await reset.isVisible()).toBe(true);
    await reset.click();
    expect(await windowOf(page, "#timeline")).toEqual([0, durationMs]);
    expect(await windowOf(page, "#lanes")).toEqual([0, durationMs]);
    expect(await reset.isVisible()).toBe(false);

    // Keyboard: + on a focused chart zooms in about the cursor (lanes follow), 0 resets.
    await page.locator('#timeline [data-signal="replicas"] svg').focus();
    await page.keyboard.press("+");
    const [kFrom, kTo] = await windowOf(page, "#timeline");
    expect(kTo - kFrom).toBeLessThanOrEqual(durationMs / 2 + 1);
    const [lkFrom, lkTo] = await windowOf(page, "#lanes");
    expect(Math.abs(lkTo - lkFrom - (kTo - kFrom))).toBeLessThanOrEqual(2);
    await page.keyboard.press("0");
    expect(await windowOf(page, "#timeline")).toEqual([0, durationMs]);

    // Wheel-zooming the lanes zooms the timeline too; double-click on a chart resets both.
    const lanes = page.locator("#lanes .lanes-scroll svg");
    await lanes.scrollIntoViewIfNeeded();
    const box = (await lanes.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + 20);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -200);
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>("#lanes")!.dataset.zoom) > 1.5);
    await page.waitForFunction(() => Number(document.querySelector("#timeline")!.getAttribute("data-to-ms")) - Number(document.querySelector("#timeline")!.getAttribute("data-from-ms")) < 5_000_000);
    const [wFrom, wTo] = await windowOf(page, "#lanes");
    const [tFrom, tTo] = await windowOf(page, "#timeline");
    expect(Math.abs(wFrom - tFrom)).toBeLessThanOrEqual(2);
    expect(Math.abs(wTo - tTo)).toBeLessThanOrEqual(2);
    const c = await plotPoint(page, "loadRps", 0.5);
    await page.mouse.dblclick(c.x, c.y);
    expect(await windowOf(page, "#timeline")).toEqual([0, durationMs]);
    expect(await windowOf(page, "#lanes")).toEqual([0, durationMs]);
    await page.close();
  }, 90_000);

  it("each finding has a sparkline of its knob or signal with its interval shaded and its witnesses marked", async () => {
    const page = await app.open(QUERY);
    const findings = page.locator("#findings li.finding");
    const n = await findings.count();
    expect(n).toBeGreaterThan(3);
    for (let i = 0; i < n; i++) {
      const chart = findings.nth(i).locator("svg.finding-chart");
      expect(await chart.count(), `finding ${i}`).toBe(1);
      expect(await chart.getAttribute("data-series")).toMatch(/^[\w-]+\.\S+$/);
      expect(await chart.locator(".fc-interval").count()).toBe(1);
      expect(Number(await chart.getAttribute("data-witness-marks"))).toBeGreaterThan(0);
      const box = (await chart.boundingBox())!;
      expect(box.width).toBeGreaterThanOrEqual(150);
      expect(box.height).toBeLessThanOrEqual(60);
    }
    const flapping = page.locator('#findings li.finding:has(button[data-kind="flapping"])').first();
    expect(await flapping.locator("svg.finding-chart").getAttribute("data-series")).toMatch(/\.healthy$/);
    // A summed duration says what it measures.
    expect(await flapping.locator(".meta").textContent()).toMatch(/lasted \d+m.*unhealthy \d+m( \d+s)? in total/);
    await page.close();
  }, 90_000);

  for (const viewport of [{ width: 1400, height: 1000 }, { width: 1024, height: 700 }]) {
    // cost-vs-performance (the default) lasts 4h: its last tick is at the axis's very end.
    it(`the time axes' last labels are inside their panels at ${viewport.width}x${viewport.height}`, async () => {
      const page = await app.open("");
      await page.setViewportSize(viewport);
      await page.waitForTimeout(300);
      for (const [panel, axis] of [["#timeline", "#timeline .tl-bottom-axis"], ["#timeline", "#timeline .tl-strip"], ["#lanes", "#lanes .lanes-axis"]]) {
        const inside = await page.evaluate(([p, a]) => {
          const box = document.querySelector(p)!.getBoundingClientRect();
          const labels = Array.from(document.querySelectorAll(`${a} .tick text`));
          const last = labels[labels.length - 1]!.getBoundingClientRect();
          return { count: labels.length, right: last.right, panelRight: box.right - 1 };
        }, [panel, axis]);
        expect(inside.count, axis).toBeGreaterThan(2);
        expect(inside.right, axis).toBeLessThanOrEqual(inside.panelRight);
      }
      await page.close();
    }, 90_000);
  }
});

if (!browserAvailable) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM_PATH}`);
}
