// The what-if view in real Chromium: from a selected event, block the command, mute its actor, or
// turn another variant's policies on from the cursor; each altered run goes to the view's own
// worker and the view shows the prefix check, the first divergence in meaning and both runs' figures.
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useApp } from "../helpers/app.js";
import { browserAvailable, CHROMIUM_PATH } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";

/** Clicks `button` and waits for the what-if run it starts to finish. */
async function runWhatIf(page: Page, button: string): Promise<void> {
  await page.click(button);
  await page.waitForSelector('#whatif[data-status="running"], #whatif[data-status="done"]', { timeout: 10_000 });
  await page.waitForSelector('#whatif[data-status="done"] [data-side="whatif"][data-findings]', { timeout: 60_000 });
}

function count(findings: string | null, kind: string): number {
  const m = new RegExp(`(?:^|,)${kind}=(\\d+)`).exec(findings ?? "");
  return m ? Number(m[1]) : 0;
}

describe.skipIf(!browserAvailable)(`what-if view in Chromium (${CHROMIUM_PATH})`, () => {
  const app = useApp();

  it("blocks a command, mutes an agent and turns policies on from the selected event", async () => {
    const page = await app.open();
    expect(await page.getAttribute("#status", "data-status")).toBe("done");
    expect(await page.textContent("#whatif h2")).toMatch(/what if/i);
    expect(await page.getAttribute("#whatif", "data-status")).toBe("idle");
    // Nothing selected: nothing to block or mute.
    expect(await page.isDisabled("[data-testid=whatif-block]")).toBe(true);
    expect(await page.isDisabled("[data-testid=whatif-mute]")).toBe(true);

    // Select cost's first scale-in (#2) in the event table.
    const row = page.locator('#events [data-seq="2"]');
    expect(await row.count()).toBe(1);
    expect(await row.getAttribute("data-actor")).toBe("cost");
    await row.click();
    expect(await page.getAttribute("#whatif .wi-selected", "data-seq")).toBe("2");
    expect(await page.isDisabled("[data-testid=whatif-block]")).toBe(false);
    expect(await page.textContent("[data-testid=whatif-mute]")).toBe("Mute cost from here");

    // Re-run without this command: the logs part at #2, where the what-if run logs a suppression.
    await runWhatIf(page, "[data-testid=whatif-block]");
    const divergence = page.locator("#whatif [data-testid=whatif-divergence]");
    expect(await divergence.getAttribute("data-seq")).toBe("2");
    expect(await page.textContent("#whatif .wi-prefix")).toMatch(/^Identical up to #1 \(hash [0-9a-f]{12} in both\); they diverge at #2\./);
    expect(await page.getAttribute('#whatif dd[data-side="whatif"]', "data-type")).toBe("command.suppressed");
    expect(await page.textContent("#whatif [data-testid=divergence-sentence]")).toBe("cost's write web.replicas 8 -> 6 at 00:03:00 was applied in original (#2) and suppressed by the intervention (block #2) in what if (#2)");
    expect(await page.textContent('#whatif dd[data-side="whatif"]')).toMatch(/^#2 .*cost: .*suppressed/);
    expect(await page.textContent('#whatif dd[data-side="original"]')).toMatch(/^#2 .*cost: web\.replicas 8 -> 6/);
    // The headline names what a person sees differ: the write and its suppression, not a hash.
    expect(await page.textContent("#whatif [data-testid=divergence-headline]")).toBe("First divergence at 00:03:00: in the original run, cost set web.replicas 8 -> 6 (#2); in the what-if run, the write was suppressed by the what-if's intervention (#2)");
    // Both runs overlaid on one time axis, with a legend naming them.
    const overlay = page.locator("#whatif [data-testid=overlay-chart]");
    expect(await overlay.getAttribute("data-series")).toBe("2");
    for (const side of ["a", "b"]) {
      expect(Number(await overlay.locator(`polyline[data-series="${side}"]`).getAttribute("data-points"))).toBeGreaterThan(1);
    }
    expect(await overlay.locator(".ov-legend").textContent()).toMatch(/a: original.*b: what if/);
    // The table never overflows its panel (a narrow panel scrolls it sideways instead).
    const panelRight = await page.$eval("#whatif", (el) => el.getBoundingClientRect().right);
    expect(await page.$eval("#whatif .wi-sides-wrap", (el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(panelRight);
    const original = await page.getAttribute('#whatif [data-side="original"][data-findings]', "data-findings");
    expect(count(original, "thrashing")).toBeGreaterThan(0);
    expect(await page.getAttribute('#whatif [data-side="original"][data-findings]', "data-final-hash")).toBe(await page.getAttribute("[data-testid=verdict]", "data-final-hash"));

    // Mute cost from here: the divergence is at or after the selected event, and the thrashing
    // is gone or shorter.
    await runWhatIf(page, "[data-testid=whatif-mute]");
    expect(Number(await divergence.getAttribute("data-seq"))).toBeGreaterThanOrEqual(2);
    const muted = await page.getAttribute('#whatif [data-side="whatif"][data-findings]', "data-findings");
    const originalMs = count(await page.getAttribute('#whatif [data-side="original"][data-findings]', "data-findings-ms"), "thrashing");
    const mutedMs = count(await page.getAttribute('#whatif [data-side="whatif"][data-findings]', "data-findings-ms"), "thrashing");
    expect(count(muted, "thrashing") < count(original, "thrashing") || mutedMs < originalMs).toBe(true);

    // Turn on the coordinated variant's policies from the cursor (still at #2): commands get rejected.
    await page.selectOption("#whatif [data-testid=whatif-variant]", "coordinated");
    expect(await page.textContent("[data-testid=whatif-policy]")).toMatch(/coordinated's policies from here/);
    await runWhatIf(page, "[data-testid=whatif-policy]");
    expect(Number(await page.getAttribute('#whatif [data-side="whatif"][data-findings]', "data-rejected"))).toBeGreaterThan(0);
    expect(Number(await page.getAttribute('#whatif [data-side="original"][data-findings]', "data-rejected"))).toBe(0);

    // The button moves the whole UI's cursor to the divergence.
    const seq = await divergence.getAttribute("data-seq");
    await page.click("#whatif [data-testid=whatif-go]");
    expect(await page.getAttribute("#whatif .wi-selected", "data-seq")).toBe(seq);
    expect(await page.getAttribute("[data-testid=play]", "data-playing")).toBe("false");

    mkdirSync(repoPath("test-artifacts"), { recursive: true });
    await page.locator("#whatif").screenshot({ path: repoPath("test-artifacts/whatif.png") });
    await page.close();
  }, 240_000);
});

if (!browserAvailable) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM_PATH}`);
}
