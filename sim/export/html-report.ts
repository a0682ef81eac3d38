// One self-contained HTML file per run for the SRE who opens it from a failed CI pipeline, an
// offline replay: the incident summary first (the verdict as two facts: expectations, and the
// system's state), a timeline with a cursor to scrub, the findings, the event table with a
// selected-event panel that walks causes, the expectations and the agents' space-time diagram.
// No network: inline CSS, SVG and one script, each allowed by its SHA-256 in a Content-Security-
// Policy that loads nothing; every text escaped; well-formed XML syntax (so it can be checked with
// an XML parser); no dates. Pure. Given the scenario text, it also embeds the run (scenario,
// variant, seed, final hash) in a JSON data block, so the replay app can open the report and
// re-run it (ui/model/saved-file.ts reads it).
import { runBounds, type RunBounds } from "./run-file-check.js";
import type { Finding } from "../detect/finding.js";
import type { ExpectationResult } from "../assert/expectation.js";
import { incompleteFromLog, verdictLabel } from "../assert/verdict.js";
import { formatDuration, formatTime } from "../core/units.js";
import type { EventRecord } from "../log/record.js";
import type { IncidentSummary } from "../story/types.js";
import { expectationVerdict } from "../story/verdict-words.js";
import { describeRecord } from "./describe.js";
import { asText, esc, PALETTE, shortNumber } from "./html-text.js";
import { summaryHtml } from "./html-summary.js";
import { REPORT_CSS, REPORT_CSS_HASH } from "./report-css.js";
import { jsonDataBlock, REPORT_EVENTS_ID, REPORT_SERIES_ID, reportRecords, reportSeries } from "./report-data.js";
import { REPORT_SCRIPT_HASH, REPORT_SCRIPT_TEXT } from "./report-script.js";
import { eventClass, lanesHtml } from "./svg-lanes.js";
import { TIMELINE_GEOMETRY, timelineHtml, type TelemetryLike, type TimeBand, type TimelineSignal } from "./svg-timeline.js";

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
  /** The incident summary (sim/story's summarizeRun); the report opens with it. Without it the report shows the expectations' count and says the system's state was not assessed. */
  story?: IncidentSummary;
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
  /** Samples per series in the cursor's data block at most (default 2000; bucket min and max kept). */
  cursorPointsMax?: number;
}

/** The signals the timeline plots, in order. */
const TIMELINE_SIGNALS: readonly TimelineSignal[] = [
  { signal: "errorRate", label: "error rate" },
  { signal: "latencyMsP95", label: "latency p95 (ms)" },
  { signal: "replicas", label: "replicas" },
];

// Witness links listed per finding or expectation; the rest are summarized as a count.
const WITNESS_LINKS_MAX = 500;

/** The report as one HTML document. Pure; the same input gives the same string. */
export function toHtmlReport(input: HtmlReportInput, options: HtmlReportOptions = {}): string {
  const tableRowsMax = options.tableRowsMax ?? 5000;
  const { log, findings, story } = input;
  const name = typeof input.scenario === "string" ? input.scenario : input.scenario.name;
  const description = typeof input.scenario === "string" ? undefined : input.scenario.description;
  const expectations = input.expectations ?? [];
  const failed = expectations.filter((e) => !e.passed);
  const incomplete = input.incomplete ?? incompleteFromLog(log);
  const verdict = story?.verdict.label ?? verdictLabel({ expectations, incomplete });
  const endMs = Math.max(log.reduce((m, r) => Math.max(m, r.t), 0), input.telemetry.count > 0 ? input.telemetry.times[input.telemetry.count - 1] : 0);

  const important = new Set<number>();
  for (const f of findings) for (const s of [...f.witnesses, ...f.rootCauses]) important.add(s);
  for (const e of expectations) for (const s of e.witnesses) important.add(s);
  if (story?.rootCause) important.add(story.rootCause.seq);
  for (const p of story?.phases ?? []) if (p.seq !== undefined) important.add(p.seq);

  // Table rows: every record up to the cap, plus every record a finding, expectation or the summary points at.
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
    asText(text)
      .split(/(#\d+)\b/)
      .map((part, i) => (i % 2 === 1 && anchored.has(Number(part.slice(1))) ? `<a href="#seq-${part.slice(1)}">${part}</a>` : esc(part)))
      .join("");

  const passedCount = expectations.length - failed.length;
  const verdictWords = story ? `${story.verdict.text}; system: ${story.system.state}` : verdict;
  const title = `${name}${input.variant !== undefined ? ` [${input.variant}]` : ""}: ${verdictWords}`;
  const out: string[] = [];
  out.push(`<!DOCTYPE html>`);
  out.push(`<html lang="en">`);
  out.push(`<head>`);
  out.push(`<meta charset="utf-8"/>`);
  out.push(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}"/>`);
  out.push(`<meta name="viewport" content="width=device-width, initial-scale=1"/>`);
  out.push(`<title>Crossfire report: ${esc(title)}</title>`);
  out.push(`<style>${REPORT_CSS}</style>`);
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
    out.push(jsonDataBlock(HTML_REPORT_RUN_ID, run));
  }
  out.push(`</head>`);
  out.push(`<body>`);

  // Header: what ran, then the incident summary with the verdict as two facts.
  const verdictClass = verdict === "FAIL" ? "fail" : verdict === "PASS" ? "pass" : "none";
  // The header's colour is the system's state (an outage reproduced as expected is still an
  // outage); the class names the expectation verdict for scripts and tests.
  out.push(`<header class="verdict-${verdictClass}"${story ? ` data-system="${esc(story.system.state)}"` : ""}>`);
  out.push(`<h1>${esc(name)}${input.variant !== undefined ? ` <span class="variant">[${esc(input.variant)}]</span>` : ""}</h1>`);
  out.push(summaryHtml(story, { verdict: expectationVerdict({ expectations, incomplete }), description }, { link, linkify }));
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
  out.push(`<nav><a href="#timeline">Timeline</a> <a href="#findings">Findings</a> <a href="#events">Events</a> <a href="#expectations">Expectations</a> <a href="#lanes">Agents</a></nav>`);
  out.push(`</header>`);
  out.push(`<div class="layout">`);
  out.push(`<main>`);

  // Timeline, with the cursor.
  const bands: TimeBand[] = [
    // Faults first so the (often short) findings are drawn over them.
    ...faultIntervals(log, endMs).map((fi) => ({ fromMs: fi.fromMs, toMs: fi.toMs, kind: "fault" as const, label: fi.label, href: anchored.has(fi.seq) ? `#seq-${fi.seq}` : undefined })),
    ...findings.map((f, i) => ({ fromMs: f.from, toMs: f.to, kind: `finding-${f.severity}` as const, label: `${f.severity} ${f.kind}${f.knob ? ` on ${f.knob}` : ""} ${formatTime(f.from)}–${formatTime(f.to)}`, href: `#finding-${i + 1}` })),
  ];
  const comps = timelineComponents(input, findings, log, options.timelineComponentsMax ?? 10);
  const series = reportSeries(input.telemetry, endMs, comps.shown, TIMELINE_SIGNALS, options.cursorPointsMax ?? 2000);
  const initialMs = Math.min(endMs, Math.max(0, story?.rootCause?.t ?? 0));
  out.push(`<section id="timeline"><h2>Timeline</h2>`);
  out.push(`<p class="note">Drag or click on the charts to move the cursor (or focus them: arrow keys, Shift for bigger steps, Home, End); "At the cursor" shows each line's value there and the event table highlights the events near it. Shaded with a strip on top: findings (amber: warning, red: critical) and faults (grey, dashed start); click one to jump to it. Lines keep each bucket's minimum and maximum (at most 1000 points).</p>`);
  if (comps.hidden > 0) out.push(`<p class="note">${esc(`${comps.hidden} more components are not drawn.`)}</p>`);
  out.push(
    `<div id="scrubber" class="scrubber" role="slider" tabindex="0" aria-label="Timeline cursor (simulated time)" aria-controls="cursor-readout" aria-valuemin="0" aria-valuemax="${esc(endMs)}" aria-valuenow="${esc(initialMs)}" aria-valuetext="${esc(`${formatTime(initialMs)} of ${formatTime(endMs)}`)}" data-plot-left="${TIMELINE_GEOMETRY.plotLeft}" data-plot-width="${TIMELINE_GEOMETRY.plotWidth}" data-view-width="${TIMELINE_GEOMETRY.viewWidth}">`,
  );
  out.push(timelineHtml(input.telemetry, { endMs, components: comps.shown, signals: TIMELINE_SIGNALS, bands }));
  out.push(`</div>`);
  if (input.scenarioComponents && input.scenarioComponents.length > 0) {
    out.push(`<p class="topology"><b>Components:</b> ${input.scenarioComponents.map((c) => `${esc(c.id)} <i>${esc(c.kind)}</i>${c.dependsOn && c.dependsOn.length > 0 ? ` → ${esc(c.dependsOn.map((d) => d.id).join(", "))}` : ""}`).join("; ")}</p>`);
  }
  out.push(`</section>`);

  // Findings: clicking one selects its root cause (or its first witness).
  out.push(`<section id="findings"><h2>Findings (${esc(findings.length)})</h2>`);
  if (findings.length === 0) out.push(`<p class="note">No detector found anything.</p>`);
  else out.push(`<p class="note">Click a finding to select its root cause (or first witness) in the panel beside; click any #number to select that event.</p>`);
  findings.forEach((f, i) => {
    const pick = [...f.rootCauses, ...f.witnesses].find((s) => anchored.has(s));
    out.push(`<article class="finding sev-${esc(f.severity)}" id="finding-${i + 1}" data-kind="${esc(f.kind)}"${pick !== undefined ? ` data-select-seq="${esc(pick)}"` : ""}>`);
    out.push(`<h3><span class="badge">${esc(asText(f.severity).toUpperCase())}</span> ${esc(f.kind)}${f.knob !== undefined ? ` on ${esc(f.knob)}` : ""}${f.actors.length > 0 ? ` by ${esc(f.actors.join(", "))}` : ""} <span class="when">${esc(`${formatTime(f.from)}–${formatTime(f.to)}`)}</span></h3>`);
    out.push(`<ul class="explanation">${f.explanation.map((line) => `<li>${linkify(line)}</li>`).join("")}</ul>`);
    if (f.rootCauses.length > 0) out.push(`<p><b>Root cause${f.rootCauses.length === 1 ? "" : "s"}:</b> ${links(f.rootCauses)}</p>`);
    out.push(`<p class="witnesses"><b>Witnesses (${f.witnesses.length}):</b> ${links(f.witnesses)}</p>`);
    const metrics = Object.keys(f.metrics).sort();
    if (metrics.length > 0) out.push(`<p class="metrics">${metrics.map((k) => `${esc(k)} <b>${esc(metricText(k, f.metrics[k]))}</b>`).join(" · ")}</p>`);
    if (f.components.length > 0) out.push(`<p class="subjects">components: ${esc(f.components.join(", "))}</p>`);
    out.push(`</article>`);
  });
  out.push(`</section>`);

  // Event table.
  out.push(`<section id="events"><h2>Events (${log.length})</h2>`);
  if (rows.length < log.length) out.push(`<p class="note">${esc(`Showing the first ${tableRowsMax} of ${log.length} events and every event a finding, an expectation or the summary names (${rows.length} rows); the run file has them all.`)}</p>`);
  out.push(`<p class="filters"><label>Filter <input id="filter" type="search" placeholder="actor, type, text…"/></label> <label><input id="only-witnesses" type="checkbox"/> only findings' witnesses</label> <label><input id="hide-health" type="checkbox"/> hide health changes</label> <span id="shown"></span></p>`);
  out.push(`<div class="table-box" id="events-box">`);
  out.push(`<table class="events"><thead><tr><th>#</th><th>time</th><th>actor</th><th>type</th><th>target</th><th>what</th><th>caused by</th></tr></thead><tbody>`);
  for (const r of rows) {
    const classes = [eventClass(r), important.has(r.seq) ? "witness" : ""].filter((c) => c.length > 0).join(" ");
    out.push(
      `<tr id="seq-${esc(r.seq)}" class="${esc(classes)}" data-seq="${esc(r.seq)}" data-t="${esc(r.t)}" data-type="${esc(r.type)}"><td class="seq"><a href="#seq-${esc(r.seq)}">${esc(r.seq)}</a></td><td>${esc(formatTime(r.t))}</td><td>${esc(r.actor)}${r.onBehalfOf !== undefined ? ` <span class="obo">for ${esc(r.onBehalfOf)}</span>` : ""}</td><td>${esc(r.type)}</td><td>${esc(r.target ?? "")}</td><td>${esc(describeRecord(r))}</td><td>${r.causes.map(link).join(" ")}</td></tr>`,
    );
  }
  out.push(`</tbody></table>`);
  out.push(`</div>`);
  out.push(`</section>`);

  // Expectations.
  out.push(`<section id="expectations"><h2>Expectations (${expectations.length > 0 ? `${passedCount} of ${expectations.length} passed` : "none"})</h2>`);
  if (expectations.length > 0) {
    out.push(`<table class="expectations"><thead><tr><th>result</th><th>expectation</th><th>expected</th><th>observed</th><th>line</th><th>witnesses</th></tr></thead><tbody>`);
    for (const e of expectations) {
      out.push(
        `<tr class="${e.passed ? "pass" : "fail"}"><td><span class="verdict" data-verdict="${e.passed ? "PASS" : "FAIL"}">${e.passed ? "PASS" : "FAIL"}</span></td><td>${esc(e.name)}</td><td>${esc(e.expected)}</td><td>${esc(e.observed)}${e.vacuous !== undefined ? `<br/><em class="vacuous" data-vacuous="true">${esc(`passed (vacuous: ${e.vacuous})`)}</em>` : ""}</td><td>${e.line > 0 ? esc(`${e.line}:${e.col}`) : ""}</td><td>${links(e.witnesses)}</td></tr>`,
      );
    }
    out.push(`</tbody></table>`);
  } else {
    out.push(`<p class="note">This variant declares no expectations.</p>`);
  }
  out.push(`</section>`);

  // Space-time lanes.
  out.push(`<section id="lanes"><h2>Agents and causes</h2>`);
  out.push(`<p class="note">A lane per actor, time left to right; lines join each event to its causes (dark: across actors). Dots: <span class="key ev-change">change</span> <span class="key ev-rejected">rejected</span> <span class="key ev-held">held/duplicate</span> <span class="key ev-fault">fault</span> <span class="key ev-unhealthy">unhealthy</span> <span class="key ev-healthy">healthy</span> <span class="key ev-document">document</span> <span class="key ev-coord">intent/lease</span> <span class="key ev-log">log</span>; ringed: a finding's witness.</p>`);
  out.push(lanesHtml(log, { endMs, important, anchored, nodesMax: options.lanesNodesMax }));
  out.push(`</section>`);
  out.push(`</main>`);

  // The side panel: the cursor's readout and the selected event, in view while the page scrolls.
  const initialSeq = story?.rootCause !== undefined && anchored.has(story.rootCause.seq) ? story.rootCause.seq : findings.flatMap((f) => [...f.rootCauses, ...f.witnesses]).find((s) => anchored.has(s));
  out.push(`<aside class="side" aria-label="Cursor and selected event">`);
  out.push(`<section id="cursor-readout" aria-label="Values at the cursor"><h2>At the cursor</h2>`);
  out.push(`<p class="readout"><output id="cursor-time" class="readout-time" aria-live="polite">${esc(formatTime(initialMs))}</output> <span id="cursor-events" class="note"></span></p>`);
  if (series.lines.length > 0) {
    out.push(`<table class="readout"><thead><tr><th>component</th>${series.signals.map((s) => `<th>${esc(s.label)}</th>`).join("")}</tr></thead><tbody>`);
    series.components.forEach((c, ci) => {
      const cells = series.signals.map((_, si) => `<td class="v" data-series="${si * series.components.length + ci}">–</td>`).join("");
      out.push(`<tr><td><span class="swatch sw-${ci % PALETTE.length}"></span>${esc(c)}</td>${cells}</tr>`);
    });
    out.push(`</tbody></table>`);
  } else {
    out.push(`<p class="note">No sampled series to read.</p>`);
  }
  out.push(`</section>`);
  out.push(`<section id="selected" aria-label="Selected event"><h2>Selected event</h2>`);
  out.push(`<p id="selected-empty" class="note">Click a finding, a #number or a row of the event table to see the event's record, its causes and what it led to.</p>`);
  out.push(`<div id="selected-record" aria-live="polite" hidden=""${initialSeq !== undefined ? ` data-initial-seq="${esc(initialSeq)}"` : ""}></div>`);
  out.push(`</section>`);
  out.push(`</aside>`);
  out.push(`</div>`);
  out.push(`<footer><p>Crossfire report. Everything in this file is inline; it loads nothing from the network.</p></footer>`);
  // The cursor's series and the selected-event panel's records: inert JSON, read by the script.
  out.push(jsonDataBlock(REPORT_SERIES_ID, series));
  out.push(jsonDataBlock(REPORT_EVENTS_ID, reportRecords(rows)));
  out.push(`<script>${REPORT_SCRIPT_TEXT}</script>`);
  out.push(`</body>`);
  out.push(`</html>`);
  return `${out.join("\n")}\n`;
}

/** A finding's metric for people: `…Ms` values as durations ("9m2s"), others as short numbers ("542k"). Pure. */
function metricText(key: string, value: number): string {
  return key.endsWith("Ms") && typeof value === "number" && Number.isFinite(value) && value >= 0 ? formatDuration(Math.round(value)) : shortNumber(value);
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


/**
 * The report's Content-Security-Policy. Nothing loads (default-src 'none'); the only script that
 * runs is the report's own, named by the SHA-256 of its exact text, so an injected `<script>` or
 * inline handler (`onerror=`) would be refused even if escaping ever failed; the JSON data blocks
 * are never executed. The one style element is allowed the same way (no inline style attributes
 * anywhere). Images only as data: URLs (the report has none). No forms, no `<base>`.
 * `navigate-to` is not set: it was dropped from CSP Level 3 and no browser implements it; with
 * no script but the report's own, its links are its only navigation: `#fragments` within the
 * file and, when the scenario names one, its http(s) source.
 */
export const REPORT_CSP = [
  "default-src 'none'",
  `script-src ${REPORT_SCRIPT_HASH}`,
  `style-src ${REPORT_CSS_HASH}`,
  "img-src data:",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");
