// The timeline, event table, topology and findings extend themselves as a run streams in instead
// of rebuilding: once the run is complete, what they built piece by piece must equal what they
// draw from the whole run at once (the timeline's lines after a redraw, the table's rows and the
// topology's labels against Node's log), and the findings arrive with the complete run.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { runScenario } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { useApp } from "../helpers/app.js";
import { editorReady } from "../helpers/editor.js";
import { browserAvailable } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";

// The UI benchmark's scenario cut to 2 h: ~20 k records, streamed in several chunks.
const TEXT = readFileSync(repoPath("bench/scenarios/ui-100k.yaml"), "utf8").replace(/^duration: 10h$/m, "duration: 2h");

/** Every timeline polyline's points, as numbers, by signal and component. Runs in the page. */
function linePoints(): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const line of Array.from(document.querySelectorAll<SVGPolylineElement>("#timeline polyline[data-component]"))) {
    const signal = line.closest<HTMLElement>("[data-signal]")!.dataset.signal!;
    out[`${signal}/${line.dataset.component}`] = Array.from(line.points, (p) => [p.x, p.y]).flat();
  }
  return out;
}

async function submit(page: Page, text: string): Promise<{ partials: number; rowsSeen: number[] }> {
  await editorReady(page);
  return page.evaluate(async (text) => {
    const status = document.querySelector<HTMLElement>("#status")!;
    const before = status.dataset.runId;
    // The editor's hook (ui/views/editor.ts EditorHook), then Ctrl-Enter on CodeMirror's content.
    const editor = document.querySelector<HTMLElement & { crossfireEditor: { edit(t: string): void } }>("#editor")!;
    editor.crossfireEditor.edit(text);
    editor.querySelector(".cm-content")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true, cancelable: true }));
    let partials = 0;
    const rowsSeen: number[] = [];
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r));
      if (status.dataset.runId === before) continue;
      if (status.dataset.complete === "false") {
        partials++;
        rowsSeen.push(Number(document.querySelector<HTMLElement>("#events")!.dataset.rows));
      }
      if (status.dataset.status === "done" || status.dataset.status === "error") return { partials, rowsSeen };
    }
  }, text);
}

describe.skipIf(!browserAvailable)("views extended while a run streams in", () => {
  const app = useApp();

  it("end equal to the views drawn from the whole run", async () => {
    const node = runScenario(loadVariant(TEXT, "ui-2h.yaml").scenario);
    const page = await app.open();
    const { partials, rowsSeen } = await submit(page, TEXT);
    expect(await page.getAttribute("#status", "data-status")).toBe("done");
    expect(partials, "frames drawn from a partial run").toBeGreaterThan(0);
    for (let i = 1; i < rowsSeen.length; i++) expect(rowsSeen[i]).toBeGreaterThanOrEqual(rowsSeen[i - 1]);

    // Event table: one row per record but the engine's wakes, read chunk by chunk.
    const rows = node.log.filter((r) => r.type !== "wake").length;
    expect(Number(await page.getAttribute("#events", "data-rows"))).toBe(rows);
    // A filter re-reads the whole log: the same count once cleared.
    await page.selectOption("[data-testid=filter-actor]", "perf0");
    expect(Number(await page.getAttribute("#events", "data-rows"))).toBe(node.log.filter((r) => r.actor === "perf0" && r.type !== "wake").length);
    await page.selectOption("[data-testid=filter-actor]", "");
    expect(Number(await page.getAttribute("#events", "data-rows"))).toBe(rows);

    // Findings and the verdict came with the complete run.
    expect(Number(await page.getAttribute("#findings", "data-findings"))).toBeGreaterThan(0);
    expect(await page.locator("#findings [data-finding-index]").count()).toBe(Number(await page.getAttribute("#findings", "data-findings")));
    expect(await page.textContent("#findings .verdict")).toMatch(/^[✓✗○] (outage reproduced as expected|degradation reproduced as expected|prevented as expected|expectations met|expectations not met|not judged|run stopped early)/);

    // Topology: at the end of the run each service shows the replicas of its last logged change.
    await page.evaluate(() => {
      const scrub = document.querySelector<HTMLInputElement>("[data-testid=scrub]")!;
      scrub.value = scrub.max;
      scrub.dispatchEvent(new Event("input", { bubbles: true }));
    });
    const lastReplicas = new Map<string, string>();
    for (const r of node.log) if (r.data.knob === "replicas" && r.target && r.type !== "command.rejected" && r.data.to !== undefined) lastReplicas.set(r.target, String(r.data.to));
    for (const service of ["svc0", "svc17", "svc39"]) {
      expect(await page.getAttribute(`#topology [data-component="${service}"] [data-knob="replicas"]`, "data-value")).toBe(lastReplicas.get(service));
    }

    // Timeline: the lines extended chunk by chunk equal the lines drawn from scratch (a toggle
    // off and on redraws them from the whole run).
    const streamed = await page.evaluate(linePoints);
    expect(Object.keys(streamed).length).toBeGreaterThan(0);
    const shown = (await page.getAttribute("#timeline", "data-components"))!.split(",");
    const toggle = page.locator(`#timeline .tl-toggle[data-component="${shown[0]}"]`);
    await toggle.click();
    expect((await page.getAttribute("#timeline", "data-components"))!.split(",")).not.toContain(shown[0]);
    await toggle.click();
    const redrawn = await page.evaluate(linePoints);
    expect(Object.keys(redrawn).sort()).toEqual(Object.keys(streamed).sort());
    for (const key of Object.keys(redrawn)) {
      expect(streamed[key].length, key).toBe(redrawn[key].length);
      expect(streamed[key].length, key).toBeGreaterThan(100);
      for (let i = 0; i < redrawn[key].length; i++) expect(Math.abs(streamed[key][i] - redrawn[key][i]), `${key} #${i}`).toBeLessThan(0.051);
    }
    await page.close();
  }, 180_000);
});
