// A long run streams into the app while the worker simulates it: the views show the run so far
// (status running, data-complete=false, the event count growing), playback never passes the time
// simulated so far, and the complete run ends at the same final hash as Node's.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { useApp } from "../helpers/app.js";
import { editorReady } from "../helpers/editor.js";
import { browserAvailable } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";

// The UI benchmark's scenario cut to 2 h: ~20 k records, a few seconds of simulation in the worker.
const TEXT = readFileSync(repoPath("bench/scenarios/ui-100k.yaml"), "utf8").replace(/^duration: 10h$/m, "duration: 2h");

interface Seen {
  status: string;
  runId: string;
  complete: string;
  events: number;
  reachedMs: number;
  cursorMs: number;
}

describe.skipIf(!browserAvailable)("a long run streams into the app", () => {
  const app = useApp();

  it("shows the run so far while it simulates, and ends at Node's hash", async () => {
    expect(TEXT).toContain("duration: 2h");
    const node = runScenario(loadVariant(TEXT, "ui-2h.yaml").scenario);
    expect(node.log.length).toBeGreaterThan(10_000);

    const page = await app.open();
    await editorReady(page);
    const before = await page.getAttribute("#status", "data-run-id");
    const seen = await page.evaluate(async (text) => {
      const status = document.querySelector<HTMLElement>("#status")!;
      const clock = document.querySelector<HTMLElement>("[data-testid=clock]")!;
      // The editor's hook (ui/views/editor.ts EditorHook), then Ctrl-Enter on CodeMirror's content.
      const editor = document.querySelector<HTMLElement & { crossfireEditor: { edit(t: string): void } }>("#editor")!;
      editor.crossfireEditor.edit(text);
      editor.querySelector(".cm-content")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true, cancelable: true }));
      const out: Seen[] = [];
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        const d = status.dataset;
        out.push({ status: d.status!, runId: d.runId!, complete: d.complete!, events: Number(d.events), reachedMs: Number(d.reachedMs), cursorMs: Number(clock.dataset.cursorMs) });
        if (d.status === "done" || d.status === "error") return out;
      }
    }, TEXT);

    const mine = seen.filter((s) => s.runId !== before);
    const partial = mine.filter((s) => s.complete === "false");
    expect(partial.length, "frames drawn from a partial run").toBeGreaterThan(0);
    for (const s of partial) {
      expect(s.status).toBe("running");
      expect(s.events).toBeGreaterThan(0);
      expect(s.events).toBeLessThan(node.log.length);
      expect(s.cursorMs, "playback waits at the edge of the simulated time").toBeLessThanOrEqual(s.reachedMs);
    }
    for (let i = 1; i < mine.length; i++) expect(mine[i].events).toBeGreaterThanOrEqual(mine[i - 1].events);
    expect(new Set(mine.map((s) => s.runId)).size, "one run id across the partial updates").toBe(1);

    const last = seen[seen.length - 1];
    expect(last.status).toBe("done");
    expect(last.complete).toBe("true");
    expect(last.events).toBe(node.log.length);
    expect(await page.getAttribute("#summary", "data-final-hash")).toBe(node.finalHash);
    // The findings arrive with the complete run.
    expect(Number(await page.locator("#findings [data-finding-index]").count())).toBeGreaterThan(0);
    await page.close();
  }, 180_000);
});
