// The compare view in real Chromium: the shown variant next to another one run in the view's own
// worker, their figures, aligned sparklines and the first divergence in meaning; switching the
// main variant re-runs and compares against another variant.
import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useApp } from "../helpers/app.js";
import { browserAvailable, CHROMIUM_PATH } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";

describe.skipIf(!browserAvailable)(`compare view in Chromium (${CHROMIUM_PATH})`, () => {
  const app = useApp();

  it("compares blind with coordinated, moves the cursor to the divergence, and follows the variant picker", async () => {
    const page = await app.open();
    expect(await page.getAttribute("#status", "data-status")).toBe("done");
    expect(await page.textContent("#compare h2")).toMatch(/compare/i);
    await page.waitForSelector('#compare[data-status="done"] [data-side="b"]', { timeout: 60_000 });
    expect(await page.getAttribute("#compare", "data-other-variant")).toBe("coordinated");
    expect(await page.getAttribute('#compare [data-side="a"][data-findings]', "data-variant")).toBe("blind");
    expect(await page.getAttribute('#compare [data-side="b"][data-findings]', "data-variant")).toBe("coordinated");
    expect(await page.getAttribute('#compare [data-side="a"][data-findings]', "data-findings")).toMatch(/thrashing=\d+/);
    expect(await page.getAttribute('#compare [data-side="b"][data-findings]', "data-findings")).not.toMatch(/thrashing/);
    expect(Number(await page.getAttribute('#compare [data-side="b"][data-findings]', "data-rejected"))).toBeGreaterThan(0);

    // The first divergence in meaning: cost's write applied in blind, rejected by the lease in coordinated.
    const divergence = page.locator("#compare [data-testid=divergence]");
    expect(await divergence.getAttribute("data-seq")).toBe("2");
    expect(await divergence.getAttribute("data-kind")).toBe("outcome");
    // Record #0 binds the variant (issue 13), so two variants' hash chains part there at once.
    expect(await divergence.getAttribute("data-chain-seq")).toBe("0");
    expect(await page.textContent("#compare [data-testid=divergence-sentence]")).toBe("cost's write web.replicas 8 -> 6 at 00:03:00 was applied in blind (#2) and rejected by lease in coordinated (#2): web.replicas is leased to perf for the whole run");
    expect(await page.getAttribute('#compare dd[data-side="b"]', "data-type")).toBe("command.rejected");
    expect(await divergence.textContent()).toMatch(/#2 /);
    // The headline says each side's record in words a person can check in the event views.
    expect(await page.textContent("#compare [data-testid=divergence-headline]")).toBe("First divergence at 00:03:00: in blind (a), cost set web.replicas 8 -> 6 (#2); in coordinated (b), the write was rejected by the lease on the knob (#2)");
    // What a and b are is said before they are used.
    expect(await page.textContent("#compare [data-testid=compare-explain]")).toMatch(/^a is the run shown in the app \(blind, seed \d+\); b is the same scenario and seed run with the coordinated variant/);

    // The run and its counterfactual overlaid: both series on one axis, with a legend.
    const overlay = page.locator("#compare [data-testid=overlay-chart]");
    expect(await overlay.getAttribute("data-series")).toBe("2");
    for (const side of ["a", "b"]) {
      expect(Number(await overlay.locator(`polyline[data-series="${side}"]`).getAttribute("data-points"))).toBeGreaterThan(1);
    }
    expect(await overlay.locator(".ov-legend").textContent()).toMatch(/a: blind \(shown\).*b: coordinated/);
    // Picking another series redraws both lines for it.
    const series = await page.locator("#compare [data-testid=overlay-series] option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(series.length).toBeGreaterThan(1);
    await page.selectOption("#compare [data-testid=overlay-series]", series[1]);
    expect(`${await overlay.getAttribute("data-component")}\u0001${await overlay.getAttribute("data-signal")}`).toBe(series[1]);
    expect(await overlay.locator("polyline[data-series]").count()).toBe(2);

    // The side tables wrap between findings, never inside a word: each finding is one line box.
    const broken = await page.$$eval("#compare .cmp-side td .nowrap", (spans) => spans.filter((s) => s.getClientRects().length !== 1).map((s) => s.textContent));
    expect(broken).toEqual([]);
    expect(await page.locator("#compare .cmp-side td .nowrap").count()).toBeGreaterThanOrEqual(1);

    // Sparklines: error rate and replicas of web, one row per side, under one cursor line.
    for (const side of ["a", "b"]) {
      for (const signal of ["errorRate", "replicas"]) {
        expect(await page.locator(`#compare g[data-side="${side}"][data-component="web"][data-signal="${signal}"] polyline`).count()).toBe(1);
      }
    }
    expect(await page.locator("#compare .cmp-axis .tick").count()).toBeGreaterThan(1);

    // The button moves the whole UI's cursor to the divergence and pauses.
    await page.click("#compare [data-testid=divergence-go]");
    expect(await page.getAttribute("[data-testid=play]", "data-playing")).toBe("false");
    const cursorMs = await page.getAttribute("[data-testid=clock]", "data-cursor-ms");
    expect(await page.getAttribute("#compare svg.cmp-sparks", "data-cursor-ms")).toBe(cursorMs);
    // The cursor line (a div over the sparklines) sits on the plot, right of the 150 px of labels.
    const cursorX = await page.$eval("#compare .cmp-cursor", (el) => Number(/translateX\((-?[\d.]+)px\)/.exec((el as HTMLElement).style.transform)?.[1]));
    expect(cursorX).toBeGreaterThanOrEqual(150);

    mkdirSync(repoPath("test-artifacts"), { recursive: true });
    await page.locator("#compare").screenshot({ path: repoPath("test-artifacts/compare.png") });

    // Switch the main variant: the main run re-runs and the compare view picks another variant.
    const hashBefore = await page.getAttribute("[data-testid=verdict]", "data-final-hash");
    await page.selectOption("[data-testid=variant-picker]", "coordinated");
    await page.waitForFunction((before) => document.querySelector("#status")?.getAttribute("data-status") === "done" && document.querySelector("[data-testid=verdict]")?.getAttribute("data-final-hash") !== before, hashBefore, { timeout: 60_000 });
    await page.waitForSelector('#compare[data-status="done"] [data-side="a"][data-variant="coordinated"]', { timeout: 60_000 });
    const otherVariant = await page.getAttribute("#compare", "data-other-variant");
    expect(otherVariant).not.toBe("coordinated");
    expect(["blind", "cooldown"]).toContain(otherVariant);
    expect(await page.getAttribute('#compare [data-side="b"][data-findings]', "data-variant")).toBe(otherVariant);
    expect(await page.getAttribute('#compare [data-side="a"][data-findings]', "data-final-hash")).toBe(await page.getAttribute("[data-testid=verdict]", "data-final-hash"));

    // The compare picker chooses among the others.
    await page.selectOption("#compare [data-testid=compare-variant]", "cooldown");
    await page.waitForSelector('#compare[data-status="done"] [data-side="b"][data-variant="cooldown"]', { timeout: 60_000 });
    expect(await page.getAttribute("#compare", "data-other-variant")).toBe("cooldown");
    await page.close();
  }, 180_000);

  // Seqs and hashes of this scenario change with its world model: assert on who did what.
  it("names enactor-a's stale write in dynamodb-dns-race, with the hidden-field differences before it", async () => {
    const page = await app.open("?scenario=dynamodb-dns-race");
    await page.waitForSelector('#compare[data-status="done"] [data-side="b"][data-variant="coordinated"]', { timeout: 120_000 });
    const divergence = page.locator("#compare [data-testid=divergence]");
    expect(await divergence.getAttribute("data-kind")).toBe("outcome");
    expect(await page.textContent("#compare [data-testid=divergence-sentence]")).toMatch(/^enactor-a's write ddb-dns\.plan \d+ -> \d+ at 00:08:\S+ was applied in blind \(#\d+\) and rejected by compareAndSet in coordinated \(#\d+\): stale write/);
    expect(await page.textContent("#compare [data-testid=divergence-headline]")).toMatch(/^First divergence at 00:08:02: in blind \(a\), enactor-a set ddb-dns\.plan \d+ -> \d+ \(#\d+\); in coordinated \(b\), the write was rejected by the version check \(compare-and-set\) \(#\d+\)$/);
    expect(await page.getAttribute('#compare dd[data-side="a"]', "data-type")).toBe("record.updated");
    expect(await page.getAttribute('#compare dd[data-side="b"]', "data-type")).toBe("command.rejected");
    expect(Number(await divergence.getAttribute("data-hidden"))).toBeGreaterThan(0);
    expect(await page.getAttribute("#compare .div-hidden li", "data-fields")).toContain("data.expectedVersion");
    expect(Number(await divergence.getAttribute("data-chain-seq"))).toBeLessThan(Number(await divergence.getAttribute("data-seq")));
    await page.close();
  }, 180_000);
});

if (!browserAvailable) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM_PATH}`);
}
