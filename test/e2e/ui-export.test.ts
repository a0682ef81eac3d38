// The export panel in real Chromium: each button downloads the run being shown, and the files are
// what the CLI writes: a run file whose header names the shown run's final hash and whose records
// verify, an OTLP/JSON trace, the HTML report, and the timeline as SVG and PNG.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { parseRunFile } from "../../sim/export/run-file.js";
import { verify } from "../../sim/log/chain.js";
import { useApp } from "../helpers/app.js";
import { browserAvailable } from "../helpers/chromium.js";
import { repoPath } from "../helpers/scenarios.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe.skipIf(!browserAvailable)("export panel", () => {
  const app = useApp();

  /** Clicks the export button of `format`; returns the download's name and bytes. */
  async function save(page: Page, format: string): Promise<{ name: string; bytes: Buffer }> {
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 30_000 }), page.click(`#export [data-export="${format}"]`)]);
    const path = await download.path();
    expect(await download.failure()).toBeNull();
    return { name: download.suggestedFilename(), bytes: readFileSync(path!) };
  }

  it("downloads the default scenario's run as run file, OTLP, HTML, SVG and PNG", async () => {
    const page = await app.browser.newPage({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(app.url, { waitUntil: "domcontentloaded" });
    // While the worker runs, no button is enabled (checked only if we catch it running).
    const early = await page.evaluate(() => ({ status: document.getElementById("status")?.dataset.status, enabled: Array.from(document.querySelectorAll<HTMLButtonElement>("#export button[data-export]")).filter((b) => !b.disabled).length }));
    if (early.status !== "done") expect(early.enabled).toBe(0);
    await page.waitForSelector('#status[data-status="done"]', { timeout: 60_000 });
    if ((await page.getAttribute("[data-testid=play]", "data-playing")) === "true") await page.click("[data-testid=play]");

    expect(await page.textContent("#export h2")).toMatch(/export/i);
    expect(await page.getAttribute("#export", "data-ready")).toBe("true");
    expect(await page.locator("#export button[data-export]:not([disabled])").count()).toBe(5);
    const finalHash = (await page.getAttribute("[data-testid=verdict]", "data-final-hash"))!;
    expect(finalHash).toMatch(/^[0-9a-f]{64}$/);

    // Run file: header names this run; the records verify; the telemetry is there.
    const runFile = await save(page, "run");
    expect(runFile.name).toMatch(/^[\w.-]+-seed[\w.-]+\.ndjson$/);
    const text = runFile.bytes.toString("utf8");
    const header = JSON.parse(text.slice(0, text.indexOf("\n")));
    expect(header.format).toBe("crossfire-run/3");
    expect(header.finalHash).toBe(finalHash);
    expect(header.scenarioFile).toBe("scenarios/cost-vs-performance.yaml");
    expect(header.scenarioText).toBe(readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8"));
    const parsed = parseRunFile(text);
    expect(parsed.log.length).toBe(header.events);
    expect(verify(parsed.log)).toMatchObject({ ok: true });
    expect(parsed.log[parsed.log.length - 1].hash).toBe(finalHash);
    expect(parsed.telemetry?.count ?? 0).toBeGreaterThan(0);
    expect(await page.getAttribute("[data-testid=export-status]", "data-file")).toBe(runFile.name);

    // OTLP/JSON: one trace whose id is the final hash's prefix.
    const otlp = await save(page, "otlp");
    expect(otlp.name).toMatch(/\.otlp\.jsonl$/);
    const trace = JSON.parse(otlp.bytes.toString("utf8").split("\n")[0]);
    expect(Array.isArray(trace.resourceSpans)).toBe(true);
    const spans = trace.resourceSpans[0].scopeSpans[0].spans;
    expect(spans.length).toBeGreaterThan(parsed.log.length / 2);
    expect(spans[0].traceId).toBe(finalHash.slice(0, 32));
    // Dated so the run ends at the moment of export (searchable in Tempo and Jaeger), not in 2025.
    const lastEndMs = Math.max(...spans.map((s: { endTimeUnixNano: string }) => Number(BigInt(s.endTimeUnixNano) / 1_000_000n)));
    expect(Math.abs(lastEndMs - Date.now())).toBeLessThan(120_000);

    // HTML report.
    const html = await save(page, "html");
    expect(html.name).toMatch(/\.html$/);
    const report = html.bytes.toString("utf8");
    expect(report.startsWith("<!DOCTYPE html>")).toBe(true);
    const run = JSON.parse(/<script type="application\/json" id="crossfire-run">([^<]*)<\/script>/.exec(report)![1]);
    expect(run).toMatchObject({ format: "crossfire-report/1", finalHash, scenarioFile: "scenarios/cost-vs-performance.yaml", scenarioText: readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8") });
    expect(report).toContain(finalHash);
    // It opens with the worker's incident summary: the system's state is a fact, not "not assessed".
    expect(report).toMatch(/data-fact="system" data-state="(healthy|degraded|outage)"/);

    // Timeline SVG: one well-formed SVG document stacking the panel's charts.
    const svg = await save(page, "svg");
    expect(svg.name).toMatch(/-timeline\.svg$/);
    const svgText = svg.bytes.toString("utf8");
    expect(svgText).toContain("<svg");
    const check = await page.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, "image/svg+xml");
      return { error: doc.getElementsByTagName("parsererror").length, root: doc.documentElement.nodeName, polylines: doc.getElementsByTagName("polyline").length, groups: doc.querySelectorAll("svg > g[transform]").length };
    }, svgText);
    expect(check).toMatchObject({ error: 0, root: "svg" });
    expect(check.polylines).toBeGreaterThan(0);
    expect(check.groups).toBeGreaterThan(1);

    // Timeline PNG.
    const png = await save(page, "png");
    expect(png.name).toMatch(/-timeline\.png$/);
    expect(Array.from(png.bytes.subarray(0, 8))).toEqual(PNG_SIGNATURE);
    expect(png.bytes.length).toBeGreaterThan(5_000);

    expect(errors).toEqual([]);
    mkdirSync(repoPath("test-artifacts"), { recursive: true });
    writeFileSync(repoPath("test-artifacts/export-timeline.png"), png.bytes);
    writeFileSync(repoPath("test-artifacts/export-timeline.svg"), svgText);
    await page.locator("#export").screenshot({ path: repoPath("test-artifacts/export.png") });
    await page.close();
  }, 120_000);
});
