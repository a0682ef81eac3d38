// Drives the scenario editor (CodeMirror) in a page. CodeMirror draws only the lines in view, so
// the whole text is read, and replaced as a user edit would, through the editor's hook on #editor
// (EditorHook in ui/views/editor.ts), once the lazily loaded editor says it is ready.
import type { Page } from "playwright-core";
import type { EditorHook, ShownDiagnostic } from "../../ui/views/editor.js";

type WithHook = HTMLElement & { crossfireEditor: EditorHook };

/** Waits until CodeMirror is mounted in #editor. */
export async function editorReady(page: Page): Promise<void> {
  await page.waitForSelector('#editor[data-editor-ready="true"]', { timeout: 30_000 });
}

/** The editor's whole text. */
export async function editorText(page: Page): Promise<string> {
  await editorReady(page);
  return page.$eval("#editor", (el) => (el as WithHook).crossfireEditor.text());
}

/** Replaces the editor's text as typing would: it re-runs after the editor's pause. */
export async function setEditorText(page: Page, text: string): Promise<void> {
  await editorReady(page);
  await page.$eval("#editor", (el, t) => (el as WithHook).crossfireEditor.edit(t), text);
}

/** The diagnostics the editor shows now (run problems, schema and YAML lint). */
export async function editorDiagnostics(page: Page): Promise<ShownDiagnostic[]> {
  return page.$eval("#editor", (el) => (el as WithHook).crossfireEditor.diagnostics());
}
