// Agent lanes, causal graph and event detail in real Chromium: selecting a command tick shows
// its record, causes, root causes and neighbourhood; the canvas reports what it drew and what a
// finding highlights; rejected commands and crashed / blocked agents show in the lanes.
import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useApp } from "../helpers/app.js";
import { browserAvailable } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";

describe.skipIf(!browserAvailable)("agent lanes, causal graph and event detail", () => {
  const app = useApp();

  it("selects a command from the lanes and walks its causes (default scenario)", async () => {
    const page = await app.open();
    // Stop playback so the cursor does not move under the assertions.
    if ((await page.getAttribute("[data-testid=play]", "data-playing")) === "true") await page.click("[data-testid=play]");

    expect(Number(await page.getAttribute("#lanes", "data-agents"))).toBeGreaterThanOrEqual(2);
    expect(await page.locator("#lanes [data-agent] [data-state]").count()).toBeGreaterThan(0);
    expect(await page.locator("#lanes [data-kind=change]").count()).toBeGreaterThan(10);

    // The first command of the second agent (cost): its cause is the other agent's previous command.
    const agents = await page.locator("#lanes [data-agent]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-agent")!));
    const [first, second] = agents;
    const tick = page.locator(`#lanes [data-agent="${second}"] [data-kind=change]`).first();
    const seq = Number(await tick.getAttribute("data-seq"));
    const firstAgentSeqs = (await page.locator(`#lanes [data-agent="${first}"] [data-seq]`).evaluateAll((ts) => ts.map((t) => Number(t.getAttribute("data-seq"))))).filter((s) => s < seq);
    const previousOfOther = Math.max(...firstAgentSeqs);
    await tick.click();

    await page.waitForSelector(`#detail[data-seq="${seq}"]`);
    expect(await page.getAttribute(`#lanes [data-seq="${seq}"]`, "data-selected")).toBe("true");
    expect(await page.textContent('#detail [data-field="actor"]')).toBe(second);
    expect(await page.textContent('#detail [data-field="change"]')).toMatch(/^\S+ -> \S+$/);
    const directCauses = await page.locator('#detail [data-testid=causes] [data-cause-seq][data-level="1"]').evaluateAll((bs) => bs.map((b) => Number(b.getAttribute("data-cause-seq"))));
    expect(directCauses).toContain(previousOfOther);
    expect(await page.locator("#detail [data-testid=neighbourhood] [data-node-seq]").count()).toBeGreaterThanOrEqual(2);
    expect(await page.getAttribute("#causal", "data-selected-seq")).toBe(String(seq));

    // Clicking a root cause moves the selection there.
    const root = page.locator("#detail [data-testid=root-causes] [data-root-seq]").first();
    const rootSeq = Number(await root.getAttribute("data-root-seq"));
    expect(rootSeq).not.toBe(seq);
    await root.click();
    await page.waitForSelector(`#detail[data-seq="${rootSeq}"]`);

    // Clicking a neighbourhood node selects it.
    const node = page.locator(`#detail [data-testid=neighbourhood] [data-node-seq]:not([data-node-seq="${rootSeq}"])`).first();
    const nodeSeq = Number(await node.getAttribute("data-node-seq"));
    await node.click();
    await page.waitForSelector(`#detail[data-seq="${nodeSeq}"]`);

    // Keyboard on the canvas: ] selects the next event in the same lane.
    const laneSeqs = await page.locator(`#lanes [data-agent="${second}"] [data-seq]`).evaluateAll((ts) => ts.map((t) => Number(t.getAttribute("data-seq"))));
    await tick.click();
    await page.waitForSelector(`#detail[data-seq="${seq}"]`);
    await page.focus("#causal canvas[tabindex]");
    await page.keyboard.press("]");
    const next = laneSeqs[laneSeqs.indexOf(seq) + 1];
    await page.waitForSelector(`#causal[data-selected-seq="${next}"]`);
    await page.waitForSelector(`#detail[data-seq="${next}"]`);

    // The canvas drew the run; a finding highlights its witnesses and root causes.
    expect(Number(await page.getAttribute("#causal", "data-nodes"))).toBeGreaterThan(0);
    expect(await page.getAttribute("#causal", "data-highlighted")).toBe("0");
    await page.click('#findings button[data-finding-index="0"]');
    await page.waitForFunction(() => Number(document.querySelector("#causal")!.getAttribute("data-highlighted")) > 0);
    expect(await page.locator("#lanes [data-highlighted]").count()).toBeGreaterThan(0);

    // Clicking a dot on the canvas selects the event under it: remember where the root cause's
    // dot is drawn, select something else, then click there.
    await page.click(`#lanes [data-seq="${rootSeq}"]`);
    await page.waitForSelector(`#causal[data-selected-seq="${rootSeq}"]`);
    await page.waitForFunction((s) => document.querySelector("#causal")!.getAttribute("data-selected-x") !== "", rootSeq);
    const dot = { x: Number(await page.getAttribute("#causal", "data-selected-x")), y: Number(await page.getAttribute("#causal", "data-selected-y")) };
    await tick.click();
    await page.waitForSelector(`#causal[data-selected-seq="${seq}"]`);
    await page.click("#causal canvas[tabindex]", { position: { x: dot.x + 1, y: dot.y - 1 } });
    await page.waitForSelector(`#causal[data-selected-seq="${rootSeq}"]`);

    mkdirSync(repoPath("test-artifacts"), { recursive: true });
    await page.screenshot({ path: repoPath("test-artifacts/causal.png"), fullPage: true });
    await page.close();
  }, 90_000);

  it("draws rejected commands differently (azure-front-door-lkg, coordinated)", async () => {
    const page = await app.open("?scenario=azure-front-door-lkg&variant=coordinated");
    expect(await page.locator("#lanes [data-kind=rejected]").count()).toBeGreaterThan(0);
    // Commands at one instant overlap; click a rejected tick that is on top where it is drawn.
    // Each is scrolled into view first: the lanes may start below the first screen (the summary
    // panel comes first), and elementFromPoint sees only the viewport.
    const seq = await page.locator("#lanes [data-kind=rejected]").evaluateAll((ticks) => {
      for (const t of ticks) {
        t.scrollIntoView({ block: "center", inline: "nearest" });
        const box = t.getBoundingClientRect();
        if (document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2) === t) return t.getAttribute("data-seq");
      }
      return null;
    });
    expect(seq).not.toBeNull();
    const rejected = page.locator(`#lanes [data-seq="${seq}"]`);
    expect(await rejected.getAttribute("stroke")).not.toBe(await page.locator("#lanes [data-kind=change]").first().getAttribute("stroke"));
    await rejected.click();
    await page.waitForSelector(`#detail[data-seq="${seq}"]`);
    expect(await page.textContent('#detail [data-field="type"]')).toBe("command.rejected");
    await page.close();
  }, 60_000);

  it("shows every agent's states on the blind variant (azure-front-door-lkg, blind)", async () => {
    const page = await app.open("?scenario=azure-front-door-lkg&variant=blind");
    // The blind variant rejects nothing and crashes no agent (its crashes are edge nodes, seen in
    // the topology): the lanes show its agents' states and document writes.
    expect(Number(await page.getAttribute("#lanes", "data-agents"))).toBeGreaterThanOrEqual(5);
    expect(await page.locator("#lanes [data-kind=document]").count()).toBeGreaterThan(0);
    expect(await page.locator("#lanes [data-state=promoting]").count()).toBeGreaterThan(0);
    await page.close();
  }, 60_000);

  it("marks crashed and blocked agent states distinctly (dynamodb-dns-race)", async () => {
    const page = await app.open("?scenario=dynamodb-dns-race&variant=blind");
    const crashed = page.locator("#lanes [data-state=crashed]").first();
    const blocked = page.locator("#lanes [data-state=blocked]").first();
    expect(await crashed.count()).toBe(1);
    expect(await blocked.count()).toBe(1);
    expect(await crashed.getAttribute("fill")).not.toBe(await blocked.getAttribute("fill"));
    expect(await page.locator('#lanes [data-legend-state="crashed"]').count()).toBe(1);
    mkdirSync(repoPath("test-artifacts"), { recursive: true });
    await page.locator("#lanes").screenshot({ path: repoPath("test-artifacts/lanes-crashed.png") });
    await page.close();
  }, 60_000);
});
