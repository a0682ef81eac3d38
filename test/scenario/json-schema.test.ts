// The JSON Schema generated from the zod types: the committed file is up to date, every
// scenario in the repository validates against it with an independent validator (ajv), and
// every property carries a description for editors to show.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchema, scenarioJsonSchemaText } from "../../sim/scenario/json-schema.js";
import { repoPath } from "../helpers/scenarios.js";

const committed = readFileSync(repoPath(SCENARIO_SCHEMA_PATH), "utf8");
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(committed));

const scenarioFiles = [
  ...readdirSync(repoPath("scenarios")).filter((f) => f.endsWith(".yaml")).map((f) => join("scenarios", f)),
  ...readdirSync(repoPath("test/incidents")).filter((f) => f.endsWith(".yaml")).map((f) => join("test/incidents", f)),
  ...readdirSync(repoPath("docs/examples")).filter((f) => f.endsWith(".yaml")).map((f) => join("docs/examples", f)),
];

type Json = Record<string, unknown>;

/** Keywords whose value is one subschema or a list of them. */
const SUBSCHEMA_KEYWORDS = ["anyOf", "oneOf", "allOf", "items", "prefixItems", "additionalProperties", "propertyNames", "not", "if", "then", "else", "contains"];
/** Keywords whose value maps names to subschemas. */
const SCHEMA_MAP_KEYWORDS = ["$defs", "definitions", "patternProperties", "dependentSchemas"];

function isJsonObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A JSON pointer token (RFC 6901). Pure. */
function token(key: string | number): string {
  return String(key).replaceAll("~", "~0").replaceAll("/", "~1");
}

/** The schema a local `$ref` (`#/...`) points at, or undefined. Pure. */
function resolveRef(root: Json, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(1).split("/").filter((p) => p !== "")) {
    if (!isJsonObject(node)) return undefined;
    node = node[part.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return node;
}

function described(root: Json, schema: unknown): boolean {
  if (!isJsonObject(schema)) return false;
  if (typeof schema.description === "string" && schema.description.trim() !== "") return true;
  return typeof schema.$ref === "string" && described(root, resolveRef(root, schema.$ref));
}

/**
 * JSON pointers of every `properties` entry, at any depth (through anyOf, oneOf, allOf, items,
 * additionalProperties, $defs, ...), that has no non-empty description (its own, or its local
 * `$ref` target's). Pure.
 */
function propertiesWithoutDescription(root: Json): string[] {
  const missing: string[] = [];
  const walk = (schema: unknown, pointer: string): void => {
    if (Array.isArray(schema)) return schema.forEach((s, i) => walk(s, `${pointer}/${i}`));
    if (!isJsonObject(schema)) return;
    for (const [key, value] of Object.entries(schema)) {
      const at = `${pointer}/${token(key)}`;
      if (key === "properties" && isJsonObject(value)) {
        for (const [name, property] of Object.entries(value)) {
          if (!described(root, property)) missing.push(`${at}/${token(name)}`);
          walk(property, `${at}/${token(name)}`);
        }
      } else if (SCHEMA_MAP_KEYWORDS.includes(key) && isJsonObject(value)) {
        for (const [name, sub] of Object.entries(value)) walk(sub, `${at}/${token(name)}`);
      } else if (SUBSCHEMA_KEYWORDS.includes(key)) walk(value, at);
    }
  };
  walk(root, "");
  return missing;
}

describe("propertiesWithoutDescription", () => {
  it("finds undescribed properties at any depth and names them by JSON pointer", () => {
    const schema = {
      properties: {
        a: { description: "ok", type: "object", properties: { "b/c": { type: "string" } } },
        list: { description: "ok", items: { anyOf: [{ type: "string" }, { properties: { d: { description: " " } } }] } },
        map: { description: "ok", additionalProperties: { oneOf: [{ properties: { e: { $ref: "#/$defs/E" } } }, { allOf: [{ properties: { f: { $ref: "#/$defs/F" } } }] }] } },
      },
      $defs: { E: { description: "from the definition" }, F: { type: "number" }, G: { properties: { g: {} } } },
    };
    expect(propertiesWithoutDescription(schema)).toEqual([
      "/properties/a/properties/b~1c",
      "/properties/list/items/anyOf/1/properties/d",
      "/properties/map/additionalProperties/oneOf/1/allOf/0/properties/f",
      "/$defs/G/properties/g",
    ]);
  });
});

describe("schema/scenario.schema.json", () => {
  it("is what the zod types generate (run `npm run schema` if this fails)", () => {
    expect(committed).toBe(scenarioJsonSchemaText());
  });

  it("covers at least the shipped scenario and the incident sketches", () => {
    expect(scenarioFiles.length).toBeGreaterThanOrEqual(8);
  });

  it.each(scenarioFiles)("%s validates with ajv and points at the schema", (file) => {
    const text = readFileSync(repoPath(file), "utf8");
    expect(text.split("\n")[0]).toMatch(/^# yaml-language-server: \$schema=(\.\.\/)+schema\/scenario\.schema\.json$/);
    const ok = validate(parse(text));
    expect(validate.errors ?? [], file).toEqual([]);
    expect(ok).toBe(true);
  });

  it("gives every property a description (editors show it on hover and completion)", () => {
    const missing = propertiesWithoutDescription(scenarioJsonSchema());
    expect(missing, `properties without a description (add .describe() on the zod field):\n${missing.join("\n")}`).toEqual([]);
  });

  it("rejects what the loader rejects: unknown keys, wrong kinds, missing required fields", () => {
    const base = parse(readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8"));
    expect(validate({ ...base, replica: 3 })).toBe(false);
    expect(validate({ ...base, components: [{ id: "web", kind: "servic" }] })).toBe(false);
    const { duration: _omitted, ...withoutDuration } = base;
    expect(validate(withoutDuration)).toBe(false);
  });
});
