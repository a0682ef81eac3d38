// The scenario file format as JSON Schema, generated from the zod types (the single source),
// for editor completion via `# yaml-language-server: $schema=...`. Pure.
import { z } from "zod";
import { withDefaults } from "./json-schema-defaults.js";
import { scenarioSchema } from "./schema.js";

/** Where the committed schema lives, relative to the project root. */
export const SCENARIO_SCHEMA_PATH = "schema/scenario.schema.json";

/**
 * The JSON Schema of a scenario file as written (zod input types). Parts validated by zod
 * transforms (declarative statechart transitions, guards and actions) appear as open objects:
 * editors complete the rest, and the loader still checks them with line:column errors. Every
 * field the loader defaults carries its `default` (see withDefaults), and union types are
 * written as `anyOf` so ajv's strict mode compiles it without `allowUnionTypes`.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  const schema = withoutUnionTypes(withDefaults(generated).schema) as Record<string, unknown>;
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

/**
 * `schema` with every `type: [a, b]` replaced by `anyOf: [{ type: a }, { type: b }]` (same
 * meaning; ajv's strictTypes refuses union types unless allowUnionTypes is set). Pure.
 */
export function withoutUnionTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutUnionTypes);
  if (schema === null || typeof schema !== "object") return schema;
  if (Array.isArray((schema as Record<string, unknown>).type) && "anyOf" in schema) throw new Error("withoutUnionTypes: a schema with both a union `type` and `anyOf`; combine them with allOf in the generator");
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "type" && Array.isArray(value)) out.anyOf = value.map((type) => ({ type }));
    else if (key === "default" || key === "const" || key === "enum" || key === "examples") out[key] = value;
    else out[key] = withoutUnionTypes(value);
  }
  return out;
}
