// The scenario editor in real Chromium: a typo in a key re-runs after the debounce, fails with the
// problem shown at its line (gutter mark and a list item that moves the caret there), and fixing
// it runs again with the marks gone. Switching the scenario file reloads the editor's text.
import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useApp } from "../helpers/app.js";
import { browserAvailable } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";

describe.skipIf(!browserAvailable)("scenario editor in Chromium", () => {
  const app = useApp();

  it("shows an unknown key inline at its line, with the hint, and clears it when fixed", async () => {
    const page = await app.open();
    expect(await page.getAttribute("#status", "data-status")).toBe("done");
    const editor = page.locator("#editor textarea");
    const original = await editor.inputValue();
    expect(original).toContain("replicas: 6");
    const at = original.indexOf("replicas: 6");
    const line = original.slice(0, at).split("\n").length;
    const col = at - original.lastIndexOf("\n", at - 1);
    expect(await page.getAttribute("#editor", "data-errors")).toBe("0");

    await editor.fill(original.replace("replicas: 6", "replica: 6"));
    await page.waitForSelector('#status[data-status="error"]', { timeout: 30_000 });
    expect(await page.getAttribute("#editor", "data-errors")).toBe("1");
    const gutterMark = page.locator(`#editor .ed-gutter [data-error-line="${line}"]`);
    expect(await gutterMark.count()).toBe(1);
    expect(await page.locator("#editor .ed-gutter [data-error-line]").count()).toBe(1);
    const item = page.locator(`#editor .ed-problems [data-error-line="${line}"]`);
    const message = await item.textContent();
    expect(message).toContain("unknown key `replica`");
    expect(message).toContain("did you mean `replicas`");
    expect(await gutterMark.getAttribute("title")).toContain("unknown key `replica`");

    // The list item is a keyboard link to line:col: Enter moves the caret there and focuses the editor.
    await item.focus();
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.classList.contains("ed-text"))).toBe(true);
    const caret = await editor.evaluate((el) => (el as HTMLTextAreaElement).selectionStart);
    const typo = original.replace("replicas: 6", "replica: 6");
    expect(typo.slice(0, caret).split("\n").length).toBe(line);
    expect(caret - typo.lastIndexOf("\n", caret - 1)).toBe(col);
    mkdirSync(repoPath("test-artifacts"), { recursive: true });
    await page.locator("#editor").screenshot({ path: repoPath("test-artifacts/editor.png") });

    // Tab inserts two spaces (and does not leave the editor).
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.classList.contains("ed-text"))).toBe(true);
    expect((await editor.inputValue()).split("\n")[line - 1]).toBe("      replica: 6");

    // Fix it: the next run succeeds and the marks disappear.
    await editor.fill(original);
    await page.waitForSelector('#status[data-status="done"]', { timeout: 30_000 });
    expect(await page.getAttribute("#editor", "data-errors")).toBe("0");
    expect(await page.locator("#editor [data-error-line]").count()).toBe(0);
    // The store echoing the editor's own run back does not replace the text.
    expect(await editor.inputValue()).toBe(original);
    await page.close();
  }, 90_000);

  it("reloads the text when another scenario file is picked, not on cursor changes", async () => {
    const page = await app.open();
    const editor = page.locator("#editor textarea");
    const before = await editor.inputValue();
    await page.selectOption("[data-testid=scenario-picker]", "scenarios/retry-storm.yaml");
    await page.waitForSelector('#editor[data-scenario-file="scenarios/retry-storm.yaml"]');
    await page.waitForSelector('#status[data-status="done"]', { timeout: 30_000 });
    const after = await editor.inputValue();
    expect(after).not.toBe(before);
    expect(after.length).toBeGreaterThan(0);
    // Typing (without a re-run yet) survives cursor moves while playback runs.
    await editor.focus();
    await page.keyboard.press("End");
    await page.keyboard.type("#");
    await page.evaluate(() => new Promise((r) => setTimeout(r, 150)));
    expect((await editor.inputValue()).length).toBe(after.length + 1);
    await page.close();
  }, 90_000);
});
