// Scenario library, variant and seed pickers; changing one re-runs in the worker and updates the URL.
import { tooLargeProblem } from "../../sim/core/file-size.js";
import type { Store } from "../state/store.js";
import { appVerdict } from "../model/verdict.js";

export function mountControls(root: HTMLElement, store: Store, library: readonly string[], rerun: () => void, openRunFile: (text: string, name: string) => void): void {
  root.innerHTML = `<h1>Crossfire</h1>
    <label>Scenario <select id="scenario-picker" data-testid="scenario-picker"></select></label>
    <label>Variant <select id="variant-picker" data-testid="variant-picker"></select></label>
    <label>Seed <input id="seed-input" data-testid="seed-input" size="8" placeholder="file's" /></label>
    <label>Open run file or report <input id="open-run" data-testid="open-run" type="file" accept=".ndjson,.jsonl,.html,.htm,application/x-ndjson,text/html" /></label>
    <span id="verdict" data-testid="verdict"></span>`;
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
  store.subscribe((s) => {
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
    const run = s.run;
    const label = run ? appVerdict(run) : undefined;
    const text = !run ? "" : label ? `${label} · seed ${run.seed} · ${run.log.length} events · hash ${run.finalHash.slice(0, 12)}` : `running · seed ${run.seed} · ${run.log.length} events so far`;
    if (text === verdictText) return;
    verdictText = text;
    verdict.textContent = text;
    verdict.className = label ? label.toLowerCase() : "";
    verdict.dataset.finalHash = run?.finalHash ?? "";
  });
}
