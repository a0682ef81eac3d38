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
  const schema = withTemplateItems(withoutUnionTypes(withDefaults(generated).schema)) as Record<string, unknown>;
  return {
    ...schema,
    $id: "https://crossfire.invalid/schema/scenario.schema.json",
    title: "Crossfire scenario",
    description: "A Crossfire scenario: components, workload, agents, faults and coordination policies. See docs/model.md, docs/agents.md and docs/coordination.md.",
  };
}

/** A `forEach` list item (sim/scenario/templates.ts), allowed in place of any list item. */
const TEMPLATE_ITEM_SCHEMA = {
  type: "object",
  description: "A template: generates items in place, one (or the list under `each`) per value of `forEach`, with `${...}` substituted (docs/scenario-format.md \"Templates\").",
  properties: {
    forEach: { description: "What to iterate over: a list, the name of a `definitions` list, `{ range: N }` (0 to N-1) or `{ range: [from, to] }` (both included)." },
    as: { type: "string", description: "The name of the loop variable holding the value. Default `item`." },
    index: { type: "string", description: "The name of the loop variable holding the position, from 0. Default `index`." },
    each: { description: "The item, or the list of items, to generate for every value; `${...}` in its strings is substituted." },
  },
  required: ["forEach", "each"],
  additionalProperties: false,
};

/** The lists where an editor accepts a `forEach` template (the loader accepts one in any list). */
const TEMPLATE_LISTS = ["components", "workload", "agents", "faults", "expect"];

/**
 * `schema` whose top-level lists (and a variant's) also accept a `forEach` template item: the
 * loader expands templates before validating. Added to the items' union when they are one, so
 * the kind branches stay where they are. Pure.
 */
function withTemplateItems(schema: unknown): unknown {
  const root = schema as Record<string, Record<string, Record<string, unknown>>>;
  const variant = (root.properties?.variants as Record<string, Record<string, unknown>> | undefined)?.additionalProperties as Record<string, Record<string, Record<string, unknown>>> | undefined;
  for (const properties of [root.properties, variant?.properties]) {
    for (const list of TEMPLATE_LISTS) {
      const field = properties?.[list];
      if (!field || field.type !== "array" || typeof field.items !== "object") continue;
      const items = field.items as Record<string, unknown>;
      const union = (items.oneOf ?? items.anyOf) as unknown[] | undefined;
      if (union) union.push(TEMPLATE_ITEM_SCHEMA);
      else field.items = { anyOf: [items, TEMPLATE_ITEM_SCHEMA] };
    }
  }
  return schema;
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
