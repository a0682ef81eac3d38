// The scenario editor (CodeMirror 6) in real Chromium: a typo in a key re-runs after the debounce
// and fails with the problem shown at its line (a diagnostic and a list item that moves the caret
// there); YAML errors are linted as typed; the schema completes keys and documents them on hover;
// undo, Ctrl-Enter, reloading on another file; Share puts the edited text in the URL's fragment,
// which a new page opens and runs, and a corrupt or oversized fragment is an error, not a crash.
import { mkdirSync, readFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useApp } from "../helpers/app.js";
import { browserAvailable } from "../helpers/chromium.js";
import { editorDiagnostics, editorReady, editorText, setEditorText } from "../helpers/editor.js";
import { repoPath } from "../helpers/scenarios.js";

const SCHEMA = JSON.parse(readFileSync(repoPath("schema/scenario.schema.json"), "utf8")) as { properties: Record<string, { description: string }> };

/** The 1-based line and column of `needle` in `text`. */
function lineColOf(text: string, needle: string): { line: number; col: number } {
  const at = text.indexOf(needle);
  expect(at, `${needle} in the text`).toBeGreaterThanOrEqual(0);
  return { line: text.slice(0, at).split("\n").length, col: at - text.lastIndexOf("\n", at - 1) };
}

/** The caret's 1-based line (the active line's gutter number) and column (from the DOM selection). */
async function caret(page: Page): Promise<{ line: number; col: number }> {
  return page.evaluate(() => {
    const sel = document.getSelection()!;
    const lineEl = (sel.anchorNode instanceof Element ? sel.anchorNode : sel.anchorNode!.parentElement)!.closest(".cm-line")!;
    const range = document.createRange();
    range.setStart(lineEl, 0);
    range.setEnd(sel.anchorNode!, sel.anchorOffset);
    return { line: Number(document.querySelector("#editor .cm-activeLineGutter")!.textContent), col: range.toString().length + 1 };
  });
}

/** Puts the caret at the end of the line holding `needle` (scrolled into view). */
async function caretToEndOf(page: Page, needle: string): Promise<void> {
  const line = page.locator("#editor .cm-line", { hasText: needle }).first();
  await line.scrollIntoViewIfNeeded();
  await line.click();
  await page.keyboard.press("End");
}

describe.skipIf(!browserAvailable)("scenario editor in Chromium", () => {
  const app = useApp();

  it("shows an unknown key as a diagnostic at its line, with the hint, and clears it when fixed", async () => {
    const page = await app.open();
    expect(await page.getAttribute("#status", "data-status")).toBe("done");
    const original = await editorText(page);
    expect(original).toContain("replicas: 6");
    const { line, col } = lineColOf(original, "replicas: 6");
    expect(await page.getAttribute("#editor", "data-errors")).toBe("0");
    // The content is a labelled textbox described by the help text.
    const content = page.locator("#editor .cm-content");
    expect(await content.getAttribute("aria-label")).toBe("Scenario YAML");
    expect(await content.getAttribute("aria-describedby")).toBe("ed-help");

    const typo = original.replace("replicas: 6", "replica: 6");
    await setEditorText(page, typo);
    await page.waitForSelector('#status[data-status="error"]', { timeout: 30_000 });
    expect(await page.getAttribute("#editor", "data-errors")).toBe("1");
    const item = page.locator(`#editor .ed-problems [data-error-line="${line}"]`);
    const message = await item.textContent();
    expect(message).toContain("unknown key `replica`");
    expect(message).toContain("did you mean `replicas`");
    // The run's problem is a CodeMirror diagnostic at its line:col, underlining the key.
    await expect.poll(async () => (await editorDiagnostics(page)).filter((d) => d.source === "Crossfire").length, { timeout: 10_000 }).toBe(1);
    const fromRun = (await editorDiagnostics(page)).filter((d) => d.source === "Crossfire");
    expect(fromRun[0]).toMatchObject({ line, col, severity: "error" });
    expect(fromRun[0].message).toContain("did you mean `replicas`");
    expect(await page.locator("#editor .cm-lintRange-error", { hasText: /^replica$/ }).count()).toBeGreaterThan(0);

    // The list item is a keyboard link to line:col: Enter moves the caret there and focuses the editor.
    await item.focus();
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.classList.contains("cm-content"))).toBe(true);
    expect(await caret(page)).toEqual({ line, col });
    mkdirSync(repoPath("test-artifacts"), { recursive: true });
    await page.locator("#editor").screenshot({ path: repoPath("test-artifacts/editor.png") });

    // Tab indents the line (and does not leave the editor).
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.classList.contains("cm-content"))).toBe(true);
    expect((await editorText(page)).split("\n")[line - 1]).toBe("      replica: 6");

    // Fix it: the next run succeeds and the marks disappear.
    await setEditorText(page, original);
    await page.waitForSelector('#status[data-status="done"]', { timeout: 30_000 });
    expect(await page.getAttribute("#editor", "data-errors")).toBe("0");
    expect(await page.locator("#editor [data-error-line]").count()).toBe(0);
    await page.waitForFunction(() => document.querySelectorAll("#editor .cm-lintRange-error").length === 0);
    // The lint pass that drops the run's diagnostic runs after CodeMirror's lint delay.
    await expect.poll(async () => (await editorDiagnostics(page)).filter((d) => d.severity === "error"), { timeout: 10_000 }).toEqual([]);
    // The store echoing the editor's own run back does not replace the text.
    expect(await editorText(page)).toBe(original);
    await page.close();
  }, 90_000);

  it("lints a YAML syntax error at its line while typing, before any run", async () => {
    const page = await app.open();
    const original = await editorText(page);
    const { line } = lineColOf(original, "seed: 42");
    await caretToEndOf(page, "seed: 42");
    const runId = await page.getAttribute("#status", "data-run-id");
    await page.keyboard.type(": 43");
    await page.waitForFunction(() => document.querySelectorAll("#editor .cm-lint-marker-error").length > 0, undefined, { timeout: 10_000 });
    const yamlErrors = (await editorDiagnostics(page)).filter((d) => d.source === "YAML");
    expect(yamlErrors.length).toBeGreaterThan(0);
    expect(yamlErrors[0].line).toBe(line);
    // The gutter's error marker sits on that line's number.
    const rows = await page.evaluate(() => {
      const top = (el: Element) => Math.round(el.closest(".cm-gutterElement")!.getBoundingClientRect().top);
      const marker = document.querySelector("#editor .cm-lint-marker-error")!;
      const numbers = Array.from(document.querySelectorAll("#editor .cm-lineNumbers .cm-gutterElement"));
      return { marker: top(marker), number: numbers.find((n) => Math.round(n.getBoundingClientRect().top) === top(marker))?.textContent };
    });
    expect(rows.number).toBe(String(line));
    // Linted before the debounced run reported anything about this text.
    expect(await page.getAttribute("#status", "data-run-id")).toBe(runId);
    await page.close();
  }, 90_000);

  it("completes schema keys at the top level and shows a key's schema description on hover", async () => {
    const page = await app.open();
    await editorReady(page);
    // Keys the scenario already has are not offered again: `components` is there, `coordination` is not.
    await caretToEndOf(page, "seed: 42");
    await page.keyboard.press("Enter");
    await page.keyboard.type("co");
    const labels = page.locator("#editor .cm-tooltip-autocomplete .cm-completionLabel");
    await labels.first().waitFor({ timeout: 10_000 });
    expect(await labels.allTextContents()).toEqual(["coordination"]);
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+z");

    // In an empty document every top-level key is offered, with its type and description.
    const original = await editorText(page);
    await page.keyboard.press("Control+a");
    await page.keyboard.press("Backspace");
    await page.keyboard.type("co");
    await page.waitForFunction(() => document.querySelectorAll("#editor .cm-tooltip-autocomplete .cm-completionLabel").length >= 2, undefined, { timeout: 10_000 });
    expect(await labels.allTextContents()).toEqual(expect.arrayContaining(["components", "coordination"]));
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+a");
    await page.keyboard.type("a");
    // Typing re-runs the text after a pause (an error here); let that land before choosing, so the
    // re-run's diagnostics do not close the list between the choice and Enter.
    await page.waitForSelector('#status[data-status="error"]', { timeout: 30_000 });
    if ((await page.locator("#editor .cm-tooltip-autocomplete").count()) === 0) await page.keyboard.press("Control+Space");
    await page.waitForFunction(() => Array.from(document.querySelectorAll("#editor .cm-tooltip-autocomplete .cm-completionLabel")).some((l) => l.textContent === "agents"), undefined, { timeout: 10_000 });
    // Enter accepts it: the key is inserted as YAML.
    while ((await page.locator("#editor .cm-tooltip-autocomplete li[aria-selected] .cm-completionLabel").textContent()) !== "agents") await page.keyboard.press("ArrowDown");
    // CodeMirror ignores Enter for 75 ms after the list opens or updates (autocomplete's
    // interactionDelay, against accepting a list that appeared under a typing hand).
    await page.waitForTimeout(300);
    await page.keyboard.press("Enter");
    expect(await editorText(page)).toMatch(/^agents:/);
    await setEditorText(page, original);
    await page.waitForSelector('#status[data-status="done"]', { timeout: 30_000 });

    // Hover over the `name` key: the schema's description of `name`.
    const key = page.locator("#editor .cm-line", { hasText: /^name:/ }).first().locator(".tok-propertyName");
    const hover = page.locator("#editor .cm-tooltip-hover [data-testid=editor-hover]");
    // The page above the editor can still reflow after the run (summary, findings), moving the key
    // from under a pointer placed once: aim at where the key is now until the card shows.
    await expect
      .poll(
        async () => {
          await key.scrollIntoViewIfNeeded();
          const box = (await key.boundingBox())!;
          await page.mouse.move(box.x + box.width / 2 - 3, box.y + box.height / 2);
          await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
          return hover.isVisible();
        },
        { timeout: 15_000, interval: 600 },
      )
      .toBe(true);
    expect(await hover.textContent()).toContain(SCHEMA.properties.name.description);
    await page.locator("#editor").screenshot({ path: repoPath("test-artifacts/editor-hover.png") });
    await page.close();
  }, 90_000);

  it("undoes typing with Ctrl-Z, and Ctrl-Enter runs at once", async () => {
    const page = await app.open();
    const original = await editorText(page);
    await caretToEndOf(page, "name: cost-vs-performance");
    // One input event (typing key by key on a loaded machine can span several undo groups).
    await page.keyboard.insertText("-undone");
    expect(await editorText(page)).toBe(original.replace("name: cost-vs-performance", "name: cost-vs-performance-undone"));
    await page.keyboard.press("Control+z");
    expect(await editorText(page)).toBe(original);
    await page.keyboard.press("Control+Shift+z");
    expect(await editorText(page)).toContain("name: cost-vs-performance-undone");
    await page.keyboard.press("Control+Enter");
    await page.waitForFunction(() => document.querySelector("#status")!.textContent!.startsWith("cost-vs-performance-undone"), undefined, { timeout: 30_000 });

    // Ctrl-Enter runs at once, not after the pause that follows an edit (checked in one task, so no timer can fire in between).
    const states = await page.$eval("#editor", (root) => {
      (root as HTMLElement & { crossfireEditor: { edit(t: string): void; text(): string } }).crossfireEditor.edit(
        (root as HTMLElement & { crossfireEditor: { text(): string } }).crossfireEditor.text().replace("-undone", "-ran"),
      );
      const afterEdit = root.dataset.editorState;
      root.querySelector(".cm-content")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true, cancelable: true }));
      return [afterEdit, root.dataset.editorState];
    });
    expect(states).toEqual(["pending", "running"]);
    await page.waitForFunction(() => document.querySelector("#status")!.textContent!.startsWith("cost-vs-performance-ran"), undefined, { timeout: 30_000 });
    await page.close();
  }, 90_000);

  it("reloads the text when another scenario file is picked, not on cursor changes", async () => {
    const page = await app.open();
    const before = await editorText(page);
    await page.selectOption("[data-testid=scenario-picker]", "scenarios/retry-storm.yaml");
    await page.waitForSelector('#editor[data-scenario-file="scenarios/retry-storm.yaml"]');
    await page.waitForSelector('#status[data-status="done"]', { timeout: 30_000 });
    const after = await editorText(page);
    expect(after).not.toBe(before);
    expect(after.length).toBeGreaterThan(0);
    // Typing (without a re-run yet) survives cursor moves while playback runs.
    await page.locator("#editor .cm-content").click();
    await page.keyboard.press("End");
    await page.keyboard.type("#");
    await page.evaluate(() => new Promise((r) => setTimeout(r, 150)));
    expect((await editorText(page)).length).toBe(after.length + 1);
    await page.close();
  }, 90_000);

  it("shares the edited scenario through the URL fragment; a new page opens and runs it", async () => {
    const page = await app.open("?scenario=retry-storm");
    const original = await editorText(page);
    expect(original).toMatch(/^name: retry-storm$/m);
    const edited = original.replace(/^name: retry-storm$/m, "name: shared-retry-storm").replace(/^duration: .*$/m, "duration: 20m");
    await setEditorText(page, edited);
    await page.waitForFunction(() => document.querySelector("#status")!.textContent!.startsWith("shared-retry-storm"), undefined, { timeout: 30_000 });
    // A run of edited text also updates the URL.
    await page.waitForFunction(() => location.hash.startsWith("#s="), undefined, { timeout: 10_000 });
    await page.click("[data-testid=editor-share]");
    await page.waitForSelector("#editor[data-shared]");
    const link = new URL(page.url());
    expect(link.hash).toMatch(/^#s=[A-Za-z0-9_-]+$/);
    expect(link.searchParams.get("scenario")).toBe("retry-storm");
    expect(await page.textContent("#editor .ed-state")).toMatch(/^Link (copied|is in the address bar)/);

    const opened = await app.open(`${link.search}${link.hash}`);
    expect(await opened.getAttribute("#status", "data-status")).toBe("done");
    expect(await editorText(opened)).toBe(edited);
    expect(await opened.textContent("#status")).toMatch(/^shared-retry-storm/);
    expect(Number(await opened.getAttribute("[data-testid=scrub]", "max"))).toBe(20 * 60_000);
    expect(new URL(opened.url()).hash).toBe(link.hash);

    // Picking a library scenario drops the shared text from the URL.
    await opened.selectOption("[data-testid=scenario-picker]", "scenarios/cost-vs-performance.yaml");
    await opened.waitForSelector('#editor[data-scenario-file="scenarios/cost-vs-performance.yaml"]');
    await opened.waitForSelector('#status[data-status="done"]', { timeout: 30_000 });
    expect(new URL(opened.url()).hash).toBe("");
    await page.close();
    await opened.close();
  }, 120_000);

  it("shows a corrupt or oversized shared fragment as an error, with the library text in the editor", async () => {
    const corrupt = await app.open("?scenario=retry-storm#s=bm90LWRlZmxhdGUtZGF0YQ");
    expect(await corrupt.getAttribute("#status", "data-status")).toBe("error");
    expect(await corrupt.textContent("#status")).toMatch(/shared link's scenario could not be opened: .*corrupt or truncated/);
    expect(await editorText(corrupt)).toMatch(/^name: retry-storm$/m);
    await corrupt.close();

    const bomb = Buffer.from(deflateRawSync(Buffer.alloc(2_000_000, "a"))).toString("base64url");
    const oversized = await app.open(`#s=${bomb}`);
    expect(await oversized.getAttribute("#status", "data-status")).toBe("error");
    expect(await oversized.textContent("#status")).toMatch(/expands past 1,000,000 bytes/);
    await oversized.close();

    const notBase64 = await app.open("#s=%3Cscript%3E");
    expect(await notBase64.textContent("#status")).toMatch(/not valid base64url/);
    await notBase64.close();
  }, 90_000);
});
