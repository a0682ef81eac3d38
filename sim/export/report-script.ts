// The HTML report's one script, allowed by the SHA-256 of its exact text in the report's CSP: the
// event table's filter, the timeline's cursor (drag, click or arrow keys; shows the time and every
// plotted series' value there, read from the inert JSON series block, and highlights the events
// near it), and the selected-event panel (a finding, a #seq link or a row selects an event; the
// panel shows its record, its causes and what it led to, each a link that selects that event).
// It builds every node with createElement and textContent, never markup from the run, uses no
// eval and loads nothing. Written ES5-style for any browser; no "</" in it, and it sits in a
// commented CDATA section so the file stays well-formed XML.
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { bytesToBase64 } from "./base64.js";
import { REPORT_EVENTS_ID, REPORT_SERIES_ID } from "./report-data.js";

const SCRIPT = `
(function () {
  "use strict";
  function byId(id) { return document.getElementById(id); }
  function readJson(id) {
    var el = byId(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent || ""); } catch (e) { return null; }
  }
  function pad(n, w) { var s = String(n); while (s.length < w) s = "0" + s; return s; }
  function fmtTime(ms) {
    ms = Math.max(0, Math.round(ms));
    var b = pad(Math.floor(ms / 3600000), 2) + ":" + pad(Math.floor((ms % 3600000) / 60000), 2) + ":" + pad(Math.floor((ms % 60000) / 1000), 2);
    return ms % 1000 === 0 ? b : b + "." + pad(ms % 1000, 3);
  }
  function fmtValue(v) {
    if (v === null || v === undefined) return "\\u2013";
    if (v === 0) return "0";
    var a = Math.abs(v);
    // As the charts' axis labels (shortNumber in html-text.ts): 4 digits, then k, M, G.
    if (a < 0.001) return v.toPrecision(3);
    if (a < 10000) return String(Number(v.toPrecision(4)));
    if (a >= 1e9) return Number((v / 1e9).toPrecision(3)) + "G";
    if (a >= 1e6) return Number((v / 1e6).toPrecision(3)) + "M";
    return Number((v / 1e3).toPrecision(3)) + "k";
  }
  function asText(v) { return typeof v === "string" ? v : JSON.stringify(v); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // --- the event table and its filter ---
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.events tbody tr"));
  var rowBySeq = {};
  rows.forEach(function (r) { rowBySeq[r.getAttribute("data-seq")] = r; });
  var filterText = byId("filter");
  var only = byId("only-witnesses");
  var health = byId("hide-health");
  var shown = byId("shown");
  function applyFilter() {
    var q = filterText.value.toLowerCase();
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
  filterText.addEventListener("input", applyFilter);
  only.addEventListener("change", applyFilter);
  health.addEventListener("change", applyFilter);
  var box = byId("events-box");
  // Scrolls the table's own box (not the page) so the row is in view.
  function scrollRowIntoBox(row) {
    if (!box || !row || row.hidden) return;
    var b = box.getBoundingClientRect();
    var r = row.getBoundingClientRect();
    var head = box.querySelector("thead");
    var top = b.top + (head ? head.getBoundingClientRect().height : 0);
    if (r.top >= top ? r.bottom > b.bottom : true) box.scrollTop += r.top - top - Math.max(0, (b.bottom - top) / 3);
  }

  // --- the timeline cursor ---
  var scrub = byId("scrubber");
  var data = readJson("${REPORT_SERIES_ID}");
  var endMs = data ? Math.max(1, data.endMs) : 1;
  var lines = data ? data.lines : [];
  lines.forEach(function (line) {
    var t = 0;
    line.abs = line.t.map(function (d) { t += d; return t; });
  });
  function valueAt(line, t) {
    var lo = 0, hi = line.abs.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (line.abs[mid] <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found === -1 ? null : line.v[found];
  }
  var cells = Array.prototype.slice.call(document.querySelectorAll("[data-series]"));
  var marks = Array.prototype.slice.call(document.querySelectorAll("#scrubber .cursor"));
  var labels = Array.prototype.slice.call(document.querySelectorAll("#scrubber .cursor-label"));
  var left = scrub ? Number(scrub.getAttribute("data-plot-left")) : 0;
  var plotW = scrub ? Number(scrub.getAttribute("data-plot-width")) : 1;
  var viewW = scrub ? Number(scrub.getAttribute("data-view-width")) : 1;
  var near = [];
  var cursor = 0;
  function setCursor(t, scroll) {
    if (!scrub) return;
    cursor = Math.min(endMs, Math.max(0, Math.round(t)));
    scrub.setAttribute("aria-valuenow", String(cursor));
    scrub.setAttribute("aria-valuetext", fmtTime(cursor) + " of " + fmtTime(endMs));
    byId("cursor-time").textContent = fmtTime(cursor);
    var x = String(Math.round((left + (cursor / endMs) * plotW) * 10) / 10);
    marks.forEach(function (m) { m.setAttribute("x1", x); m.setAttribute("x2", x); m.removeAttribute("visibility"); });
    labels.forEach(function (l) {
      l.setAttribute("x", x);
      l.setAttribute("text-anchor", cursor > endMs * 0.85 ? "end" : "start");
      l.textContent = " " + fmtTime(cursor) + " ";
      l.removeAttribute("visibility");
    });
    cells.forEach(function (c) { c.textContent = fmtValue(valueAt(lines[Number(c.getAttribute("data-series"))], cursor)); });
    // The events near the cursor: within half a percent of the run either side, or else the
    // last ones at or before it.
    near.forEach(function (r) { r.classList.remove("near"); r.removeAttribute("data-near"); });
    var half = endMs / 200;
    near = rows.filter(function (r) { return Math.abs(Number(r.getAttribute("data-t")) - cursor) <= half; });
    if (near.length === 0) {
      var before = rows.filter(function (r) { return Number(r.getAttribute("data-t")) <= cursor; });
      if (before.length > 0) {
        var last = before[before.length - 1].getAttribute("data-t");
        near = before.filter(function (r) { return r.getAttribute("data-t") === last; });
      }
    }
    near.forEach(function (r) { r.classList.add("near"); r.setAttribute("data-near", "true"); });
    var count = byId("cursor-events");
    if (count) count.textContent = near.length === 0 ? "no events yet" : near.length + (near.length === 1 ? " event" : " events") + " near the cursor (highlighted in the table)";
    if (scroll !== false) {
      var firstShown = near.filter(function (r) { return !r.hidden; })[0];
      if (firstShown) scrollRowIntoBox(firstShown);
    }
  }
  if (scrub) {
    var dragging = false;
    var moved = false;
    var timeAt = function (clientX) {
      var svg = scrub.querySelector("svg.chart");
      var r = svg.getBoundingClientRect();
      var t = (((clientX - r.left) / r.width) * viewW - left) / plotW * endMs;
      // Whole seconds for runs of a minute or more: a pointer is not finer than that anyway.
      return endMs >= 60000 ? Math.round(t / 1000) * 1000 : t;
    };
    scrub.addEventListener("pointerdown", function (e) {
      if (e.button !== 0 || !e.target.closest("svg.chart")) return;
      dragging = true;
      moved = false;
      scrub.focus({ preventScroll: true });
      setCursor(timeAt(e.clientX));
      e.preventDefault();
    });
    window.addEventListener("pointermove", function (e) {
      if (!dragging) return;
      moved = true;
      setCursor(timeAt(e.clientX));
    });
    window.addEventListener("pointerup", function () { dragging = false; });
    window.addEventListener("pointercancel", function () { dragging = false; });
    scrub.addEventListener("dragstart", function (e) { e.preventDefault(); });
    // A drag that ends on a band's link is a drag, not a click on the link.
    scrub.addEventListener("click", function (e) {
      if (moved) { e.preventDefault(); e.stopPropagation(); moved = false; }
    }, true);
    scrub.addEventListener("keydown", function (e) {
      var step = endMs / 100;
      var big = endMs / 10;
      var t = null;
      if (e.key === "ArrowRight" || e.key === "ArrowUp") t = cursor + (e.shiftKey ? big : step);
      else if (e.key === "ArrowLeft" || e.key === "ArrowDown") t = cursor - (e.shiftKey ? big : step);
      else if (e.key === "PageUp") t = cursor + big;
      else if (e.key === "PageDown") t = cursor - big;
      else if (e.key === "Home") t = 0;
      else if (e.key === "End") t = endMs;
      if (t === null) return;
      e.preventDefault();
      setCursor(t);
    });
  }

  // --- the selected event ---
  var records = readJson("${REPORT_EVENTS_ID}") || [];
  var bySeq = {};
  var effects = {};
  records.forEach(function (r) {
    bySeq[r.seq] = r;
    r.causes.forEach(function (c) { (effects[c] = effects[c] || []).push(r.seq); });
  });
  var panel = byId("selected-record");
  var findings = Array.prototype.slice.call(document.querySelectorAll(".finding[data-select-seq]"));
  var hint = byId("selected-empty");
  var selected = null;
  function seqLink(seq) {
    var li = el("li");
    var r = bySeq[seq];
    if (r) {
      var a = el("a", "seq-link", "#" + seq);
      a.setAttribute("href", "#seq-" + seq);
      li.appendChild(a);
      li.appendChild(document.createTextNode(" " + fmtTime(r.t) + " " + r.actor + " " + r.type + (r.target !== undefined ? " " + r.target : "")));
    } else {
      li.textContent = "#" + seq + " (not in this report's table; the run file has it)";
    }
    return li;
  }
  function seqList(title, seqs, testid, none) {
    var part = el("div", "sel-part");
    part.appendChild(el("h3", "", title + " (" + seqs.length + ")"));
    if (seqs.length === 0) { part.appendChild(el("p", "note", none)); return part; }
    var ul = el("ul", "seq-list");
    ul.setAttribute("data-testid", testid);
    seqs.slice(0, 200).forEach(function (s) { ul.appendChild(seqLink(s)); });
    if (seqs.length > 200) ul.appendChild(el("li", "note", "and " + (seqs.length - 200) + " more"));
    part.appendChild(ul);
    return part;
  }
  function select(seq) {
    var r = bySeq[seq];
    if (!r || !panel) return false;
    if (selected !== null) {
      var old = rowBySeq[selected];
      if (old) { old.classList.remove("selected"); old.removeAttribute("aria-selected"); }
    }
    selected = seq;
    findings.forEach(function (f) { f.classList.toggle("selected", f.getAttribute("data-select-seq") === String(seq)); });
    var row = rowBySeq[seq];
    if (row) { row.classList.add("selected"); row.setAttribute("aria-selected", "true"); row.hidden = false; }
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    panel.setAttribute("data-seq", String(seq));
    panel.appendChild(el("p", "sel-title", "#" + seq + " " + r.type));
    var dl = el("dl", "sel-fields");
    var field = function (k, v) {
      if (v === undefined) return;
      var d = el("div");
      d.setAttribute("data-field", k);
      d.appendChild(el("dt", "", k));
      d.appendChild(el("dd", "", asText(v)));
      dl.appendChild(d);
    };
    field("time", fmtTime(r.t));
    field("actor", r.actor);
    field("on behalf of", r.onBehalfOf);
    field("type", r.type);
    field("target", r.target);
    var whatCell = row ? row.cells[5] : null;
    field("what", whatCell ? whatCell.textContent : undefined);
    panel.appendChild(dl);
    var keys = Object.keys(r.data);
    if (keys.length > 0) {
      panel.appendChild(el("h3", "", "Data"));
      var dd = el("dl", "sel-data");
      keys.forEach(function (k) {
        var d = el("div");
        d.appendChild(el("dt", "", k));
        d.appendChild(el("dd", "", asText(r.data[k])));
        dd.appendChild(d);
      });
      panel.appendChild(dd);
    }
    panel.appendChild(seqList("Caused by", r.causes, "causes", "Nothing: it started on its own (a fault, a workload or the run)."));
    panel.appendChild(seqList("Led to", effects[seq] || [], "effects", "Nothing in this report's table names it as a cause."));
    panel.hidden = false;
    if (hint) hint.hidden = true;
    setCursor(r.t, false);
    scrollRowIntoBox(row);
    return true;
  }
  document.addEventListener("click", function (e) {
    var target = e.target;
    if (!target || !target.closest) return;
    var a = target.closest("a");
    if (a) {
      var href = a.getAttribute("href") || "";
      if (href.indexOf("#seq-") !== 0) return;
      if (select(Number(href.slice(5)))) {
        e.preventDefault();
        try { history.pushState(null, "", href); } catch (err) { /* a page without a URL keeps its own */ }
      }
      return;
    }
    var row = target.closest("table.events tbody tr");
    if (row) { select(Number(row.getAttribute("data-seq"))); return; }
    var finding = target.closest(".finding[data-select-seq]");
    if (finding) select(Number(finding.getAttribute("data-select-seq")));
  });
  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id.indexOf("seq-") === 0) select(Number(id.slice(4)));
  }
  window.addEventListener("hashchange", fromHash);

  applyFilter();
  setCursor(scrub ? Number(scrub.getAttribute("aria-valuenow")) : 0);
  var initial = panel ? panel.getAttribute("data-initial-seq") : null;
  if (location.hash.indexOf("#seq-") === 0) fromHash();
  else if (initial !== null) select(Number(initial));
})();
`.trim();

/** The script element's text: the script in a commented CDATA section, for XML parsers. */
export const REPORT_SCRIPT_TEXT = `//<![CDATA[\n${SCRIPT}\n//]]>`;

/** The CSP source that allows exactly that text: `'sha256-<base64>'`. */
export const REPORT_SCRIPT_HASH = `'sha256-${bytesToBase64(sha256(utf8ToBytes(REPORT_SCRIPT_TEXT)))}'`;
