// The HTML report: self-contained (nothing to load from the network), every piece of user text
// escaped, an anchor for every witness, deterministic, and well-formed. Well-formedness is
// checked with fast-xml-parser's XMLValidator: the report is written in XML-compatible HTML
// (void elements self-closed, attributes quoted, the script in a commented CDATA section), so
// an XML parser catches unbalanced or mis-nested tags and broken escaping.
import { readFileSync } from "node:fs";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { ExpectationResult } from "../../sim/assert/expectation.js";
import type { Finding } from "../../sim/detect/finding.js";
import { Telemetry } from "../../sim/engine/telemetry.js";
import { toHtmlReport } from "../../sim/export/html-report.js";
import { downsampleMinMax } from "../../sim/export/svg-timeline.js";
import { EventLog } from "../../sim/log/chain.js";
import { repoPath } from "../helpers/scenarios.js";
import { checkedRun, exportInput } from "./runs.js";

const blind = checkedRun("scenarios/cost-vs-performance.yaml", "blind");
const brownout = checkedRun("docs/examples/first-scenario.yaml", "brownout");
const nlb = checkedRun("test/incidents/nlb-sketch.yaml");

/** The start tags in `html` (escaped text has no raw `<`, so these are all real elements). */
function startTags(html: string): string[] {
  return [...html.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "").matchAll(/<[a-zA-Z][^>]*>/g)].map((m) => m[0]);
}

/** The values of attribute `name` on every element of `html`. */
function attributeValues(html: string, name: string): string[] {
  return startTags(html).flatMap((tag) => [...tag.matchAll(new RegExp(`\\s${name}="([^"]*)"`, "g"))].map((m) => m[1]));
}

function ids(html: string): Set<string> {
  return new Set(attributeValues(html, "id"));
}

/** Checks that hold for every report: no network, links resolve, well-formed. */
function expectSelfContained(html: string): void {
  expect(html.startsWith("<!DOCTYPE html>\n")).toBe(true);
  expect(XMLValidator.validate(html)).toBe(true);
  const tags = startTags(html);
  expect(tags.length).toBeGreaterThan(20);
  for (const tag of tags) {
    // Nothing that fetches (src, srcset, data, poster, link, object, iframe, img) and no inline event handlers.
    expect(tag).not.toMatch(/\s(src|srcset|data|poster|action|formaction|xlink:href|on[a-z]+)\s*=/i);
    expect(tag).not.toMatch(/^<(link|img|iframe|object|embed|image|use|base|audio|video|source)\b/i);
  }
  expect(html).not.toMatch(/url\(|@import/i);
  expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none';`);
  const anchors = ids(html);
  for (const tag of tags.filter((t) => /^<a\s/.test(t))) {
    const href = /\shref="([^"]*)"/.exec(tag)![1];
    if (href.startsWith("#")) {
      expect(anchors.has(href.slice(1))).toBe(true);
    } else {
      // The one link out: the scenario's source, plain http(s), without referrer or opener.
      expect(href).toMatch(/^https?:\/\/[^\s"'<>]+$/);
      expect(tag).toContain(`rel="noopener noreferrer"`);
    }
  }
  // The report's script; the run's data block when the scenario text was given; the cursor's
  // series and the selected-event panel's records.
  const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
  expect(scripts.filter((t) => t === "<script>")).toHaveLength(1);
  expect(scripts.filter((t) => t !== "<script>")).toEqual([
    ...(html.includes(`id="crossfire-run"`) ? [`<script type="application/json" id="crossfire-run">`] : []),
    `<script type="application/json" id="crossfire-series">`,
    `<script type="application/json" id="crossfire-events">`,
  ]);
}

/** The run embedded in `html`, parsed as the app parses it (JSON.parse of the element's text). */
function embeddedRun(html: string): unknown {
  const m = /<script type="application\/json" id="crossfire-run">([^<]*)<\/script>/.exec(html);
  return m ? JSON.parse(m[1]) : undefined;
}

describe("toHtmlReport", () => {
  it.each([
    ["cost-vs-performance blind", blind],
    ["first-scenario brownout", brownout],
    ["nlb sketch", nlb],
  ])("%s: is self-contained, well-formed, and loads nothing from the network", (_name, c) => {
    const html = toHtmlReport(exportInput(c));
    expectSelfContained(html);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("links every finding's witnesses and root causes to a row of the event table", () => {
    for (const c of [blind, brownout, nlb]) {
      const html = toHtmlReport(exportInput(c));
      const anchors = ids(html);
      expect(c.verdict.findings.length).toBeGreaterThan(0);
      for (const f of c.verdict.findings) {
        for (const seq of [...f.witnesses, ...f.rootCauses]) {
          expect(anchors.has(`seq-${seq}`)).toBe(true);
          expect(html).toContain(`<a href="#seq-${seq}">#${seq}</a>`);
        }
      }
    }
  });

  it("keeps witness rows when the event table is capped, and says it is", () => {
    const html = toHtmlReport(exportInput(nlb), { tableRowsMax: 10, lanesNodesMax: 20 });
    expectSelfContained(html);
    const witnesses = new Set(nlb.verdict.findings.flatMap((f) => [...f.witnesses, ...f.rootCauses]));
    const rows = [...html.matchAll(/<tr id="seq-(\d+)"/g)].map((m) => Number(m[1]));
    expect(rows.length).toBe(new Set([...Array.from({ length: 10 }, (_, i) => i), ...witnesses]).size);
    for (const w of witnesses) expect(rows).toContain(w);
    expect(html).toContain(`Showing the first 10 of ${nlb.run.log.length} events`);
    const lanes = html.slice(html.indexOf(`<svg class="lanes"`), html.indexOf(`</svg>`, html.indexOf(`<svg class="lanes"`)));
    expect(lanes.match(/<circle/g)).toHaveLength(20);
  });

  it("is deterministic: the same run gives the same bytes", () => {
    const again = checkedRun("scenarios/cost-vs-performance.yaml", "blind");
    expect(toHtmlReport(exportInput(again))).toBe(toHtmlReport(exportInput(blind)));
  });

  it("states the verdict (as words, beside the system's state), seed, hash and event count in the header", () => {
    const html = toHtmlReport({ ...exportInput(blind), scenario: blind.run.scenario, scenarioFile: "scenarios/cost-vs-performance.yaml" });
    // Without a story the system's state is said to be unassessed, never implied by a green badge.
    expect(html).toContain(`<p class="verdict-fact" data-fact="expectations" data-verdict="PASS"><span class="fact-name">Expectations</span> <span class="fact-text">expectations met (${blind.verdict.expectations.length}/${blind.verdict.expectations.length})</span></p>`);
    expect(html).toContain(`data-fact="system" data-state="unknown"`);
    expect(html).not.toMatch(/>PASS<\/span> cost-vs-performance/);
    expect(html).toContain(blind.run.finalHash);
    expect(html).toContain(`<dt>events</dt><dd>${blind.run.log.length}</dd>`);
    expect(html).toContain("crossfire run scenarios/cost-vs-performance.yaml --variant blind --seed 42");
    expect(html).toContain(blind.run.scenario.description);
    const failing: ExpectationResult = { name: "never thrash", kind: "finding", passed: false, observed: "1 thrashing finding", expected: "no thrashing finding", line: 3, col: 5, witnesses: [1, 2] };
    const failed = toHtmlReport({ ...exportInput(blind), expectations: [...blind.verdict.expectations, failing] });
    expect(failed).toContain(`<header class="verdict-fail">`);
    expect(failed).toContain(`data-fact="expectations" data-verdict="FAIL"><span class="fact-name">Expectations</span> <span class="fact-text">expectations not met (${blind.verdict.expectations.length}/${blind.verdict.expectations.length + 1})</span>`);
    expect(toHtmlReport({ ...exportInput(blind), incomplete: "stopped at maxEvents" })).toContain(`<header class="verdict-fail">`);
    expect(toHtmlReport({ ...exportInput(blind), expectations: [] })).toContain(`data-verdict="NOT JUDGED"><span class="fact-name">Expectations</span> <span class="fact-text">not judged: no expectations</span>`);
  });

  it("draws at most 1000 points per line on the timeline, with finding and fault bands", () => {
    expect(blind.run.telemetry.count).toBeGreaterThan(1000);
    const html = toHtmlReport(exportInput(blind));
    const lines = [...html.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1].split(" ").length);
    expect(lines.length).toBe(3 * blind.run.telemetry.componentIds.length);
    for (const n of lines) {
      expect(n).toBeGreaterThan(100);
      expect(n).toBeLessThanOrEqual(1000);
    }
    expect(html).toContain(`<g class="band finding-warning">`);
    expect(toHtmlReport(exportInput(brownout))).toContain(`<g class="band fault">`);
  });

  it("embeds the run (scenario text, file, variant, seed, final hash) when given the scenario text", () => {
    const scenarioText = readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8");
    const html = toHtmlReport({ ...exportInput(blind), scenarioText, scenarioFile: "scenarios/cost-vs-performance.yaml" });
    expectSelfContained(html);
    expect(embeddedRun(html)).toEqual({
      format: "crossfire-report/1",
      scenario: "cost-vs-performance",
      variant: "blind",
      seed: 42,
      events: blind.run.log.length,
      finalHash: blind.run.finalHash,
      scenarioFile: "scenarios/cost-vs-performance.yaml",
      scenarioText,
    });
    expect(embeddedRun(toHtmlReport(exportInput(blind)))).toBeUndefined();
  });

  it("escapes the embedded run so no text can close its element or break well-formedness", () => {
    const scenarioText = `name: x\n# </script><script>alert(1)</script> ]]> <!-- & &amp; \u2028 "q" 'q'\n`;
    const html = toHtmlReport({ ...exportInput(blind), scenarioText, scenarioFile: "</script>.yaml", variant: "<v>&" });
    expectSelfContained(html);
    expect(embeddedRun(html)).toMatchObject({ scenarioText, scenarioFile: "</script>.yaml", variant: "<v>&" });
    const block = html.slice(html.indexOf(`id="crossfire-run">`), html.indexOf("</script>", html.indexOf(`id="crossfire-run">`)));
    expect(block).not.toMatch(/[&]/);
    expect(block.slice(block.indexOf(">") + 1)).not.toMatch(/[<>]/);
  });

  it("downsamples by bucket minimum and maximum, keeping spikes", () => {
    const values = Array.from({ length: 10_000 }, (_, i) => (i === 4321 ? 100 : i === 777 ? -5 : Math.sin(i / 50)));
    const kept = downsampleMinMax(values, 1000);
    expect(kept.length).toBeLessThanOrEqual(1000);
    expect(kept).toContain(4321);
    expect(kept).toContain(777);
    expect([...kept].sort((a, b) => a - b)).toEqual(kept);
    expect(downsampleMinMax([1, 2, 3], 1000)).toEqual([0, 1, 2]);
  });

  it("escapes every piece of user text: scenario, actors, reasons, findings, expectations, components", () => {
    const log = new EventLog();
    log.append({ t: 0, type: "run.started", actor: "engine", data: {}, causes: [] });
    log.append({ t: 1000, type: "replicas.scaled", actor: `<b onmouseover="x">evil</b>`, target: `web"'&`, onBehalfOf: "<i>team</i>", data: { knob: "replicas", from: 1, to: 2, reason: `</td></tr><script>alert(2)</script>` }, causes: [0] });
    log.append({ t: 2000, type: "<script>type</script>", actor: "agent", data: { "<k>": "<v>" }, causes: [1] });
    const telemetry = new Telemetry([`<svg onload=alert(3)>`], ["errorRate", "latencyMsP95", "replicas"], 3);
    for (let i = 0; i < 3; i++) {
      const row = telemetry.beginSample(i * 1000);
      telemetry.values.set([i / 10, 20 + i, 2], row);
    }
    const finding: Finding = {
      kind: "thrashing",
      severity: "critical",
      from: 1000,
      to: 2000,
      subjects: ["<u>x</u>"],
      actors: ["<b>a</b>"],
      components: ["<c>"],
      knob: "<k>.replicas",
      witnesses: [1, 2],
      rootCauses: [1],
      metrics: { "<m>": 1 },
      explanation: [`<script>alert(4)</script> (caused by #1)`, `O'Neil's change #1 and #99`],
    };
    const expectation: ExpectationResult = { name: "<iframe>", kind: "finding", passed: false, observed: "<o>", expected: "<e>", line: 1, col: 1, witnesses: [2] };
    const html = toHtmlReport({
      scenario: { name: `x<script>alert(1)</script>`, description: `<script>alert("d")</script> & "quotes" 'single'` },
      variant: `"><img src=x>`,
      seed: `<seed>`,
      finalHash: log.headHash,
      log: log.all(),
      telemetry,
      findings: [finding],
      expectations: [expectation],
      scenarioComponents: [{ id: "<svg onload=alert(3)>", kind: "<kind>", dependsOn: [{ id: "<dep>" }] }],
      scenarioFile: "<file>.yaml",
    });
    expectSelfContained(html);
    expect(html).toContain("&lt;script&gt;alert(&quot;d&quot;)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;single&#39;");
    expect(html).toContain("x&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;/td&gt;&lt;/tr&gt;&lt;script&gt;alert(2)&lt;/script&gt;");
    expect(html).toContain(`&lt;script&gt;alert(4)&lt;/script&gt; (caused by <a href="#seq-1">#1</a>)`);
    // An escaped apostrophe is `&#39;`: it must not turn into a link to event 39; #99 has no row.
    expect(html).toContain(`O&#39;Neil&#39;s change <a href="#seq-1">#1</a> and #99`);
    const tagNames = new Set(startTags(html).map((t) => /^<([a-zA-Z]+)/.exec(t)![1]));
    for (const hostile of ["u", "c", "k", "m", "o", "e", "v", "iframe", "img", "seed", "kind", "dep"]) expect(tagNames.has(hostile)).toBe(false);
    expect(html).not.toContain("<svg onload");
  });
});
