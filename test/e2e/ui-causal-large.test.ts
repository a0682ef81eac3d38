// The causal canvas on a large run in real Chromium (~13 k records: 20 performance/cost agent
// pairs thrashing 20 services for 3h, a smaller ui-100k): it draws every node at full zoom, the
// wheel zooms in (fewer nodes drawn), a click on a dot selects that event, and a finding's
// records are highlighted. Also, in Node: the view's index (extended chunk by chunk, as while a
// run streams) agrees with spaceTimeLayout. No timings here: budgets live in bench/ui.ts.
import { describe, expect, it } from "vitest";
import { spaceTimeLayout } from "../../sim/causal/layout.js";
import type { EventRecord } from "../../sim/log/record.js";
import { CausalIndex } from "../../ui/views/causal-index.js";
import { useApp } from "../helpers/app.js";
import { setEditorText } from "../helpers/editor.js";
import { browserAvailable } from "../helpers/chromium.js";
import { thrashingScenario } from "../helpers/thrashing-scenario.js";

const PAIRS = 20;

describe("the causal view's index", () => {
  // A synthetic log shaped like the thrashing runs: an engine record first, then agents citing
  // their own previous record and another lane's, with a few long-span causes.
  const log: EventRecord[] = [];
  const actors = ["a", "b", "c", "d", "e"];
  log.push({ seq: 0, t: 0, type: "run.started", actor: "engine", data: {}, causes: [], prev: "", hash: "" });
  for (let seq = 1; seq < 5000; seq++) {
    const causes = seq < 10 ? [0] : [seq - 5, seq % 97 === 0 ? 3 : seq - 3];
    log.push({ seq, t: seq * 1000, type: "replicas.scaled", actor: actors[seq % actors.length], data: {}, causes: [...new Set(causes)].sort((x, y) => x - y), prev: "", hash: "" });
  }

  it("has spaceTimeLayout's lanes, nodes and edges, built at once or chunk by chunk", () => {
    const layout = spaceTimeLayout(log, { omitEngine: true, agents: actors });
    const whole = new CausalIndex(log.length * 1000, actors);
    whole.extend(log);
    const chunked = new CausalIndex(log.length * 1000, actors);
    const grown: EventRecord[] = [];
    for (let end = 1; end <= log.length; end = Math.min(log.length, end + 777)) {
      while (grown.length < end) grown.push(log[grown.length]);
      chunked.extend(grown);
      if (end === log.length) break;
    }
    for (const index of [whole, chunked]) {
      expect(index.lanes).toEqual(layout.lanes);
      expect(index.nodeCount).toBe(layout.nodes.length);
      expect(Array.from(index.seqOf.subarray(0, index.nodeCount))).toEqual(layout.nodes.map((n) => n.seq));
      expect(index.edgeCount).toBe(layout.edges.length);
      expect(index.hiddenCauses).toBe(layout.hiddenCauses);
      const edges: string[] = [];
      index.forEachEdgeBetween(-Infinity, Infinity, (from, to) => edges.push(`${index.seqOf[from]}>${index.seqOf[to]}`));
      expect(edges.sort()).toEqual(layout.edges.map((e) => `${e.from}>${e.to}`).sort());
    }
  });

  it("finds exactly the edges touching a time window, long ones included", () => {
    const index = new CausalIndex(log.length * 1000, actors);
    index.extend(log);
    const t = (seq: number): number => log[seq].t;
    for (const [from, to] of [
      [200_000, 260_000],
      [1_000_000, 1_000_500],
      [4_000_000, 6_000_000],
    ]) {
      const expected = layoutEdges().filter((e) => t(e.to) >= from && t(e.from) <= to);
      const found: string[] = [];
      index.forEachEdgeBetween(from, to, (a, b) => found.push(`${index.seqOf[a]}>${index.seqOf[b]}`));
      expect(found.sort()).toEqual(expected.map((e) => `${e.from}>${e.to}`).sort());
    }
    const [i0, i1] = index.nodesBetween(200_000, 260_000);
    expect(Array.from(index.seqOf.subarray(i0, i1))).toEqual(log.filter((r) => r.actor !== "engine" && r.t >= 200_000 && r.t <= 260_000).map((r) => r.seq));
  });

  function layoutEdges(): { from: number; to: number }[] {
    return spaceTimeLayout(log, { omitEngine: true, agents: actors }).edges;
  }
});

describe.skipIf(!browserAvailable)("causal canvas on a large run", () => {
  const app = useApp();

  it("draws, zooms, selects a dot by clicking it and highlights a finding", async () => {
    const page = await app.open();
    if ((await page.getAttribute("[data-testid=play]", "data-playing")) === "true") await page.click("[data-testid=play]");
    await setEditorText(page, thrashingScenario({ name: "ui-causal-large", description: "Performance and cost agents thrashing replicas; a large run for the causal canvas.", pairs: PAIRS, duration: "3h", db: "{ id: db, kind: database, replicas: 4, capacityPerReplica: 20000/s, baseLatency: 5ms }", variants: ["  blind:", "    description: No coordination."] }));
    await page.waitForFunction(() => document.querySelector("#status")!.getAttribute("data-status") === "done" && document.querySelector("#status")!.textContent!.includes("ui-causal-large"), undefined, { timeout: 90_000 });
    if ((await page.getAttribute("[data-testid=play]", "data-playing")) === "true") await page.click("[data-testid=play]");

    const causal = page.locator("#causal");
    expect(Number(await causal.getAttribute("data-lanes"))).toBe(2 * PAIRS);
    const allNodes = Number(await causal.getAttribute("data-nodes"));
    expect(allNodes).toBeGreaterThan(10_000);
    expect(Number(await causal.getAttribute("data-edges"))).toBeGreaterThan(10_000);
    expect(await causal.getAttribute("data-zoom")).toBe("1.00");

    // The wheel zooms in about the pointer: fewer nodes are on screen.
    const canvas = page.locator("#causal canvas[tabindex]");
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -200);
    await page.waitForFunction(() => Number(document.querySelector("#causal")!.getAttribute("data-zoom")) > 4);
    await page.waitForFunction((n) => Number(document.querySelector("#causal")!.getAttribute("data-nodes")) < n / 4, allNodes);
    const zoomedNodes = Number(await causal.getAttribute("data-nodes"));
    expect(zoomedNodes).toBeGreaterThan(0);

    // Select an event with the keyboard (the view pans to it), remember where its dot is, select
    // the next one in its lane, then click the first dot.
    // Select from the run's start: on a loaded machine playback can reach the end of the run
    // before the test pauses it, and "]" from the last event has nowhere to go.
    await page.evaluate(() => {
      const scrub = document.querySelector<HTMLInputElement>("#scrub")!;
      scrub.value = "0";
      scrub.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await canvas.focus();
    await page.keyboard.press("]");
    await page.waitForFunction(() => document.querySelector("#causal")!.getAttribute("data-selected-x") !== "");
    const first = await causal.getAttribute("data-selected-seq");
    const dot = { x: Number(await causal.getAttribute("data-selected-x")), y: Number(await causal.getAttribute("data-selected-y")) };
    await page.keyboard.press("]");
    await page.waitForFunction((s) => document.querySelector("#causal")!.getAttribute("data-selected-seq") !== s, first);
    expect(Number(await causal.getAttribute("data-selected-x"))).toBeGreaterThan(dot.x);
    await canvas.click({ position: { x: dot.x, y: dot.y } });
    await page.waitForSelector(`#causal[data-selected-seq="${first}"]`);
    await page.waitForSelector(`#detail[data-seq="${first}"]`);

    // A finding (the agents thrash: the run has several) highlights its witnesses and root causes.
    const finding = page.locator('#findings button[data-finding-index="0"]');
    expect(await finding.count()).toBe(1);
    await finding.click();
    await page.waitForFunction(() => Number(document.querySelector("#causal")!.getAttribute("data-highlighted")) > 0);
    await page.close();
  }, 180_000);
});
