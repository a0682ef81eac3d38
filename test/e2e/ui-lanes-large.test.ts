// Agent lanes on canvas for a large run, in real Chromium: a generated scenario (perf/cost pairs
// thrashing 16 services for 90 minutes, ~8 k records; a cross-actor cooldown on four of them
// rejects some commands) is run through the editor. The lanes switch to canvas, and still select
// a tick by click and by keyboard, draw rejected commands visibly, zoom and pan time, and scroll
// rows. The SVG lanes of a small run zoom too.
import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { useApp } from "../helpers/app.js";
import { setEditorText } from "../helpers/editor.js";
import { browserAvailable } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";
import { thrashingScenario } from "../helpers/thrashing-scenario.js";

const SERVICES = 16;
const DURATION_MS = 90 * 60_000;

/** The scenario text: `cooled` services' replicas share a 1-minute cooldown, which rejects commands. */
function largeScenario(services: number, cooled: number): string {
  const knobs = Array.from({ length: cooled }, (_, i) => `svc${i}.replicas`).join(", ");
  return thrashingScenario({
    name: "lanes-large",
    description: "perf/cost pairs thrashing replicas, for the lanes canvas test",
    pairs: services,
    duration: "90m",
    variants: ["  cooled:", "    description: a cross-actor cooldown on some services' replicas rejects commands of both agents", "    coordination:", `      cooldown: { knobs: [${knobs}], cooldown: 1m }`],
  });
}

const lanes = async (page: Page, name: string): Promise<string | null> => page.getAttribute("#lanes", `data-${name}`);
const num = async (page: Page, name: string): Promise<number> => Number(await lanes(page, name));

describe.skipIf(!browserAvailable)("agent lanes on canvas (large run)", () => {
  const app = useApp();

  it("switches to canvas and keeps click, keyboard, rejected marks, zoom and scrolling", async () => {
    const page = await app.open();
    expect(await lanes(page, "render")).toBe("svg");

    // Watch the lanes while the run streams in: every partial run is drawn on canvas and only grows.
    await page.evaluate(() => {
      const lanes = document.querySelector<HTMLElement>("#lanes")!;
      const seen: { agents: string; render: string; ticks: number }[] = [];
      (window as unknown as { lanesSeen: typeof seen }).lanesSeen = seen;
      new MutationObserver(() => seen.push({ agents: lanes.dataset.agents ?? "", render: lanes.dataset.render ?? "", ticks: Number(lanes.dataset.ticks) })).observe(lanes, { attributes: true, attributeFilter: ["data-ticks", "data-render"] });
    });
    await setEditorText(page, largeScenario(SERVICES, 4));
    // A DOM click: the run the edit starts after its pause shifts the panels while Playwright aims.
    await page.$eval("[data-testid=editor-run]", (b) => (b as HTMLButtonElement).click());
    await page.waitForFunction((agents) => document.querySelector<HTMLElement>("#status")!.dataset.status === "done" && document.querySelector<HTMLElement>("#lanes")!.dataset.agents === String(agents), 2 * SERVICES, { timeout: 60_000 });
    if ((await page.getAttribute("[data-testid=play]", "data-playing")) === "true") await page.click("[data-testid=play]");

    expect(await lanes(page, "render")).toBe("canvas");
    const seen = (await page.evaluate(() => (window as unknown as { lanesSeen: { agents: string; render: string; ticks: number }[] }).lanesSeen)).filter((e) => e.agents === String(2 * SERVICES));
    expect(seen.length).toBeGreaterThan(0);
    for (let i = 0; i < seen.length; i++) {
      expect(seen[i].render).toBe("canvas");
      if (i > 0) expect(seen[i].ticks).toBeGreaterThanOrEqual(seen[i - 1].ticks);
    }
    expect(await num(page, "items")).toBeGreaterThan(3000);
    expect(await num(page, "ticks")).toBeGreaterThan(3000);
    expect(await num(page, "rejected")).toBeGreaterThan(0);
    // At full zoom a rejected command shares its pixel column with applied ones and still shows.
    expect(await num(page, "rejected-drawn")).toBeGreaterThan(0);
    expect(await page.locator("#lanes [data-agent][tabindex]").count()).toBe(2 * SERVICES);
    expect(await page.locator("#lanes [data-seq]").count()).toBe(0);
    expect(await page.locator('#lanes [data-legend-kind="rejected"]').count()).toBe(1);
    expect(await page.locator("#lanes [data-legend-state]").count()).toBeGreaterThanOrEqual(2);
    expect(await lanes(page, "zoom")).toBe("1.00");
    expect(await num(page, "from-ms")).toBe(0);
    expect(await num(page, "to-ms")).toBe(DURATION_MS);

    // Select a rejected command from the event table: the lanes mark it, and its mark is drawn
    // in the rejected outline colour (#b42318) on the static layer.
    await page.selectOption("[data-testid=filter-type]", "command.rejected");
    const row = page.locator("#events .event-row[data-seq]").nth(2);
    const rejectedSeq = Number(await row.getAttribute("data-seq"));
    const rejectedActor = (await row.getAttribute("data-actor"))!;
    await row.click();
    await page.waitForSelector(`#lanes[data-selected-seq="${rejectedSeq}"][data-selected-drawn="true"]`);
    const mark = { x: await num(page, "selected-x"), y: await num(page, "selected-y") };
    const red = await page.evaluate(({ x, y }) => {
      const canvas = document.querySelector<HTMLCanvasElement>("#lanes .lanes-static")!;
      const dpr = window.devicePixelRatio || 1;
      const d = canvas.getContext("2d")!.getImageData(Math.round((x - 4) * dpr), Math.round((y - 8) * dpr), Math.round(9 * dpr), Math.round(16 * dpr)).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] === 0xb4 && d[i + 1] === 0x23 && d[i + 2] === 0x18) n++;
      return n;
    }, mark);
    expect(red).toBeGreaterThan(4);

    // Hovering the mark describes the command.
    const overlay = page.locator("#lanes .lanes-overlay");
    await overlay.hover({ position: mark });
    await page.waitForSelector("#lanes .lanes-tip:not([hidden])");
    expect(await page.textContent("#lanes .lanes-tip")).toContain("REJECTED");

    // Keyboard on the agent's row: ] selects its next command, [ comes back.
    await page.focus(`#lanes [data-agent="${rejectedActor}"]`);
    await page.keyboard.press("]");
    await page.waitForFunction((seq) => Number(document.querySelector<HTMLElement>("#lanes")!.dataset.selectedSeq) > seq, rejectedSeq);
    const nextSeq = await num(page, "selected-seq");
    await page.waitForSelector(`#detail[data-seq="${nextSeq}"]`);
    expect(await page.textContent('#detail [data-field="actor"]')).toBe(rejectedActor);
    await page.keyboard.press("[");
    await page.waitForSelector(`#lanes[data-selected-seq="${rejectedSeq}"]`);

    // Clicking the canvas where the rejected mark is drawn selects it (hit test by row and time).
    await page.keyboard.press("]");
    await page.waitForSelector(`#lanes[data-selected-seq="${nextSeq}"]`);
    await overlay.click({ position: mark });
    await page.waitForSelector(`#detail[data-seq="${rejectedSeq}"]`);
    expect(await page.textContent('#detail [data-field="type"]')).toBe("command.rejected");
    mkdirSync(repoPath("test-artifacts"), { recursive: true });
    await page.locator("#lanes").screenshot({ path: repoPath("test-artifacts/lanes-canvas.png") });

    // Wheel zooms time about the pointer; drag pans it; double-click shows the whole run again.
    const box = (await overlay.boundingBox())!;
    await page.mouse.move(box.x + mark.x, box.y + mark.y);
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -200);
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>("#lanes")!.dataset.zoom) > 4);
    const zoomedFrom = await num(page, "from-ms");
    const zoomedTo = await num(page, "to-ms");
    expect(zoomedTo - zoomedFrom).toBeLessThan(DURATION_MS / 4);
    await page.waitForSelector('#lanes[data-selected-drawn="true"]');
    await page.locator("#lanes").screenshot({ path: repoPath("test-artifacts/lanes-canvas-zoomed.png") });
    await page.mouse.move(box.x + box.width / 2, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 150, box.y + 20, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((from) => Number(document.querySelector<HTMLElement>("#lanes")!.dataset.fromMs) < from, zoomedFrom);
    await overlay.dblclick({ position: { x: box.width / 2, y: 20 } });
    await page.waitForSelector('#lanes[data-zoom="1.00"]');
    expect(await num(page, "to-ms")).toBe(DURATION_MS);

    // 32 rows do not fit the view: the last agent's row scrolls into view and the canvas follows.
    const scroller = page.locator("#lanes .lanes-scroll");
    expect(await scroller.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    await page.focus(`#lanes [data-agent="cost${SERVICES - 1}"]`);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#lanes .lanes-scroll")!.scrollTop > 0);
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#lanes")!.dataset.selectedDrawn === "true");
    expect(await page.textContent('#detail [data-field="actor"]')).toBe(`cost${SERVICES - 1}`);
    await page.close();
  }, 120_000);

  it("zooms the SVG lanes of a small run too", async () => {
    const page = await app.open();
    if ((await page.getAttribute("[data-testid=play]", "data-playing")) === "true") await page.click("[data-testid=play]");
    expect(await lanes(page, "render")).toBe("svg");
    const duration = await num(page, "to-ms");
    const tick = page.locator("#lanes [data-kind=change]").nth(5);
    const xBefore = Number(await tick.getAttribute("x"));
    // The lanes sit below the summary and the timeline: bring them into view, so the wheel lands on them.
    await page.locator("#lanes svg[role=group]").scrollIntoViewIfNeeded();
    const box = (await page.locator("#lanes svg[role=group]").boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 20);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -200);
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>("#lanes")!.dataset.zoom) > 2);
    expect((await num(page, "to-ms")) - (await num(page, "from-ms"))).toBeLessThan(duration / 2);
    expect(Number(await tick.getAttribute("x"))).not.toBe(xBefore);
    await page.click("[data-testid=lanes-reset-zoom]");
    await page.waitForSelector('#lanes[data-zoom="1.00"]');
    expect(Number(await tick.getAttribute("x"))).toBe(xBefore);
    await page.close();
  }, 60_000);
});
