// What if: counterfactual runs from the selected event. Block the selected agent command, mute its
// actor from then on, or switch another variant's coordination policies on from the cursor; the
// altered run goes to this view's own Web Worker (same seed and variant as the shown run), and the
// view shows the prefix check (where the hash chains part), the first divergence in meaning, and
// both runs' figures. Runs are deterministic, so every difference is the intervention's doing. Cursor
// changes only relabel the policy button; the result is rebuilt only when a new what-if arrives.
import { describeEvent } from "../../sim/cli/summary.js";
import { formatTime } from "../../sim/core/units.js";
import { describeIntervention, type Intervention } from "../../sim/engine/interventions.js";
import type { EventRecord } from "../../sim/log/record.js";
import { loadVariant } from "../../sim/scenario/load.js";
import type { CoordinationSpec } from "../../sim/scenario/types.js";
import { divergenceOf } from "../../sim/whatif/divergence.js";
import { whatIfOutcomeLines } from "../../sim/whatif/outcome.js";
import type { RunPayload } from "../model/payload.js";
import { SimClient } from "../model/sim-client.js";
import type { AppState, Store } from "../state/store.js";
import { fillDivergence } from "./divergence.js";
import { overlayChart, type OverlayChart } from "./compare-overlay.js";

/** Record types that are agent commands besides knob changes (as the CLI's --block accepts). */
const DOCUMENT_COMMANDS = new Set(["document.put", "document.deleted"]);

/** True when `r` is an applied command of one of the run's agents (a knob change or document write). */
export function isAppliedCommand(r: EventRecord | undefined, agents: readonly string[]): boolean {
  if (!r || !agents.includes(r.actor)) return false;
  return DOCUMENT_COMMANDS.has(r.type) || (typeof r.data.knob === "string" && typeof r.data.to === "number");
}

/** The sentence of the prefix check between the original and the altered log. */
export function prefixSentence(original: readonly EventRecord[], altered: readonly EventRecord[], divergence: number | null): string {
  if (divergence === null) return `The intervention changed nothing: both logs are identical (final hash ${original[original.length - 1]?.hash.slice(0, 12) ?? "—"}).`;
  if (divergence === 0) return "The runs differ from the first record.";
  const a = original[divergence - 1].hash;
  const b = altered[divergence - 1]?.hash;
  return a === b
    ? `Identical up to #${divergence - 1} (hash ${a.slice(0, 12)} in both); they diverge at #${divergence}.`
    : `Prefix check FAILED: #${divergence - 1} differs (${a.slice(0, 12)} vs ${b?.slice(0, 12) ?? "missing"}).`;
}

interface Result {
  original: RunPayload;
  altered: RunPayload;
  intervention: Intervention;
}

/** Mounts the what-if view into `root`; it follows `store` from then on. */
export function mountWhatIf(root: HTMLElement, store: Store): void {
  root.innerHTML = `<h2>What if</h2>
    <p class="wi-selected">No run yet.</p>
    <div class="wi-actions">
      <button type="button" class="wi-block" data-testid="whatif-block" disabled>Re-run without this command</button>
      <button type="button" class="wi-mute" data-testid="whatif-mute" disabled>Mute the actor from here</button>
      <span class="wi-policy-row">
        <label>Policies of <select class="wi-variant" data-testid="whatif-variant" disabled></select></label>
        <button type="button" class="wi-policy" data-testid="whatif-policy" disabled>Turn on policies from here</button>
      </span>
    </div>
    <p class="wi-status" role="status" aria-live="polite"></p>
    <div class="wi-body"></div>`;
  const selected = root.querySelector<HTMLParagraphElement>(".wi-selected")!;
  const blockBtn = root.querySelector<HTMLButtonElement>(".wi-block")!;
  const muteBtn = root.querySelector<HTMLButtonElement>(".wi-mute")!;
  const picker = root.querySelector<HTMLSelectElement>(".wi-variant")!;
  const policyBtn = root.querySelector<HTMLButtonElement>(".wi-policy")!;
  const status = root.querySelector<HTMLParagraphElement>(".wi-status")!;
  const body = root.querySelector<HTMLDivElement>(".wi-body")!;
  root.dataset.status = "idle";

  let pending: { run: RunPayload; intervention: Intervention } | undefined;
  /** The shown result's overlay chart (its cursor follows the store's). */
  let overlay: OverlayChart | undefined;
  let shown: RunPayload | undefined;
  /** Coordination specs of the other variants, per scenario text (loaded once per text). */
  let policies: { key: string; specs: Map<string, CoordinationSpec | undefined> } = { key: "", specs: new Map() };

  const sim = new SimClient(
    (reply) => {
      if (!pending) return;
      const { run, intervention } = pending;
      pending = undefined;
      if (reply.type === "error") {
        root.dataset.status = "error";
        status.textContent = `The what-if run failed: ${reply.message}`;
        return;
      }
      root.dataset.status = "done";
      status.textContent = `What if we ${describeIntervention(intervention, formatTime)}:`;
      showResult({ original: run, altered: reply.run, intervention });
    },
    (message) => {
      pending = undefined;
      root.dataset.status = "error";
      status.textContent = `The what-if worker failed: ${message}`;
    },
  );

  const launch = (intervention: Intervention) => {
    const s = store.get();
    const run = s.run;
    if (!run) return;
    pending = { run, intervention };
    root.dataset.status = "running";
    status.textContent = `Running: ${describeIntervention(intervention, formatTime)} (seed ${run.seed}) in a Web Worker…`;
    sim.run({ text: s.scenarioText, file: s.scenarioFile, variant: run.variant, seed: run.seed, interventions: [intervention] });
  };

  let describedRun: RunPayload | undefined;
  const selectedRecord = (s: AppState): EventRecord | undefined => (s.run && s.selectedSeq !== null ? s.run.log[s.selectedSeq] : undefined);

  /** The other variants whose coordination specs load; loaded when the scenario text changes. */
  const refreshPolicies = (s: AppState) => {
    const run = s.run!;
    const key = JSON.stringify([s.scenarioFile, s.scenarioText, run.variant]);
    if (key === policies.key) return;
    const specs = new Map<string, CoordinationSpec | undefined>();
    for (const name of run.variants) {
      if (name === run.variant) continue;
      try {
        specs.set(name, loadVariant(s.scenarioText, s.scenarioFile, name).scenario.coordination);
      } catch {
        specs.set(name, undefined); // cannot load: listed but disabled
      }
    }
    policies = { key, specs };
    picker.replaceChildren(
      ...Array.from(specs, ([name, spec]) => {
        const o = new Option(name, name);
        o.disabled = spec === undefined;
        return o;
      }),
    );
    const first = Array.from(specs).find(([, spec]) => spec !== undefined);
    if (first) picker.value = first[0];
  };

  /** Button states and labels from the selection and the cursor (cheap; runs on every change). */
  const updateControls = (s: AppState) => {
    const run = s.run;
    const r = selectedRecord(s);
    const isAgent = !!run && !!r && run.agents.includes(r.actor);
    // A what-if is compared with the whole original run: none until it is complete.
    const ready = !!run && run.complete;
    blockBtn.disabled = !ready || !isAppliedCommand(r, run.agents);
    muteBtn.disabled = !ready || !isAgent;
    const muteLabel = isAgent ? `Mute ${r!.actor} from here` : "Mute the actor from here";
    if (muteBtn.textContent !== muteLabel) muteBtn.textContent = muteLabel;
    const hasPolicies = !!run && Array.from(picker.options).some((o) => !o.disabled);
    picker.disabled = !hasPolicies;
    policyBtn.disabled = !ready || !hasPolicies || !policies.specs.get(picker.value);
    const policyLabel = hasPolicies ? `Turn on ${picker.value}'s policies from here (${formatTime(s.cursorMs)})` : "Turn on policies from here";
    if (policyBtn.textContent !== policyLabel) policyBtn.textContent = policyLabel;
    const seqText = r ? String(r.seq) : "";
    if (run !== describedRun || selected.dataset.seq !== seqText) {
      // describeEvent only when the selection changes (this runs on every cursor frame).
      describedRun = run;
      selected.textContent = !run ? "No run yet." : r ? `Selected: ${describeEvent(r, run.log)}` : "Select an event (in the event table, lanes or causal graph) to ask what if.";
      selected.dataset.seq = seqText;
    }
  };

  const showResult = (result: Result) => {
    const { original, altered } = result;
    body.innerHTML = "";
    const d = divergenceOf(original.log, altered.log, { a: "original", b: "what if" });
    const div = document.createElement("div");
    div.className = "wi-divergence";
    div.dataset.testid = "whatif-divergence";
    const prefix = document.createElement("p");
    prefix.className = "wi-prefix";
    prefix.textContent = prefixSentence(original.log, altered.log, d.chainDivergence);
    div.append(prefix);
    // The prefix sentence already says when nothing changed.
    if (d.chainDivergence !== null) fillDivergence(div, store, d, { label: "the original run", side: "original", log: original.log }, { label: "the what-if run", side: "whatif", log: altered.log }, { className: "wi-go", testid: "whatif-go", stillShown: () => store.get().run === original });
    else div.dataset.seq = "";
    // Read before the body is filled: one layout, once per what-if.
    const width = Math.max(320, Math.floor(body.clientWidth || root.clientWidth || 600));
    const sides = document.createElement("table");
    sides.className = "wi-sides";
    const figs = [figures(original), figures(altered)];
    const head = sides.createTHead().insertRow();
    head.append(document.createElement("td"));
    // The column headers carry each side's figures for tests and tools.
    for (const [name, side, f] of [["original", "original", figs[0]], ["what if", "whatif", figs[1]]] as const) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      th.dataset.side = side;
      th.dataset.findings = f.kinds.map(([k, n]) => `${k}=${n}`).join(",");
      th.dataset.findingsMs = f.kinds.map(([k, , ms]) => `${k}=${ms}`).join(",");
      th.dataset.rejected = String(f.rejected);
      th.dataset.passed = `${f.passed}/${f.expectations}`;
      th.dataset.finalHash = f.finalHash;
      head.append(th);
    }
    const rows: [string, (f: Figures) => string][] = [
      // When each kind was found (first start to last end), not a sum of durations nothing labels.
      ["findings", (f) => (f.kinds.length ? f.kinds.map(([k, n, , from, to]) => `${k} ×${n} (${formatTime(from)}–${formatTime(to)})`).join(", ") : "none")],
      [`expectations met${original.variant ? ` (${original.variant}'s)` : ""}`, (f) => `${f.passed} / ${f.expectations}`],
      ["rejected commands", (f) => String(f.rejected)],
      ["final hash", (f) => f.finalHash.slice(0, 16)],
    ];
    // What the outcome means: the system with the intervention against without it, and what the
    // variant's expectations holding (or not) says about that (sim/whatif/outcome.ts).
    const outcome = document.createElement("p");
    outcome.className = "wi-outcome";
    outcome.dataset.testid = "whatif-outcome";
    if (original.story !== undefined && altered.story !== undefined) {
      for (const line of whatIfOutcomeLines(original.story, altered.story, original.variant)) {
        const span = document.createElement("span");
        span.textContent = line;
        outcome.append(span, document.createElement("br"));
      }
    }
    const tbody = sides.createTBody();
    for (const [name, cell] of rows) {
      const tr = tbody.insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = name;
      tr.append(th);
      for (const f of figs) tr.insertCell().textContent = cell(f);
    }
    overlay = overlayChart(original, altered, { a: "original", b: "what if" }, width);
    overlay.update(store.get().cursorMs);
    // A narrow panel scrolls the table sideways rather than breaking words or overflowing.
    const wrap = document.createElement("div");
    wrap.className = "wi-sides-wrap";
    wrap.append(sides);
    body.append(outcome, div, overlay.element, wrap);
  };

  blockBtn.addEventListener("click", () => {
    const r = selectedRecord(store.get());
    if (r) launch({ kind: "block", seq: r.seq });
  });
  muteBtn.addEventListener("click", () => {
    const r = selectedRecord(store.get());
    if (r) launch({ kind: "mute", agent: r.actor, fromMs: r.t });
  });
  policyBtn.addEventListener("click", () => {
    const name = picker.value;
    const coordination = policies.specs.get(name);
    if (coordination) launch({ kind: "policy", fromMs: store.get().cursorMs, coordination, label: `${name}'s policies` });
  });
  picker.addEventListener("change", () => updateControls(store.get()));

  store.subscribe((s, previous) => {
    const grown = s.run !== shown && shown !== undefined && s.run !== undefined && s.run.runId === shown.runId;
    if (grown) {
      // The same run streaming in (or completing): only the buttons' states can change.
      const completed = s.run!.complete && !shown!.complete;
      shown = s.run;
      if (completed || s.selectedSeq !== previous.selectedSeq || s.cursorMs !== previous.cursorMs) updateControls(s);
    } else if (s.run !== shown) {
      // A new run (or none): earlier what-ifs answer another run.
      shown = s.run;
      sim.cancel();
      pending = undefined;
      body.innerHTML = "";
      overlay = undefined;
      status.textContent = "";
      root.dataset.status = "idle";
      if (s.run) refreshPolicies(s);
      else picker.replaceChildren();
      updateControls(s);
    } else if (s.selectedSeq !== previous.selectedSeq || s.cursorMs !== previous.cursorMs) {
      updateControls(s);
    }
    if (s.cursorMs !== previous.cursorMs) overlay?.update(s.cursorMs);
  });
}

interface Figures {
  /** [kind, count, total duration ms, first start, last end], sorted by kind. */
  kinds: [string, number, number, number, number][];
  passed: number;
  expectations: number;
  rejected: number;
  finalHash: string;
}

function figures(run: RunPayload): Figures {
  const kinds = new Map<string, [number, number, number, number]>();
  for (const f of run.findings) {
    const k = kinds.get(f.kind) ?? [0, 0, f.from, f.to];
    kinds.set(f.kind, [k[0] + 1, k[1] + Math.max(0, f.to - f.from), Math.min(k[2], f.from), Math.max(k[3], f.to)]);
  }
  return {
    kinds: Array.from(kinds, ([k, [n, ms, from, to]]) => [k, n, ms, from, to] as [string, number, number, number, number]).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
    passed: run.expectations.filter((e) => e.passed).length,
    expectations: run.expectations.length,
    rejected: run.log.filter((r) => r.type === "command.rejected").length,
    finalHash: run.finalHash,
  };
}
