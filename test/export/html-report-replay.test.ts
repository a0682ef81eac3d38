// The HTML report as an offline replay, read as the browser's parser (parse5) reads it: the
// incident summary comes first with the verdict as two facts, the CSP names by hash exactly the
// script and the style that are in the file (no 'unsafe-inline' for scripts), the cursor's series
// block is capped with spikes kept, the selected-event panel's records match the table, and
// hostile text in the summary, the scenario or the records stays text and stays inside its JSON.
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { parse, type DefaultTreeAdapterMap } from "parse5";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { bytesToBase64 } from "../../sim/export/base64.js";
import { toHtmlReport } from "../../sim/export/html-report.js";
import type { ReportRecord, ReportSeries } from "../../sim/export/report-data.js";
import { EventLog } from "../../sim/log/chain.js";
import { Telemetry } from "../../sim/engine/telemetry.js";
import type { IncidentSummary } from "../../sim/story/types.js";
import { checkedRun, exportInput, type CheckedRun } from "./runs.js";

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];

const blind = checkedRun("scenarios/cost-vs-performance.yaml", "blind");
const nlb = checkedRun("test/incidents/nlb-sketch.yaml");

/** A summary shaped as sim/story's summarizeRun returns it, for a run's first finding. */
export function storyOf(c: CheckedRun, overrides: Partial<IncidentSummary> = {}): IncidentSummary {
  const f = c.verdict.findings[0];
  const root = f.rootCauses[0] ?? f.witnesses[0];
  const total = c.verdict.expectations.length;
  return {
    headline: `${f.kind} on ${f.knob ?? "a knob"} from #${root}`,
    verdict: { label: "PASS", met: total, total, vacuous: 0, text: `thrashing reproduced as expected (${total}/${total})` },
    system: { state: "degraded", worstAvailability: 0.97, worstComponent: "web", unhealthyMs: 60_000, text: "degraded: web served 97% of requests at worst" },
    phases: [
      { kind: "trigger", t: c.run.log[root].t, seq: root, text: `#${root} started it` },
      { kind: "impact", t: f.from, durationMs: f.to - f.from, text: "latency rose" },
    ],
    rootCause: { seq: root, t: c.run.log[root].t, actor: c.run.log[root].actor, sentence: `${c.run.log[root].actor} changed ${c.run.log[root].target ?? "something"}` },
    description: { text: "all of it", facts: "What the post-mortem says.", choices: "What the simulator picks.", source: "https://example.com/post-mortem (the vendor)" },
    ...overrides,
  };
}

function elements(html: string): Element[] {
  const out: Element[] = [];
  const walk = (node: Node) => {
    if ("tagName" in node) out.push(node);
    const children = "content" in node ? [...node.childNodes, ...(node as DefaultTreeAdapterMap["template"]).content.childNodes] : "childNodes" in node ? node.childNodes : [];
    for (const c of children) walk(c);
  };
  walk(parse(html));
  return out;
}

const attr = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value;
const textOf = (e: Node): string => (e.nodeName === "#text" ? (e as DefaultTreeAdapterMap["textNode"]).value : "childNodes" in e ? e.childNodes.map(textOf).join("") : "");
const byId = (els: Element[], id: string) => els.find((e) => attr(e, "id") === id);

/** The CSP's directives as a map of source lists. */
function policy(els: Element[]): Map<string, string[]> {
  const meta = els.find((e) => e.tagName === "meta" && attr(e, "http-equiv") === "Content-Security-Policy")!;
  return new Map(attr(meta, "content")!.split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
}

const hashOf = (text: string) => `'sha256-${bytesToBase64(sha256(utf8ToBytes(text)))}'`;

/** Scripts the browser executes: no type, or a JavaScript type (a JSON block is data). */
const executes = (e: Element) => e.tagName === "script" && (attr(e, "type") === undefined || /^(text|application)\/(java|ecma)script$|^module$/i.test(attr(e, "type")!));

function jsonBlock<T>(els: Element[], id: string): T {
  return JSON.parse(textOf(byId(els, id)!)) as T;
}

describe("the HTML report as an offline replay", () => {
  it("opens with the incident summary: headline, the verdict as two facts, root cause linked to its row, phases, description split", () => {
    const story = storyOf(blind);
    const html = toHtmlReport({ ...exportInput(blind), story });
    const els = elements(html);
    const body = els.find((e) => e.tagName === "body")!;
    // Document order: the h1 (what ran), then the summary, before any other section.
    const sections = els.filter((e) => e.tagName === "section" || e.tagName === "h1");
    expect(sections.slice(0, 2).map((e) => attr(e, "id") ?? e.tagName)).toEqual(["h1", "summary"]);
    expect(els.indexOf(byId(els, "summary")!)).toBeLessThan(els.indexOf(byId(els, "timeline")!));
    expect(els.indexOf(body)).toBeLessThan(els.indexOf(byId(els, "summary")!));
    const summary = byId(els, "summary")!;
    expect(textOf(summary)).toContain(story.headline);
    const facts = els.filter((e) => attr(e, "class") === "verdict-fact");
    expect(facts.map((e) => [attr(e, "data-fact"), attr(e, "data-verdict") ?? attr(e, "data-state"), textOf(e)])).toEqual([
      ["expectations", "PASS", `Expectations ${story.verdict.text}`],
      ["system", "degraded", `System ${story.system.text}`],
    ]);
    // No lone verdict badge anywhere outside the expectations table.
    expect(els.filter((e) => attr(e, "class") === "verdict" && !els.some((t) => t.tagName === "table" && attr(t, "class") === "expectations" && textOf(t).includes(textOf(e))))).toEqual([]);
    const root = els.find((e) => attr(e, "class") === "root-cause")!;
    const rootLink = (root.childNodes as Element[]).find((n) => n.tagName === "a")!;
    expect(attr(rootLink, "href")).toBe(`#seq-${story.rootCause!.seq}`);
    expect(byId(els, `seq-${story.rootCause!.seq}`)?.tagName).toBe("tr");
    expect(els.filter((e) => e.tagName === "li" && attr(e, "data-phase") !== undefined).map((e) => attr(e, "data-phase"))).toEqual(["trigger", "impact"]);
    expect(els.filter((e) => e.tagName === "details").map((e) => [attr(e, "data-part"), textOf(e)])).toEqual([
      ["facts", "Published factsWhat the post-mortem says."],
      ["choices", "Simulator choicesWhat the simulator picks."],
    ]);
    const source = els.find((e) => e.tagName === "a" && attr(e, "class") === "external")!;
    expect(attr(source, "href")).toBe("https://example.com/post-mortem");
    expect(attr(source, "rel")).toBe("noopener noreferrer");
    // The title says both facts too.
    expect(textOf(els.find((e) => e.tagName === "title")!)).toBe(`Crossfire report: cost-vs-performance [blind]: ${story.verdict.text}; system: degraded`);
    // The panel starts on the root cause.
    expect(attr(byId(els, "selected-record")!, "data-initial-seq")).toBe(String(story.rootCause!.seq));
    expect(attr(byId(els, "scrubber")!, "aria-valuenow")).toBe(String(story.rootCause!.t));
  });

  it("links a source only when it is plain http(s)", () => {
    for (const source of ["javascript:alert(1)", "data:text/html,<b>x</b>", ` "https://x.example/" onclick="y`]) {
      const html = toHtmlReport({ ...exportInput(blind), story: storyOf(blind, { description: { text: "", source } }) });
      const els = elements(html);
      expect(els.filter((e) => e.tagName === "a" && !attr(e, "href")!.startsWith("#"))).toEqual([]);
      expect(textOf(els.find((e) => attr(e, "class") === "source")!)).toBe(`Source ${source}`);
      expect(XMLValidator.validate(html)).toBe(true);
    }
  });

  it("has a CSP that loads nothing and names by hash exactly the script and style in the file", () => {
    for (const html of [toHtmlReport(exportInput(blind)), toHtmlReport({ ...exportInput(nlb), story: storyOf(nlb) })]) {
      const els = elements(html);
      const csp = policy(els);
      expect(csp.get("default-src")).toEqual(["'none'"]);
      expect(csp.get("img-src")).toEqual(["data:"]);
      expect(csp.get("base-uri")).toEqual(["'none'"]);
      expect(csp.get("form-action")).toEqual(["'none'"]);
      const scriptSrc = csp.get("script-src")!;
      const styleSrc = csp.get("style-src")!;
      for (const sources of [scriptSrc, styleSrc]) {
        expect(sources.length).toBeGreaterThan(0);
        for (const s of sources) expect(s).toMatch(/^'sha256-[A-Za-z0-9+/]{43}='$/);
      }
      expect(scriptSrc.join(" ")).not.toMatch(/unsafe|\*|http|data:|blob:/);
      // Every script that runs is allowed by its hash; the others are JSON data blocks.
      const scripts = els.filter((e) => e.tagName === "script");
      const running = scripts.filter(executes);
      expect(running).toHaveLength(1);
      for (const s of running) expect(scriptSrc).toContain(hashOf(textOf(s)));
      for (const s of scripts.filter((e) => !executes(e))) {
        expect(attr(s, "type")).toBe("application/json");
        expect(() => JSON.parse(textOf(s))).not.toThrow();
      }
      const styles = els.filter((e) => e.tagName === "style");
      expect(styles).toHaveLength(1);
      expect(styleSrc).toEqual([hashOf(textOf(styles[0]))]);
      // Nothing a hashed style-src would refuse or that could run: no style or on* attributes.
      for (const e of els) for (const a of e.attrs) expect(a.name).not.toMatch(/^(style|on.*)$/i);
    }
  });

  it("keeps the cursor's series small for a long run, with each bucket's minimum and maximum", () => {
    expect(blind.run.telemetry.count).toBeGreaterThan(2000);
    const html = toHtmlReport(exportInput(blind));
    const els = elements(html);
    const series = jsonBlock<ReportSeries>(els, "crossfire-series");
    expect(series.lines.length).toBe(series.components.length * series.signals.length);
    expect(series.lines.length).toBeGreaterThan(0);
    for (const line of series.lines) {
      expect(line.t.length).toBeLessThanOrEqual(2000);
      expect(line.v.length).toBe(line.t.length);
      const raw = Array.from(blind.run.telemetry.series(line.component, line.signal)).filter(Number.isFinite);
      const kept = line.v.filter((v): v is number => v !== null);
      // Max and min survive (to the 4 significant digits the block keeps).
      expect(Math.max(...kept)).toBe(Number(Math.max(...raw).toPrecision(4)));
      expect(Math.min(...kept)).toBe(Number(Math.min(...raw).toPrecision(4)));
      // Times are deltas: they add up to sample times, in order, within the run.
      let t = 0;
      for (const d of line.t) {
        expect(d).toBeGreaterThanOrEqual(0);
        t += d;
      }
      expect(t).toBeLessThanOrEqual(series.endMs);
    }
    // A cell in the readout per line.
    expect(els.filter((e) => attr(e, "data-series") !== undefined).map((e) => Number(attr(e, "data-series"))).sort((a, b) => a - b)).toEqual(series.lines.map((_, i) => i));
    const small = jsonBlock<ReportSeries>(elements(toHtmlReport(exportInput(blind), { cursorPointsMax: 100 })), "crossfire-series");
    for (const line of small.lines) expect(line.t.length).toBeLessThanOrEqual(100);
  });

  it("embeds one record per event-table row for the selected-event panel", () => {
    const html = toHtmlReport(exportInput(nlb), { tableRowsMax: 50 });
    const els = elements(html);
    const records = jsonBlock<ReportRecord[]>(els, "crossfire-events");
    const rows = els.filter((e) => e.tagName === "tr" && attr(e, "data-seq") !== undefined);
    expect(records.map((r) => r.seq)).toEqual(rows.map((r) => Number(attr(r, "data-seq"))));
    expect(rows.map((r) => Number(attr(r, "data-t")))).toEqual(records.map((r) => r.t));
    const r = records.find((x) => x.causes.length > 0 && x.actor !== "engine")!;
    const original = nlb.run.log[r.seq];
    expect(r).toEqual({ seq: original.seq, t: original.t, actor: original.actor, ...(original.onBehalfOf !== undefined ? { onBehalfOf: original.onBehalfOf } : {}), type: original.type, ...(original.target !== undefined ? { target: original.target } : {}), data: original.data, causes: original.causes });
  });

  it("renders hostile text in the summary, scenario and records as text, and keeps it inside its JSON block", () => {
    const evil = `</script><img src=x onerror=alert(1)>`;
    const log = new EventLog();
    log.append({ t: 0, type: "run.started", actor: "engine", data: {}, causes: [] });
    log.append({ t: 1000, type: "fault.started", actor: `fault${evil}`, target: `web${evil}`, data: { effect: evil, [evil]: evil }, causes: [0] });
    log.append({ t: 2000, type: `replicas.scaled${evil}`, actor: `perf${evil}`, target: `web${evil}`, onBehalfOf: evil, data: { knob: "replicas", from: 1, to: 2, reason: evil }, causes: [1] });
    const telemetry = new Telemetry([`web${evil}`], ["errorRate", "latencyMsP95", "replicas"], 3);
    for (let i = 0; i < 3; i++) telemetry.values.set([i / 10, 20 + i, 2], telemetry.beginSample(i * 1000));
    const story: IncidentSummary = {
      headline: `headline${evil}`,
      verdict: { label: "FAIL", met: 0, total: 1, vacuous: 0, text: `verdict${evil}` },
      system: { state: `outage${evil}` as "outage", worstAvailability: 0, unhealthyMs: 1, text: `system${evil}` },
      phases: [{ kind: `trigger${evil}` as "trigger", t: 1000, seq: 1, text: `phase #1${evil}` }],
      rootCause: { seq: 1, t: 1000, actor: evil, sentence: `root${evil}` },
      description: { text: evil, facts: `facts${evil}`, choices: `choices${evil}`, source: `https://x.example/${evil}` },
    };
    const html = toHtmlReport({
      scenario: { name: `name${evil}`, description: evil },
      variant: evil,
      seed: 1,
      finalHash: log.headHash,
      log: log.all(),
      telemetry,
      findings: [],
      scenarioText: `name: x\n# ${evil}\n`,
      scenarioFile: `${evil}.yaml`,
      story,
    });
    expect(XMLValidator.validate(html)).toBe(true);
    const els = elements(html);
    expect(els.filter((e) => e.tagName === "img")).toEqual([]);
    for (const e of els) for (const a of e.attrs) expect(a.name).not.toMatch(/^on/i);
    // Three data blocks and one script, all closed where the generator closed them.
    expect(els.filter((e) => e.tagName === "script").map((e) => attr(e, "id") ?? "code")).toEqual(["crossfire-run", "crossfire-series", "crossfire-events", "code"]);
    const text = textOf(els.find((e) => e.tagName === "body")!);
    for (const shown of ["headline", "verdict", "system", "root", "facts", "choices", "name"]) expect(text).toContain(`${shown}${evil}`);
    // The blocks round-trip the hostile strings and hold no raw "<" or ">".
    for (const id of ["crossfire-series", "crossfire-events"]) expect(textOf(byId(els, id)!)).not.toMatch(/[<>&]/);
    const records = jsonBlock<ReportRecord[]>(els, "crossfire-events");
    expect(records[2]).toMatchObject({ actor: `perf${evil}`, target: `web${evil}`, onBehalfOf: evil, type: `replicas.scaled${evil}`, data: { reason: evil } });
    expect(records[1].data[evil]).toBe(evil);
    expect(jsonBlock<ReportSeries>(els, "crossfire-series").components).toEqual([`web${evil}`]);
    // The source is not a URL a browser would take whole: it stays text up to the first "<".
    const links = els.filter((e) => e.tagName === "a" && !attr(e, "href")!.startsWith("#"));
    for (const a of links) expect(attr(a, "href")).toMatch(/^https:\/\/x\.example\/[^<>"'\s]*$/);
  });
});
