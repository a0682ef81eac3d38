// The replay app: loads the scenario library, runs the chosen scenario variant in a Web Worker
// (the same sim/ code as the CLI), and mounts the views, which all read one store. The URL
// holds scenario, variant and seed, so a view can be shared.
import "./csp.js";
import { SimClient } from "./model/sim-client.js";
import { Store, type AppState } from "./state/store.js";
import type { RunPayload } from "./model/payload.js";
import { formatTime } from "../sim/core/units.js";
import { formatPath } from "../sim/scenario/problems.js";
import { mountControls } from "./views/controls.js";
import { mountTransport } from "./views/transport.js";
import { mountTimeline } from "./views/timeline.js";
import { mountGroupSeries } from "./views/group-series.js";
import { mountLanes } from "./views/lanes.js";
import { mountTopology } from "./views/topology.js";
import { mountFindings } from "./views/findings.js";
import { mountCausal } from "./views/causal.js";
import { mountDetail } from "./views/detail.js";
import { mountEvents } from "./views/events.js";
import { mountCompare } from "./views/compare.js";
import { mountEditor } from "./views/editor.js";
import { openSharedFragment } from "./views/editor-share.js";
import { mountExport } from "./views/export.js";
import { mountWhatIf } from "./views/whatif.js";
import { seedFromText } from "../sim/core/seed.js";
import { mountSummary } from "./views/summary.js";
import { mountPanelChrome } from "./views/panels.js";
import { readChoice, writeUrl } from "./model/url-history.js";

/** Every scenario file of the library, as text, by path (`scenarios/x.yaml`). */
const LIBRARY: Record<string, string> = Object.fromEntries(
  Object.entries(import.meta.glob("../scenarios/*.yaml", { query: "?raw", import: "default", eager: true }) as Record<string, string>).map(([path, text]) => [path.replace(/^\.\.\//, ""), text]),
);
const DEFAULT_SCENARIO = "scenarios/cost-vs-performance.yaml";

const params = new URLSearchParams(location.search);
const requested = params.get("scenario");
const store = new Store({
  status: "idle",
  scenarioFile: requested && LIBRARY[`scenarios/${requested}.yaml`] ? `scenarios/${requested}.yaml` : DEFAULT_SCENARIO,
  scenarioText: "",
  variant: params.get("variant") ?? undefined,
  seed: params.get("seed") ?? undefined,
  cursorMs: 0,
  playing: false,
  speed: 16 * 60_000,
  selectedSeq: null,
  selectedFinding: null,
  highlighted: new Set(),
  filter: { actor: "", type: "", target: "", text: "" },
});

/** What a newly shown run resets: the cursor to its start, no selection, playing. */
const FRESH_VIEW = { cursorMs: 0, selectedSeq: null, selectedFinding: null, highlighted: new Set<number>(), playing: true } as const;

const sim = new SimClient(
  (reply) => {
    const streamed = store.get().run?.runId === reply.requestId;
    if (reply.type === "error") {
      // A run that failed part-way (a saved run that does not reproduce) must not stay on screen.
      store.set({ status: "error", error: reply.message, problems: reply.problems?.map((p) => ({ line: p.line, col: p.col, message: `${formatPath(p.path)}: expected ${p.expected}, found ${p.found}${p.hint ? ` (hint: ${p.hint})` : ""}` })), playing: false, ...(streamed ? { run: undefined } : {}) });
      return;
    }
    // A run that streamed keeps the cursor, selection and playback the user has while it finished.
    store.set({ status: "done", error: undefined, problems: undefined, run: reply.run, variant: reply.run.variant, ...(streamed ? {} : { ...FRESH_VIEW, ...adoptOpened(reply.run) }) });
    if (!streamed && reply.run.opened) syncUrl();
  },
  undefined,
  (partial) => {
    const first = store.get().run?.runId !== partial.runId;
    store.set({ run: partial, ...(first ? { ...FRESH_VIEW, problems: undefined, error: undefined, ...adoptOpened(partial) } : {}) });
    if (first && partial.opened) syncUrl();
  },
);

/** A saved file's run brings its scenario, variant and seed: the app then shows and re-runs those. */
function adoptOpened(run: RunPayload): Partial<AppState> {
  if (!run.opened) return {};
  return { scenarioFile: run.opened.scenarioFile, scenarioText: run.opened.scenarioText, seed: String(run.opened.seed), variant: run.variant };
}

/**
 * Runs the store's scenario, variant and seed (or `text`, from the editor) in the worker.
 * `userChoice`: the user picked a scenario, variant or seed, which Back can undo.
 */
export function rerun(text?: string, userChoice = false): void {
  const s = store.get();
  // The seed box holds text: digits mean a number (beyond 2^53, the digits as a string).
  const seed = s.seed === undefined ? undefined : seedFromText(s.seed);
  // The editor's or a run file's text stays in use across variant and seed changes; picking a
  // library scenario clears it (controls.ts), so the library text is used.
  const scenarioText = text ?? (s.scenarioText || LIBRARY[s.scenarioFile]);
  store.set({ status: "running", playing: false, scenarioText });
  sim.run({ text: scenarioText, file: s.scenarioFile, variant: s.variant, variantOptional: text !== undefined, seed });
  syncUrl(userChoice);
}

/** Puts the store's scenario, variant and seed in the URL, so the view can be shared (`push`: as a new history entry). */
function syncUrl(push = false): void {
  const s = store.get();
  writeUrl({ scenario: s.scenarioFile.replace(/^scenarios\//, "").replace(/\.yaml$/, ""), variant: s.variant, seed: s.seed }, push);
}

// Back and Forward restore the scenario, variant and seed of that entry and run them.
window.addEventListener("popstate", () => {
  const choice = readChoice(location.search);
  const file = choice.scenario && LIBRARY[`scenarios/${choice.scenario}.yaml`] ? `scenarios/${choice.scenario}.yaml` : DEFAULT_SCENARIO;
  store.set({ scenarioFile: file, scenarioText: "", variant: choice.variant, seed: choice.seed });
  rerun();
});

const status = document.getElementById("status")!;
const summary = document.getElementById("summary")!;
/** Sets `el.dataset[key]` only when it changes: this listener runs on every scrub and playback frame. */
const setData = (el: HTMLElement, key: string, value: string) => {
  if (el.dataset[key] !== value) el.dataset[key] = value;
};
store.subscribe((s) => {
  setData(status, "status", s.status);
  // Which run is on screen and how much of it (a run streams in while the worker simulates).
  setData(status, "runId", String(s.run?.runId ?? ""));
  setData(status, "complete", String(s.run?.complete ?? false));
  setData(status, "reachedMs", String(s.run?.reachedMs ?? 0));
  setData(status, "events", String(s.run?.log.length ?? 0));
  const text = s.status === "running" ? runningText(s) : s.status === "error" ? (s.error ?? "failed") : s.run ? `${s.run.scenario}${s.run.variant ? ` [${s.run.variant}]` : ""}: ${s.run.description.split("\n")[0].slice(0, 240)}` : "";
  if (status.textContent !== text) status.textContent = text;
  // Kept for the determinism e2e test: the worker's final hash next to the CLI's.
  setData(summary, "finalHash", s.run?.finalHash ?? "");
});

/** While the worker simulates: what it is running and how far it got. */
function runningText(s: AppState): string {
  if (!s.run || s.run.complete) return `Running ${s.scenarioFile} in a Web Worker…`;
  const pct = Math.floor((100 * s.run.reachedMs) / Math.max(1, s.run.durationMs));
  return `Simulating ${s.run.scenario}${s.run.variant ? ` [${s.run.variant}]` : ""} in a Web Worker: ${formatTime(s.run.reachedMs)} of ${formatTime(s.run.durationMs)} (${pct}%), ${s.run.log.length.toLocaleString("en")} events so far…`;
}

/**
 * Shows a saved run file (crossfire run --out) or HTML report (crossfire export --format html).
 * The worker reads it (a run file's hash chain is verified there: 100 k records take about a
 * second, which must not freeze the page) and re-runs the embedded scenario, which must reproduce
 * the file's final hash; the app adopts the file's scenario when the run starts arriving.
 */
function openSavedFile(text: string, name: string): void {
  store.set({ status: "running", playing: false });
  sim.run({ text, file: name, saved: true });
}

mountControls(document.getElementById("controls")!, store, Object.keys(LIBRARY).sort(), () => rerun(undefined, true), openSavedFile);
mountSummary(document.getElementById("incident-summary")!, store);
mountTransport(document.getElementById("transport")!, store);
mountTimeline(document.getElementById("timeline")!, store);
mountGroupSeries(document.getElementById("timeline")!, store);
mountLanes(document.getElementById("lanes")!, store);
mountTopology(document.getElementById("topology")!, store);
mountFindings(document.getElementById("findings")!, store);
mountCausal(document.getElementById("causal")!, store);
mountDetail(document.getElementById("detail")!, store);
mountEvents(document.getElementById("events")!, store);
mountCompare(document.getElementById("compare")!, store);
mountEditor(document.getElementById("editor")!, store, (text) => rerun(text));
mountExport(document.getElementById("export")!, store);
mountWhatIf(document.getElementById("whatif")!, store);
// After the views: each wrote its own <h2>, which the panel header takes in.
mountPanelChrome(Array.from(document.querySelectorAll<HTMLElement>("#layout .panel")));

/**
 * `crossfire serve <file>` hands the page a file to open at a same-origin path (`?open=`): a run
 * file or report is verified and re-run like a dropped file; a scenario is run as the editor's text.
 */
async function openServedFile(path: string): Promise<void> {
  store.set({ status: "running", playing: false });
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new Error(`${path}: the server answered ${response.status}`);
  const name = decodeURIComponent(response.headers.get("X-Crossfire-File") ?? "opened file");
  const text = await response.text();
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("{") || start.startsWith("<")) return openSavedFile(text, name);
  store.set({ scenarioFile: name, scenarioText: text });
  rerun(text);
}

const served = params.get("open");
// A link made by the editor's Share carries the edited scenario in its fragment (`#s=`): it is run
// as the editor's text, through the same validated path as typing it.
const shared = openSharedFragment(
  location.hash,
  (text) => rerun(text),
  (error) => store.set({ status: "error", error, scenarioText: LIBRARY[store.get().scenarioFile] }),
);
if (shared) {
  store.set({ status: "running", playing: false });
  // Only a path on this origin: a shared link must not make the page fetch from elsewhere (the CSP forbids it too).
} else if (served !== null && served.startsWith("/") && !served.startsWith("//")) {
  openServedFile(served).catch((e: Error) => store.set({ status: "error", error: e.message }));
} else {
  rerun();
}
