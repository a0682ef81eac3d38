// Scenario library, variant and seed pickers; changing one re-runs in the worker and updates the URL.
import type { Store } from "../state/store.js";

export function mountControls(root: HTMLElement, store: Store, library: readonly string[], rerun: () => void): void {
  root.innerHTML = `<h1>Crossfire</h1>
    <label>Scenario <select id="scenario-picker" data-testid="scenario-picker"></select></label>
    <label>Variant <select id="variant-picker" data-testid="variant-picker"></select></label>
    <label>Seed <input id="seed-input" data-testid="seed-input" size="8" placeholder="file's" /></label>
    <span id="verdict" data-testid="verdict"></span>`;
  const scenario = root.querySelector<HTMLSelectElement>("#scenario-picker")!;
  const variant = root.querySelector<HTMLSelectElement>("#variant-picker")!;
  const seed = root.querySelector<HTMLInputElement>("#seed-input")!;
  const verdict = root.querySelector<HTMLSpanElement>("#verdict")!;
  for (const file of library) scenario.add(new Option(file.replace(/^scenarios\//, "").replace(/\.yaml$/, ""), file));
  scenario.addEventListener("change", () => {
    store.set({ scenarioFile: scenario.value, variant: undefined });
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
  store.subscribe((s) => {
    scenario.value = s.scenarioFile;
    const names = s.run?.variants ?? [];
    if (Array.from(variant.options, (o) => o.value).join() !== names.join()) {
      variant.replaceChildren(...names.map((n) => new Option(n, n)));
    }
    variant.disabled = names.length === 0;
    if (s.run?.variant) variant.value = s.run.variant;
    if (document.activeElement !== seed) seed.value = s.seed ?? "";
    verdict.textContent = s.run ? `${s.run.passed ? "PASS" : "FAIL"} · seed ${s.run.seed} · ${s.run.log.length} events · hash ${s.run.finalHash.slice(0, 12)}` : "";
    verdict.className = s.run ? (s.run.passed ? "pass" : "fail") : "";
    verdict.dataset.finalHash = s.run?.finalHash ?? "";
  });
}
