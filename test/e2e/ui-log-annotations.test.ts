// An agent's `log` annotations in real Chromium: the timeline marks each one (its message on
// hover, a click selects its row) and the event table lists it, both as text: a message is file
// content, so markup in it must never become elements.
import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useApp } from "../helpers/app.js";
import { setEditorText } from "../helpers/editor.js";
import { browserAvailable } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";

const MARKUP = `<img src=x onerror="document.body.dataset.pwned=1">`;

const SCENARIO = `name: log-annotations
seed: 1
duration: 10m
step: 5s
components:
  - { id: web, kind: service, replicas: 4, capacityPerReplica: 100/s, baseLatency: 20ms }
workload:
  - { id: users, target: web, pattern: { kind: constant, rate: 100/s } }
agents:
  - id: narrator
    kind: statechart
    evaluationPeriod: 2m
    context: { note: '${MARKUP}' }
    initial: a
    states:
      a:
        on:
          wake:
            - target: b
              actions: { log: { message: "first look: \${because} \${note}", level: warn } }
      b:
        on:
          wake: { actions: { log: "again: p95 \${web.latencyMsP95} ms" } }
`;

describe.skipIf(!browserAvailable)("log annotations in Chromium", () => {
  const app = useApp();

  it("marks annotations on the timeline and lists them in the event table, as text", async () => {
    const page = await app.open();
    await setEditorText(page, SCENARIO);
    await page.waitForFunction(() => document.querySelectorAll("#timeline .tl-log").length >= 4, undefined, { timeout: 60_000 });
    expect(await page.getAttribute("#status", "data-status")).toBe("done");

    const markers = page.locator("#timeline .tl-log");
    // Wakes at 2, 4, 6, 8 and 10 minutes: one annotation each.
    expect(await markers.count()).toBe(5);
    const first = markers.first();
    expect(await first.getAttribute("class")).toContain("tl-log-warn");
    expect(await first.getAttribute("data-t")).toBe("120000");
    const title = await first.locator("title").textContent();
    expect(title).toBe(`warn by narrator at 00:02:00: first look: a: on wake ${MARKUP}`);
    expect(await markers.nth(1).getAttribute("class")).not.toContain("tl-log-warn");
    mkdirSync(repoPath("test-artifacts"), { recursive: true });
    await page.locator("#timeline").screenshot({ path: repoPath("test-artifacts/timeline-log.png") });

    // The markup stayed text everywhere: no element was made from it, and its handler never ran.
    expect(await page.locator("#timeline img, #events img").count()).toBe(0);
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();

    // A click selects the annotation's row in the event table, which shows the message.
    const seq = await first.getAttribute("data-seq");
    await first.click();
    const row = page.locator(`#events [data-seq="${seq}"]`);
    await row.waitFor();
    expect(await row.getAttribute("data-selected")).toBe("true");
    expect(await row.getAttribute("data-type")).toBe("agent.logged");
    expect(await row.textContent()).toContain(`log (warn): first look: a: on wake ${MARKUP}`);
    await page.close();
  }, 120_000);
});
