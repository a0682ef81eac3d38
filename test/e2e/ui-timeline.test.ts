// The timeline view in real Chromium: charts per signal for the default components, scrubbing by
// clicking on a chart moves the cursor and the values at it, dragging zooms, finding bands move the transport's
// clock to the finding's start, and faults are marked.
import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { useApp } from "../helpers/app.js";
import { browserAvailable, CHROMIUM_PATH } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";

/** Left margin of a chart's plot inside its SVG (MARGIN.left in ui/views/timeline.ts). */
const PLOT_LEFT = 52;
const PLOT_RIGHT = 16;

describe.skipIf(!browserAvailable)(`timeline in Chromium (${CHROMIUM_PATH})`, () => {
  const app = useApp();

  /** Clicks the replicas chart at `fraction` of the plot's width; returns cursor and value. */
  async function scrubTo(page: Page, fraction: number): Promise<{ cursorMs: number; value: string }> {
    const svg = page.locator('#timeline [data-signal="replicas"] svg');
    const box = (await svg.boundingBox())!;
    await page.mouse.click(box.x + PLOT_LEFT + fraction * (box.width - PLOT_LEFT - PLOT_RIGHT), box.y + box.height / 2);
    const cursorMs = Number(await page.getAttribute('#timeline [data-signal="replicas"] [data-cursor-ms]', "data-cursor-ms"));
    const value = (await page.getAttribute('#timeline [data-signal="replicas"] [data-value]', "data-value")) ?? "";
    return { cursorMs, value };
  }

  it("draws the default scenario's signals, scrubs on click and drag, and jumps to a finding", async () => {
    const page = await app.open();
    expect(await page.getAttribute("#status", "data-status")).toBe("done");
    expect(await page.textContent("#timeline h2")).toMatch(/timeline/i);
    const components = (await page.getAttribute("#timeline", "data-components")) ?? "";
    expect(components.split(",")).toContain("web");
    expect(components.split(",").length).toBeLessThanOrEqual(4);
    for (const signal of ["errorRate", "latencyMsP95", "loadRps", "replicas", "costPerHour"]) {
      // Latency is a path (it breaks where nothing succeeded); the others polylines.
      expect(await page.locator(`#timeline [data-signal="${signal}"] .tl-line`).count()).toBeGreaterThan(0);
    }

    // Click at several positions: the cursor follows the click, playback pauses, and the replicas
    // value at the cursor differs somewhere (the agents keep changing web.replicas).
    const first = await scrubTo(page, 0.05);
    expect(await page.getAttribute('[data-testid="play"]', "data-playing")).toBe("false");
    expect(await page.getAttribute('[data-testid="clock"]', "data-cursor-ms")).toBe(String(first.cursorMs));
    expect(first.value).toMatch(/web=\d+/);
    const values = new Set([first.value]);
    let previousMs = first.cursorMs;
    for (const fraction of [0.2, 0.35, 0.5, 0.65, 0.8, 0.95]) {
      const next = await scrubTo(page, fraction);
      expect(next.cursorMs).toBeGreaterThan(previousMs);
      previousMs = next.cursorMs;
      values.add(next.value);
    }
    expect(values.size).toBeGreaterThan(1);

    // Dragging across a chart selects a range and zooms to it (issue 17: drag-to-zoom shared by
    // the time panels; a click still moves the cursor, and stays where the drag started).
    const svg = page.locator('#timeline [data-signal="replicas"] svg');
    const box = (await svg.boundingBox())!;
    const plotWidth = box.width - PLOT_LEFT - PLOT_RIGHT;
    const durationMs = 4 * 3_600_000;
    await page.mouse.move(box.x + PLOT_LEFT + 0.1 * plotWidth, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + PLOT_LEFT + 0.6 * plotWidth, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const after = Number(await page.getAttribute('[data-testid="clock"]', "data-cursor-ms"));
    expect(Math.abs(after / durationMs - 0.1)).toBeLessThan(0.02);
    expect(Math.abs(Number(await page.getAttribute("#timeline", "data-from-ms")) / durationMs - 0.1)).toBeLessThan(0.02);
    expect(Math.abs(Number(await page.getAttribute("#timeline", "data-to-ms")) / durationMs - 0.6)).toBeLessThan(0.02);
    await page.click('[data-testid="timeline-reset-zoom"]');
    expect(await page.getAttribute("#timeline", "data-to-ms")).toBe(String(durationMs));

    // A finding band: clicking it moves the transport's clock to the finding's start.
    const band = page.locator("#timeline [data-finding-index]").first();
    expect(await band.count()).toBe(1);
    const from = await band.getAttribute("data-from");
    await band.click();
    expect(await page.getAttribute('[data-testid="clock"]', "data-cursor-ms")).toBe(from);
    expect(await band.getAttribute("data-selected")).toBe("true");
    expect(await page.getAttribute('#timeline [data-signal="replicas"] [data-cursor-ms]', "data-cursor-ms")).toBe(from);

    mkdirSync(repoPath("test-artifacts"), { recursive: true });
    await page.locator("#timeline").screenshot({ path: repoPath("test-artifacts/timeline.png") });
    await page.close();
  }, 90_000);

  it("marks faults on retry-storm", async () => {
    const page = await app.open("?scenario=retry-storm");
    expect(await page.getAttribute("#status", "data-status")).toBe("done");
    const faults = page.locator("#timeline [data-fault]");
    expect(await faults.count()).toBeGreaterThan(0);
    expect(await faults.first().getAttribute("data-fault")).toMatch(/\S/);
    await page.locator("#timeline").screenshot({ path: repoPath("test-artifacts/timeline-retry-storm.png") });
    await page.close();
  }, 90_000);
});

if (!browserAvailable) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM_PATH}`);
}
