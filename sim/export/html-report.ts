// One self-contained HTML file per run for the SRE who opens it from a failed CI pipeline:
// verdict, findings with witness links, expectations, a signal timeline, the agents' space-time
// diagram and the event table. No network (inline CSS and SVG, a tiny inline filter script, a
// Content-Security-Policy that forbids loading anything and runs only the report's own script,
// by hash), every text escaped, well-formed XML
// syntax (so it can be checked with an XML parser), no dates. Pure. Given the scenario text, it
// also embeds the run (scenario, variant, seed, final hash) in a JSON data block, so the replay
// app can open the report and re-run it (ui/model/saved-file.ts reads it).
import { runBounds, type RunBounds } from "./run-file-check.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import type { Finding } from "../detect/finding.js";
import type { ExpectationResult } from "../assert/expectation.js";
import { incompleteFromLog, verdictLabel } from "../assert/verdict.js";
import { formatDuration, formatTime } from "../core/units.js";
import type { EventRecord } from "../log/record.js";
import { bytesToBase64 } from "./base64.js";
import { describeRecord } from "./describe.js";
import { asText, esc, shortNumber } from "./html-text.js";
import { eventClass, lanesHtml } from "./svg-lanes.js";
import { timelineHtml, type TelemetryLike, type TimeBand } from "./svg-timeline.js";

/** A component as the report lists it (a ComponentSpec fits). */
export interface ReportComponent {
  id: string;
  kind: string;
  dependsOn?: readonly { id: string }[];
}

export interface HtmlReportInput {
  /** The scenario's name, or the scenario itself (its name and description are shown). */
  scenario: string | { name: string; description?: string };
  variant?: string;
  seed: string | number;
  finalHash: string;
  log: readonly EventRecord[];
  telemetry: TelemetryLike;
  findings: readonly Finding[];
  /** Results of the variant's expectations; absent or empty = the run is not judged. */
  expectations?: readonly ExpectationResult[];
  /** Set when the run stopped before its duration: the verdict is then a failure (default: read from the log's `run.ended` record). */
  incomplete?: string;
  scenarioComponents?: readonly ReportComponent[];
  /** The scenario file, for the "reproduce" line (default `<scenario file>`). */
  scenarioFile?: string;
  /** The scenario file's text as it was run; when given, the report embeds the run (see HtmlReportRun). */
  scenarioText?: string;
}

/** Format tag of the run a report embeds. */
export const HTML_REPORT_RUN_FORMAT = "crossfire-report/1";
/** The id of the `<script type="application/json">` element holding it. */
export const HTML_REPORT_RUN_ID = "crossfire-run";

/**
 * What a report embeds so the app can open it again: re-running `scenarioText` (its `variant`,
 * with `seed`) must end at `finalHash`, which is how the app knows it shows the same run.
 */
export interface HtmlReportRun {
  format: typeof HTML_REPORT_RUN_FORMAT;
  scenario: string;
  variant?: string;
  seed: string | number;
  events: number;
  finalHash: string;
  scenarioFile?: string;
  scenarioText: string;
  /** Where a bounded run stopped, so the app's re-run stops there too (absent for a completed run). */
  bounds?: RunBounds;
}

export interface HtmlReportOptions {
  /** Rows of the event table at most, besides findings' witnesses (default 5000). */
  tableRowsMax?: number;
  /** Dots of the space-time diagram at most (default 1500). */
  lanesNodesMax?: number;
  /** Components drawn on the timeline at most (default 10). */
  timelineComponentsMax?: number;
}

// Witness links listed per finding or expectation; the rest are summarized as a count.
const WITNESS_LINKS_MAX = 500;

/** The report as one HTML document. Pure; the same input gives the same string. */
export function toHtmlReport(input: HtmlReportInput, options: HtmlReportOptions = {}): string {
  const tableRowsMax = options.tableRowsMax ?? 5000;
  const { log, findings } = input;
  const name = typeof input.scenario === "string" ? input.scenario : input.scenario.name;
  const description = typeof input.scenario === "string" ? undefined : input.scenario.description;
  const expectations = input.expectations ?? [];
  const failed = expectations.filter((e) => !e.passed);
  const incomplete = input.incomplete ?? incompleteFromLog(log);
  const verdict = verdictLabel({ expectations, incomplete });
  const endMs = Math.max(log.reduce((m, r) => Math.max(m, r.t), 0), input.telemetry.count > 0 ? input.telemetry.times[input.telemetry.count - 1] : 0);

  const important = new Set<number>();
  for (const f of findings) for (const s of [...f.witnesses, ...f.rootCauses]) important.add(s);
  for (const e of expectations) for (const s of e.witnesses) important.add(s);

  // Table rows: every record up to the cap, plus every record a finding or expectation points at.
  const rows = log.filter((r, i) => i < tableRowsMax || important.has(r.seq));
  const anchored = new Set(rows.map((r) => r.seq));
  // Seqs come from records' causes and findings' witnesses: a forged file may put any value there.
  const link = (seq: number) => (anchored.has(seq) ? `<a href="#seq-${esc(seq)}">#${esc(seq)}</a>` : `#${esc(seq)}`);
  const links = (seqs: readonly number[]) => {
    const shown = seqs.slice(0, WITNESS_LINKS_MAX).map(link).join(" ");
    return seqs.length > WITNESS_LINKS_MAX ? `${shown} … and ${seqs.length - WITNESS_LINKS_MAX} more` : shown;
  };
  // Explanations mention events as `#123`: make those links too. Split before escaping, so an
  // escaped apostrophe (`&#39;`) is never mistaken for event 39.
  const linkify = (text: string) =>
    text
      .split(/(#\d+)\b/)
      .map((part, i) => (i % 2 === 1 && anchored.has(Number(part.slice(1))) ? `<a href="#seq-${part.slice(1)}">${part}</a>` : esc(part)))
      .join("");

  const title = `${name}${input.variant !== undefined ? ` [${input.variant}]` : ""}: ${verdict}`;
  const out: string[] = [];
  out.push(`<!DOCTYPE html>`);
  out.push(`<html lang="en">`);
  out.push(`<head>`);
  out.push(`<meta charset="utf-8"/>`);
  out.push(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}"/>`);
  out.push(`<meta name="viewport" content="width=device-width, initial-scale=1"/>`);
  out.push(`<title>Crossfire report: ${esc(title)}</title>`);
  out.push(`<style>${CSS}</style>`);
  if (input.scenarioText !== undefined) {
    const run: HtmlReportRun = {
      format: HTML_REPORT_RUN_FORMAT,
      scenario: name,
      ...(input.variant !== undefined ? { variant: input.variant } : {}),
      seed: input.seed,
      events: log.length,
      finalHash: input.finalHash,
      ...(input.scenarioFile !== undefined ? { scenarioFile: input.scenarioFile } : {}),
      scenarioText: input.scenarioText,
    };
    const bounds = runBounds(log);
    if (bounds) run.bounds = bounds;
    out.push(runDataBlock(run));
  }
  out.push(`</head>`);
  out.push(`<body>`);

  // Header: what ran and the verdict.
  const verdictClass = verdict === "FAIL" ? "fail" : verdict === "PASS" ? "pass" : "none";
  out.push(`<header class="verdict-${verdictClass}">`);
  out.push(`<h1><span class="verdict" data-verdict="${esc(verdict)}">${esc(verdict)}</span> ${esc(name)}${input.variant !== undefined ? ` <span class="variant">[${esc(input.variant)}]</span>` : ""}</h1>`);
  if (description) out.push(`<p class="description">${esc(description)}</p>`);
  const passedCount = expectations.length - failed.length;
  out.push(`<dl class="facts">`);
  const fact = (k: string, v: string) => out.push(`<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`);
  fact("seed", `<code>${esc(String(input.seed))}</code>`);
  fact("final hash", `<code>${esc(input.finalHash)}</code>`);
  fact("events", esc(log.length));
  fact("simulated", esc(formatDuration(endMs)));
  fact("findings", esc(findings.length));
  fact("expectations", expectations.length > 0 ? esc(`${passedCount} of ${expectations.length} passed`) : "none");
  out.push(`</dl>`);
  if (incomplete !== undefined) out.push(`<p class="incomplete">Run incomplete: ${esc(incomplete)}</p>`);
  const reproduce = `crossfire run ${input.scenarioFile ?? "<scenario file>"}${input.variant !== undefined ? ` --variant ${input.variant}` : ""} --seed ${String(input.seed)}`;
  out.push(`<p class="reproduce">Reproduce: <code>${esc(reproduce)}</code></p>`);
  out.push(`<nav><a href="#findings">Findings</a> <a href="#expectations">Expectations</a> <a href="#timeline">Timeline</a> <a href="#lanes">Agents</a> <a href="#events">Events</a></nav>`);
  out.push(`</header>`);
  out.push(`<main>`);

  // Findings.
  out.push(`<section id="findings"><h2>Findings (${esc(findings.length)})</h2>`);
  if (findings.length === 0) out.push(`<p class="note">No detector found anything.</p>`);
  findings.forEach((f, i) => {
    out.push(`<article class="finding sev-${esc(f.severity)}" id="finding-${i + 1}" data-kind="${esc(f.kind)}">`);
    out.push(`<h3><span class="badge">${esc(asText(f.severity).toUpperCase())}</span> ${esc(f.kind)}${f.knob !== undefined ? ` on ${esc(f.knob)}` : ""}${f.actors.length > 0 ? ` by ${esc(f.actors.join(", "))}` : ""} <span class="when">${esc(`${formatTime(f.from)}–${formatTime(f.to)}`)}</span></h3>`);
    out.push(`<ul class="explanation">${f.explanation.map((line) => `<li>${linkify(line)}</li>`).join("")}</ul>`);
    if (f.rootCauses.length > 0) out.push(`<p><b>Root cause${f.rootCauses.length === 1 ? "" : "s"}:</b> ${links(f.rootCauses)}</p>`);
    out.push(`<p class="witnesses"><b>Witnesses (${f.witnesses.length}):</b> ${links(f.witnesses)}</p>`);
    const metrics = Object.keys(f.metrics).sort();
    if (metrics.length > 0) out.push(`<p class="metrics">${metrics.map((k) => `${esc(k)} <b>${esc(shortNumber(f.metrics[k]))}</b>`).join(" · ")}</p>`);
    if (f.components.length > 0) out.push(`<p class="subjects">components: ${esc(f.components.join(", "))}</p>`);
    out.push(`</article>`);
  });
  out.push(`</section>`);

  // Expectations.
  out.push(`<section id="expectations"><h2>Expectations (${expectations.length > 0 ? `${passedCount} of ${expectations.length} passed` : "none"})</h2>`);
  if (expectations.length > 0) {
    out.push(`<table class="expectations"><thead><tr><th>result</th><th>expectation</th><th>expected</th><th>observed</th><th>line</th><th>witnesses</th></tr></thead><tbody>`);
    for (const e of expectations) {
      out.push(
        `<tr class="${e.passed ? "pass" : "fail"}"><td><span class="verdict" data-verdict="${e.passed ? "PASS" : "FAIL"}">${e.passed ? "PASS" : "FAIL"}</span></td><td>${esc(e.name)}</td><td>${esc(e.expected)}</td><td>${esc(e.observed)}${e.vacuous !== undefined ? `<br><em class="vacuous" data-vacuous="true">${esc(`passed (vacuous: ${e.vacuous})`)}</em>` : ""}</td><td>${e.line > 0 ? esc(`${e.line}:${e.col}`) : ""}</td><td>${links(e.witnesses)}</td></tr>`,
      );
    }
    out.push(`</tbody></table>`);
  } else {
    out.push(`<p class="note">This variant declares no expectations.</p>`);
  }
  out.push(`</section>`);

  // Timeline.
  const bands: TimeBand[] = [
    // Faults first so the (often short) findings are drawn over them.
    ...faultIntervals(log, endMs).map((fi) => ({ fromMs: fi.fromMs, toMs: fi.toMs, kind: "fault" as const, label: fi.label, href: anchored.has(fi.seq) ? `#seq-${fi.seq}` : undefined })),
    ...findings.map((f, i) => ({ fromMs: f.from, toMs: f.to, kind: `finding-${f.severity}` as const, label: `${f.severity} ${f.kind}${f.knob ? ` on ${f.knob}` : ""} ${formatTime(f.from)}–${formatTime(f.to)}`, href: `#finding-${i + 1}` })),
  ];
  out.push(`<section id="timeline"><h2>Timeline</h2>`);
  out.push(`<p class="note">Shaded, with a strip along the top: findings (amber: warning, red: critical) and faults (grey, dashed line at the start); click one to jump to it. Lines are downsampled to at most 1000 points, keeping each bucket's minimum and maximum.</p>`);
  const comps = timelineComponents(input, findings, log, options.timelineComponentsMax ?? 10);
  if (comps.hidden > 0) out.push(`<p class="note">${esc(`${comps.hidden} more components are not drawn.`)}</p>`);
  out.push(
    timelineHtml(input.telemetry, {
      endMs,
      components: comps.shown,
      signals: [
        { signal: "errorRate", label: "error rate" },
        { signal: "latencyMsP95", label: "latency p95 (ms)" },
        { signal: "replicas", label: "replicas" },
      ],
      bands,
    }),
  );
  if (input.scenarioComponents && input.scenarioComponents.length > 0) {
    out.push(`<p class="topology"><b>Components:</b> ${input.scenarioComponents.map((c) => `${esc(c.id)} <i>${esc(c.kind)}</i>${c.dependsOn && c.dependsOn.length > 0 ? ` → ${esc(c.dependsOn.map((d) => d.id).join(", "))}` : ""}`).join("; ")}</p>`);
  }
  out.push(`</section>`);

  // Space-time lanes.
  out.push(`<section id="lanes"><h2>Agents and causes</h2>`);
  out.push(`<p class="note">A lane per actor, time left to right; lines join each event to its causes (dark: across actors). Dots: <span class="key ev-change">change</span> <span class="key ev-rejected">rejected</span> <span class="key ev-held">held/duplicate</span> <span class="key ev-fault">fault</span> <span class="key ev-unhealthy">unhealthy</span> <span class="key ev-healthy">healthy</span> <span class="key ev-document">document</span> <span class="key ev-coord">intent/lease</span> <span class="key ev-log">log</span>; ringed: a finding's witness.</p>`);
  out.push(lanesHtml(log, { endMs, important, anchored, nodesMax: options.lanesNodesMax }));
  out.push(`</section>`);

  // Event table.
  out.push(`<section id="events"><h2>Events (${log.length})</h2>`);
  if (rows.length < log.length) out.push(`<p class="note">${esc(`Showing the first ${tableRowsMax} of ${log.length} events and every event a finding or expectation names (${rows.length} rows); the run file has them all.`)}</p>`);
  out.push(`<p class="filters"><label>Filter <input id="filter" type="search" placeholder="actor, type, text…"/></label> <label><input id="only-witnesses" type="checkbox"/> only findings' witnesses</label> <label><input id="hide-health" type="checkbox"/> hide health changes</label> <span id="shown"></span></p>`);
  out.push(`<table class="events"><thead><tr><th>#</th><th>time</th><th>actor</th><th>type</th><th>target</th><th>what</th><th>caused by</th></tr></thead><tbody>`);
  for (const r of rows) {
    const classes = [eventClass(r), important.has(r.seq) ? "witness" : ""].filter((c) => c.length > 0).join(" ");
    out.push(
      `<tr id="seq-${esc(r.seq)}" class="${esc(classes)}" data-type="${esc(r.type)}"><td class="seq"><a href="#seq-${esc(r.seq)}">${esc(r.seq)}</a></td><td>${esc(formatTime(r.t))}</td><td>${esc(r.actor)}${r.onBehalfOf !== undefined ? ` <span class="obo">for ${esc(r.onBehalfOf)}</span>` : ""}</td><td>${esc(r.type)}</td><td>${esc(r.target ?? "")}</td><td>${esc(describeRecord(r))}</td><td>${r.causes.map(link).join(" ")}</td></tr>`,
    );
  }
  out.push(`</tbody></table>`);
  out.push(`</section>`);
  out.push(`</main>`);
  out.push(`<footer><p>Crossfire report. Everything in this file is inline; it loads nothing from the network.</p></footer>`);
  out.push(`<script>${SCRIPT_ELEMENT_TEXT}</script>`);
  out.push(`</body>`);
  out.push(`</html>`);
  return `${out.join("\n")}\n`;
}

/**
 * The run as a data block: a `<script>` of type application/json is never executed (so the CSP's
 * script rules do not apply) and is read with JSON.parse. `<`, `>` and `&` are written as JSON
 * `\u` escapes, so no text can close the element or break the file's XML well-formedness. Pure.
 */
function runDataBlock(run: HtmlReportRun): string {
  const json = JSON.stringify(run).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `<script type="application/json" id="${HTML_REPORT_RUN_ID}">${json}</script>`;
}

/** Each fault's interval: from its `fault.started` to its `fault.ended` (or the end of the run). Pure. */
export function faultIntervals(log: readonly EventRecord[], endMs: number): { seq: number; fromMs: number; toMs: number; label: string }[] {
  const ends = new Map<number, number>();
  for (const r of log) if (r.type === "fault.ended" && r.causes.length > 0) ends.set(r.causes[0], r.t);
  return log
    .filter((r) => r.type === "fault.started")
    .map((r) => ({ seq: r.seq, fromMs: r.t, toMs: ends.get(r.seq) ?? endMs, label: `#${r.seq} fault ${r.actor}: ${describeRecord(r)}` }));
}

/** Components for the timeline: the ones findings, faults and agents touched first, then the rest in telemetry order. */
function timelineComponents(input: HtmlReportInput, findings: readonly Finding[], log: readonly EventRecord[], max: number): { shown: string[]; hidden: number } {
  const all = input.telemetry.componentIds;
  const involved = new Set<string>();
  for (const f of findings) for (const c of f.components) involved.add(c);
  for (const r of log) if (r.target !== undefined && r.actor !== "engine") involved.add(r.target);
  const ordered = [...all.filter((c) => involved.has(c)), ...all.filter((c) => !involved.has(c))];
  return { shown: ordered.slice(0, max), hidden: Math.max(0, ordered.length - max) };
}

const CSS = `
:root{--fg:#1b1f23;--muted:#5a6270;--line:#d8dde3;--bg:#fff;--fail:#b42318;--pass:#067647;--warn:#b54708}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:16px 24px;border-bottom:4px solid var(--line)}
header.verdict-fail{border-bottom-color:var(--fail)}
header.verdict-pass{border-bottom-color:var(--pass)}
h1{margin:0 0 6px;font-size:22px}
h2{margin:28px 0 10px;font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{margin:0 0 6px;font-size:15px}
main{padding:0 24px 40px}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
.verdict{display:inline-block;padding:1px 8px;border-radius:4px;color:#fff;font-size:13px;vertical-align:middle;background:var(--muted)}
.verdict[data-verdict="FAIL"]{background:var(--fail)}
.verdict[data-verdict="PASS"]{background:var(--pass)}
.variant{color:var(--muted);font-weight:normal}
.description{max-width:70em;color:var(--muted);white-space:pre-wrap;margin:4px 0 8px}
.facts{display:flex;flex-wrap:wrap;gap:4px 24px;margin:8px 0}
.facts div{display:flex;gap:6px}
.facts dt{color:var(--muted)}
.facts dd{margin:0}
.incomplete{color:var(--fail);font-weight:bold}
nav a{margin-right:14px}
.note{color:var(--muted)}
.finding{border:1px solid var(--line);border-left:6px solid var(--muted);border-radius:4px;padding:10px 14px;margin:10px 0}
.finding.sev-warning{border-left-color:var(--warn)}
.finding.sev-critical{border-left-color:var(--fail)}
.badge{font-size:11px;padding:1px 6px;border-radius:3px;background:#eef0f3;vertical-align:middle}
.sev-warning .badge{background:#fef0c7}
.sev-critical .badge{background:#fee4e2}
.when{color:var(--muted);font-weight:normal;font-size:13px}
.explanation{margin:4px 0;padding-left:20px}
.witnesses{max-height:7.5em;overflow:auto}
.metrics,.subjects,.topology{color:var(--muted);font-size:13px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f6f8fa;position:sticky;top:0}
tr.fail td{background:#fff4f2}
table.events td:nth-child(6){max-width:48em}
table.events tr.ev-rejected td{background:#fff4f2}
table.events tr.ev-fault td{background:#f4f4f5}
table.events tr.ev-unhealthy td{background:#f7f3ff}
table.events td:nth-child(-n+5){white-space:nowrap}
table.events tr.witness td:first-child{box-shadow:inset 4px 0 0 var(--warn)}
tr:target td{background:#fff7c2 !important}
.obo{color:var(--muted);font-size:12px}
figure{margin:8px 0 16px}
figcaption{font-weight:600;font-size:13px}
figcaption.caption{font-weight:normal;color:var(--muted)}
svg{display:block;width:100%;height:auto;max-width:1200px}
svg text{font:11px system-ui,sans-serif;fill:var(--muted)}
.plot{fill:#fbfcfd;stroke:var(--line)}
.grid{stroke:#eceff3}
.line{fill:none;stroke-width:1.4}
.band .shade{opacity:.08}
.band .strip{opacity:.8}
.band.finding-info{fill:#98a2b3}
.band.finding-warning{fill:#f79009}
.band.finding-critical{fill:#f04438}
.band.fault{fill:#475467}
.band.fault .shade{opacity:.16}
.fault-mark{stroke:#475467;stroke-width:1.5;stroke-dasharray:3 2}
.legend{font-size:12px}
.swatch{display:inline-block;width:14px;height:4px;margin:0 4px 2px 10px;vertical-align:middle}
.lane{stroke:#e4e7ec}
.lane-fault{stroke:#d0d5dd;stroke-dasharray:4 3}
.lane-label{fill:var(--fg)}
.edge{fill:none;stroke-width:1}
.edge-within{stroke:#d0d5dd}
.edge-across{stroke:#667085;opacity:.6}
circle{stroke:#fff;stroke-width:1}
circle.important{stroke:#b54708;stroke-width:2}
.ev-change{fill:#1f77b4}.ev-rejected{fill:#d92d20}.ev-held{fill:#f79009}.ev-fault{fill:#344054}
.ev-unhealthy{fill:#9e77ed}.ev-healthy{fill:#12b76a}.ev-document{fill:#0e9384}.ev-coord{fill:#b692f6}.ev-log{fill:#fdb022}.ev-other{fill:#98a2b3}
.key{display:inline-block;padding:0 6px;border-radius:8px;color:#fff;font-size:11px}
.key.ev-change{background:#1f77b4}.key.ev-rejected{background:#d92d20}.key.ev-held{background:#f79009}.key.ev-fault{background:#344054}
.key.ev-unhealthy{background:#9e77ed}.key.ev-healthy{background:#12b76a}.key.ev-document{background:#0e9384}.key.ev-coord{background:#b692f6}.key.ev-log{background:#b54708}
table.events tr.ev-log td{background:#fffaeb}
footer{padding:12px 24px;color:var(--muted);font-size:12px;border-top:1px solid var(--line)}
`.trim();

// Filters the event table; written without "<" and "&" so the file also parses as XML, and
// un-hides a filtered row when a link targets it.
const SCRIPT = `
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.events tbody tr"));
  var text = document.getElementById("filter");
  var only = document.getElementById("only-witnesses");
  var health = document.getElementById("hide-health");
  var shown = document.getElementById("shown");
  function apply() {
    var q = text.value.toLowerCase();
    var n = 0;
    rows.forEach(function (r) {
      var hide = (q !== "" ? r.textContent.toLowerCase().indexOf(q) === -1 : false) ||
        (only.checked ? !r.classList.contains("witness") : false) ||
        (health.checked ? r.getAttribute("data-type") === "health.changed" : false);
      r.hidden = hide;
      if (!hide) n++;
    });
    shown.textContent = n + " of " + rows.length + " rows";
  }
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var row = id ? document.getElementById(id) : null;
    if (row ? row.hidden : false) { row.hidden = false; row.scrollIntoView(); }
  }
  text.addEventListener("input", apply);
  only.addEventListener("change", apply);
  health.addEventListener("change", apply);
  window.addEventListener("hashchange", reveal);
  apply();
})();
`.trim();

/** The filter script's element text: the script in a commented CDATA section, for XML parsers. */
const SCRIPT_ELEMENT_TEXT = `//<![CDATA[\n${SCRIPT}\n//]]>`;

/**
 * The report's Content-Security-Policy. Nothing loads (default-src 'none'); the only script that
 * runs is the filter script, named by the SHA-256 of its exact text, so an injected `<script>`
 * or inline handler (`onerror=`) would be refused even if escaping ever failed. No forms, no
 * `<base>`. Inline CSS stays allowed: the report's style element and the legend's swatches use
 * it, and escaped text cannot open a style context. `navigate-to` is not set: it was dropped from
 * CSP Level 3 and no browser implements it; with no script but the report's own, the report's
 * links are its only navigation, and they are all `#fragments` within the file.
 */
export const REPORT_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  `script-src 'sha256-${bytesToBase64(sha256(utf8ToBytes(SCRIPT_ELEMENT_TEXT)))}'`,
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");
