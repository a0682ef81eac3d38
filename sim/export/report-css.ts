// The HTML report's style sheet: one <style> element allowed by the SHA-256 of its text in the
// report's CSP (no inline style attributes anywhere: the legend's swatches use the .sw-N classes).
// No "<" or "&" in it, so the file stays well-formed XML. Pure data.
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { bytesToBase64 } from "./base64.js";
import { PALETTE } from "./html-text.js";

const BASE = `
:root{--fg:#1b1f23;--muted:#5a6270;--line:#d8dde3;--bg:#fff;--fail:#b42318;--pass:#067647;--warn:#b54708}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:14px 24px 10px;border-bottom:4px solid var(--line)}
header[data-system="healthy"]{border-bottom-color:var(--pass)}
header[data-system="degraded"]{border-bottom-color:var(--warn)}
header[data-system="outage"]{border-bottom-color:var(--fail)}
h1{margin:0 0 6px;font-size:22px}
h2{margin:28px 0 10px;font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{margin:0 0 6px;font-size:15px}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
.verdict{display:inline-block;padding:1px 8px;border-radius:4px;color:#fff;font-size:13px;vertical-align:middle;background:var(--muted)}
.verdict[data-verdict="FAIL"]{background:var(--fail)}
.verdict[data-verdict="PASS"]{background:var(--pass)}
.variant{color:var(--muted);font-weight:normal}
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
tr:target td,tr.selected td{background:#fff7c2 !important}
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
.layout{display:grid;grid-template-columns:minmax(0,1fr) 380px;gap:0 24px;padding:0 24px 40px}
main{min-width:0}
.side{position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto;padding:4px 2px 16px}
.side h2{margin-top:14px}
@media (max-width:1100px){.layout{grid-template-columns:minmax(0,1fr)}.side{position:static;max-height:none}}
.summary{margin:6px 0 4px}
.headline{font-size:17px;font-weight:600;margin:4px 0 8px;max-width:75em}
.verdicts{display:flex;flex-wrap:wrap;gap:8px 12px;margin:8px 0}
.verdict-fact{margin:0;padding:5px 12px;border:1px solid var(--line);border-left:6px solid var(--muted);border-radius:6px;background:#f9fafb}
.verdict-fact .fact-name{display:block;font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.verdict-fact .fact-text{font-weight:600;font-size:15px}
.verdict-fact[data-verdict="PASS"],.verdict-fact[data-state="healthy"]{border-left-color:var(--pass)}
.verdict-fact[data-verdict="FAIL"],.verdict-fact[data-state="outage"]{border-left-color:var(--fail)}
.verdict-fact[data-state="outage"]{background:#fff4f2}
.verdict-fact[data-state="degraded"]{border-left-color:var(--warn);background:#fffaeb}
.root-cause{margin:6px 0;max-width:75em}
.phases{list-style:none;padding:0;margin:6px 0;max-width:75em}
.phases li{margin:2px 0}
.phase-kind{display:inline-block;min-width:7.5em;font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.phases li[data-phase="impact"] .phase-kind{color:var(--fail)}
.phases li[data-phase="recovery"] .phase-kind{color:var(--pass)}
.description{margin:6px 0;max-width:75em}
.description p{margin:4px 0}
.description details p{white-space:pre-wrap;color:var(--muted)}
.description summary{cursor:pointer;color:var(--muted)}
.description details{display:inline-block;vertical-align:top;margin-right:18px}
.description details[open]{display:block}
.scrubber{cursor:ew-resize;touch-action:none;outline:none;user-select:none}
.scrubber:focus-visible{outline:2px solid #2e90fa;outline-offset:4px;border-radius:4px}
.scrubber a{cursor:pointer}
.cursor{stroke:#101828;stroke-width:1.5}
svg text.cursor-label{fill:#101828;font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.readout{margin:0}
.readout-time{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
table.readout td.v{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.readout th{position:static}
table.readout td:first-child{word-break:break-all}
.table-box{max-height:60vh;overflow:auto;border:1px solid var(--line);border-radius:4px}
table.events tr.near td{background:#eff8ff !important}
table.events tr.selected td:first-child{box-shadow:inset 4px 0 0 #1570ef}
table.events tbody tr{cursor:pointer}
.finding[data-select-seq]{cursor:pointer}
.finding[data-select-seq]:hover{background:#f9fafb}
.finding.selected{box-shadow:0 0 0 2px #1570ef}
#selected-record dl{margin:4px 0}
#selected-record dl div{display:grid;grid-template-columns:7em minmax(0,1fr);gap:6px;padding:1px 0;border-bottom:1px solid #f0f2f5}
#selected-record dt{color:var(--muted)}
#selected-record dd{margin:0;word-break:break-word}
.sel-title{font-weight:600;font-size:15px;margin:4px 0}
.seq-list{margin:2px 0;padding-left:18px}
.side h3{margin:10px 0 2px;font-size:13px}
a.external::after{content:" \\2197"}
`.trim();

/** The style element's text (the palette's swatch classes appended). */
export const REPORT_CSS = `${BASE}\n${PALETTE.map((c, i) => `.sw-${i}{background:${c}}`).join("")}`;

/** The CSP source that allows exactly that text: `'sha256-<base64>'`. */
export const REPORT_CSS_HASH = `'sha256-${bytesToBase64(sha256(utf8ToBytes(REPORT_CSS)))}'`;
