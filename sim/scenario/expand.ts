// `crossfire expand`: a scenario file as YAML with its templates expanded, the text the engine's
// view of the file corresponds to. Isomorphic: text in, text out.
import { stringify } from "yaml";
import { expandedScenario } from "./load.js";

/**
 * The expanded scenario (see expandedScenario) as YAML text, keys in the file's order and no
 * anchors or line folding, so it loads back to the same scenario. Throws ScenarioError. Pure.
 */
export function expandToYaml(text: string, file = "<scenario>", variant?: string): string {
  const value = expandedScenario(text, file, variant);
  const header = `# Expanded from ${file}${variant === undefined ? "" : ` (variant ${variant})`} by crossfire expand.\n`;
  return header + stringify(value, { aliasDuplicateObjects: false, lineWidth: 0 });
}
