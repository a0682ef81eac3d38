// The scenario file format as JSON Schema, generated from the zod types (the single source),
// for editor completion via `# yaml-language-server: $schema=...`. Pure.
import { z } from "zod";
import { scenarioSchema } from "./schema.js";

/** Where the committed schema lives, relative to the project root. */
export const SCENARIO_SCHEMA_PATH = "schema/scenario.schema.json";

/**
 * The JSON Schema of a scenario file as written (zod input types). Parts validated by zod
 * transforms (declarative statechart transitions, guards and actions) appear as open objects:
 * editors complete the rest, and the loader still checks them with line:column errors.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    ...schema,
    $id: "https://crossfire.invalid/schema/scenario.schema.json",
    title: "Crossfire scenario",
    description: "A Crossfire scenario: components, workload, agents, faults and coordination policies. See docs/model.md, docs/agents.md and docs/coordination.md.",
  };
}

/** The committed file's exact text: pretty JSON with a trailing newline. Pure. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
