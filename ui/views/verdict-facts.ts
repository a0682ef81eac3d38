// The header's verdict as two separate facts — did the run do what its expectations say, and how
// did the simulated system fare — or, while a run is simulating or after an error, that state and
// no verdict at all: a verdict is shown only next to the run it belongs to.
import type { AppState } from "../state/store.js";
import type { SystemState } from "../../sim/story/types.js";
import { appVerdictWords } from "../model/verdict.js";
import { formatPercent } from "../../sim/story/system-health.js";

/** What the header shows; `kind` says which of the mutually exclusive states it is in. */
export type HeaderFacts =
  | { kind: "idle" }
  | { kind: "running"; text: string; context: string }
  | { kind: "error"; text: string; context: string }
  | { kind: "verdict"; expectations: { text: string; met: boolean }; system?: { state: SystemState; text: string; title: string }; context: string };

/**
 * The header's facts for state `s`. Pure. A run is judged only when it is complete and on screen
 * with status "done": while running, or when the last request failed (a YAML error, a refused
 * file), the previous run's verdict is not shown.
 */
export function headerFacts(s: AppState): HeaderFacts {
  const run = s.run;
  if (s.status === "error") {
    const first = (s.error ?? "failed").split("\n")[0];
    return { kind: "error", text: s.problems?.length ? `scenario error: ${s.problems.length === 1 ? "1 problem" : `${s.problems.length} problems`}` : `error: ${first.length > 80 ? `${first.slice(0, 79)}…` : first}`, context: s.seed ? `seed ${s.seed}` : "" };
  }
  if (s.status === "running" || (run !== undefined && !run.complete)) {
    // A complete run still on screen is the previous one: only a streaming run's numbers are this run's.
    const streaming = run !== undefined && !run.complete;
    const context = streaming ? `seed ${run.seed} · ${run.log.length.toLocaleString("en")} events so far` : s.seed ? `seed ${s.seed}` : "";
    return { kind: "running", text: "running…", context };
  }
  if (!run) return { kind: "idle" };
  const context = `seed ${run.seed} · ${run.log.length.toLocaleString("en")} events · hash ${run.finalHash.slice(0, 12)}`;
  // The shared rule (ui/model/verdict.ts): the story's two facts, or the words alone when the
  // payload has no story (an older worker).
  const words = appVerdictWords(run)!;
  const h = words.system;
  const system = h && {
    state: h.state,
    text: `system ${h.state}${h.worstAvailability < 1 ? ` · worst availability ${formatPercent(h.worstAvailability)}${h.worstComponent ? ` (${h.worstComponent})` : ""}` : ""}`,
    title: h.text,
  };
  return { kind: "verdict", expectations: { text: words.verdict.text, met: words.verdict.label !== "FAIL" }, ...(system ? { system } : {}), context };
}

/**
 * Renders the facts into the header's verdict element: chips with data-kind / data-state /
 * data-met (what tests and styles read); text only through textContent (names come from files).
 */
export function renderHeaderFacts(root: HTMLElement, facts: HeaderFacts): void {
  root.dataset.kind = facts.kind;
  const chips: HTMLElement[] = [];
  const chip = (cls: string, text: string, data: Record<string, string> = {}, title = ""): void => {
    const el = document.createElement("span");
    el.className = `chip ${cls}`;
    el.textContent = text;
    for (const [k, v] of Object.entries(data)) el.dataset[k] = v;
    if (title) el.title = title;
    chips.push(el);
  };
  if (facts.kind === "running") chip("chip-running", facts.text, { fact: "state" });
  else if (facts.kind === "error") chip("chip-error", facts.text, { fact: "state" });
  else if (facts.kind === "verdict") {
    chip("chip-expectations", `${facts.expectations.met ? "✓" : "✗"} ${facts.expectations.text}`, { fact: "expectations", met: String(facts.expectations.met) }, "Expectations: whether the run did what the scenario's expect section says (a statement about the scenario, not about the system)");
    if (facts.system) chip("chip-system", facts.system.text, { fact: "system", state: facts.system.state }, `How the simulated system fared: ${facts.system.title}`);
  }
  if (facts.kind !== "idle" && facts.context) {
    const context = document.createElement("span");
    context.className = "verdict-context mono";
    context.textContent = facts.context;
    chips.push(context);
  }
  root.replaceChildren(...chips);
}
