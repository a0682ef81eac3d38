// Group series in real Chromium: a scenario with groups typed into the editor runs, and the
// timeline panel offers its group series (`cells.sum.replicas`) and draws the chosen one; a
// scenario without groups shows no chooser.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useApp } from "../helpers/app.js";
import { setEditorText } from "../helpers/editor.js";
import { browserAvailable, CHROMIUM_PATH } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";

describe.skipIf(!browserAvailable)(`group series in Chromium (${CHROMIUM_PATH})`, () => {
  const app = useApp();

  it("offers and plots a group's aggregate series, and none for a scenario without groups", async () => {
    const page = await app.open();
    expect(await page.getAttribute("#status", "data-status")).toBe("done");
    expect(await page.locator("#timeline .tl-groups").isHidden()).toBe(true);

    await setEditorText(page, readFileSync(repoPath("docs/examples/zone-capacity.yaml"), "utf8"));
    await page.waitForSelector("#timeline .tl-groups:not([hidden])", { timeout: 30_000 });
    const options = await page.locator("#timeline .tl-groups option").allTextContents();
    expect(options).toContain("cells.sum.replicas");
    expect(options).toContain("zone-a.avg.utilization");
    await page.selectOption("#timeline .tl-groups select", "cells.sum.replicas");
    expect(await page.getAttribute("#timeline .tl-groups", "data-series")).toBe("cells.sum.replicas");
    expect(((await page.getAttribute("#timeline .tl-group-chart polyline", "points")) ?? "").split(" ").length).toBeGreaterThan(100);
    // The editor runs the first variant, blind: the fleet falls from 72 to 39 replicas.
    expect(await page.textContent("#timeline .tl-group-caption")).toContain("cells.sum.replicas: min 39, max 72");
  });
});
