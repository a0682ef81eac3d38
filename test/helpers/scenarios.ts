// Shared helpers for tests: load scenario files from scenarios/ and build small scenarios in code.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadScenario } from "../../sim/scenario/load.js";
import type { Scenario } from "../../sim/scenario/types.js";

/** Absolute path of a file in the repository. */
export function repoPath(relative: string): string {
  return fileURLToPath(new URL(`../../${relative}`, import.meta.url));
}

/** Loads `scenarios/<name>.yaml`. */
export function loadScenarioFile(name: string): Scenario {
  const file = repoPath(`scenarios/${name}.yaml`);
  return loadScenario(readFileSync(file, "utf8"), file);
}

/** Loads a scenario from YAML text written in a test. */
export function scenarioFromYaml(text: string): Scenario {
  return loadScenario(text, "test.yaml");
}
