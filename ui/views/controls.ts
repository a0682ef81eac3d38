// Scenario library, variant and seed pickers; changing one re-runs in the worker and updates the URL.
import { tooLargeProblem } from "../../sim/core/file-size.js";
import type { Store } from "../state/store.js";
import { headerFacts, renderHeaderFacts } from "./verdict-facts.js";

export function mountControls(root: HTMLElement, store: Store, library: readonly string[], rerun: () => void, openRunFile: (text: string, name: string) => void): void {
  root.innerHTML = `<h1>Crossfire</h1>
    <label>Scenario <select id="scenario-picker" data-testid="scenario-picker"></select></label>
    <label>Variant <select id="variant-picker" data-testid="variant-picker"></select></label>
    <label>Seed <input id="seed-input" data-testid="seed-input" size="8" placeholder="file's" /></label>
    <span class="open-file"><input id="open-run" data-testid="open-run" class="visually-hidden" type="file" accept=".ndjson,.jsonl,.html,.htm,application/x-ndjson,text/html" /><label for="open-run" class="button-like" title="Open a run file (crossfire run --out) or an HTML report (crossfire export --format html)">Open run file or report…</label></span>
    <span id="verdict" data-testid="verdict" aria-live="polite"></span>`;
  const scenario = root.querySelector<HTMLSelectElement>("#scenario-picker")!;
  const variant = root.querySelector<HTMLSelectElement>("#variant-picker")!;
  const seed = root.querySelector<HTMLInputElement>("#seed-input")!;
  const verdict = root.querySelector<HTMLSpanElement>("#verdict")!;
  const open = root.querySelector<HTMLInputElement>("#open-run")!;
  open.addEventListener("change", async () => {
    const file = open.files?.[0];
    // Refused by size before reading: a tab holding a 600 MB string runs out of memory.
    const tooLarge = file ? tooLargeProblem(file.name, file.size) : null;
    if (tooLarge) store.set({ status: "error", error: tooLarge, playing: false });
    else if (file) openRunFile(await file.text(), file.name);
    open.value = "";
  });
  for (const file of library) scenario.add(new Option(file.replace(/^scenarios\//, "").replace(/\.yaml$/, ""), file));
  scenario.addEventListener("change", () => {
    store.set({ scenarioFile: scenario.value, scenarioText: "", variant: undefined });
    rerun();
  });
  variant.addEventListener("change", () => {
    store.set({ variant: variant.value });
    rerun();
  });
  seed.addEventListener("change", () => {
    store.set({ seed: seed.value.trim() || undefined });
    rerun();
  });
  // Runs on every store change (each cursor frame): only what changed is written.
  let verdictText = "";
  store.subscribe((s, previous) => {
    // A run file's scenario may not be in the library: show it as an extra entry.
    if (scenario.value !== s.scenarioFile) {
      if (!Array.from(scenario.options, (o) => o.value).includes(s.scenarioFile)) scenario.add(new Option(`${s.scenarioFile} (run file)`, s.scenarioFile));
      scenario.value = s.scenarioFile;
    }
    const names = s.run?.variants ?? [];
    if (variant.options.length !== names.length || Array.from(variant.options, (o) => o.value).join() !== names.join()) {
      variant.replaceChildren(...names.map((n) => new Option(n, n)));
    }
    variant.disabled = names.length === 0;
    if (s.run?.variant && variant.value !== s.run.variant) variant.value = s.run.variant;
    if (document.activeElement !== seed && seed.value !== (s.seed ?? "")) seed.value = s.seed ?? "";
    // Cursor and selection changes (every playback frame) change no fact.
    if (verdictText !== "" && s.run === previous.run && s.status === previous.status && s.error === previous.error && s.seed === previous.seed) return;
    const facts = headerFacts(s);
    const text = JSON.stringify(facts);
    if (text === verdictText) return;
    verdictText = text;
    renderHeaderFacts(verdict, facts);
    // The hash of the run the verdict belongs to (tests wait on it); none while no verdict is shown.
    verdict.dataset.finalHash = facts.kind === "verdict" ? s.run!.finalHash : "";
  });
}
