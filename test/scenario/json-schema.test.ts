// The JSON Schema generated from the zod types: the committed file is up to date, ajv's strict
// mode compiles it, every scenario in the repository validates against it with that independent
// validator, every property carries a description for editors to show, and every field the
// loader defaults carries its `default`.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DETECTOR_DEFAULTS } from "../../sim/detect/index.js";
import { withDefaults } from "../../sim/scenario/json-schema-defaults.js";
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchema, scenarioJsonSchemaText, withoutUnionTypes } from "../../sim/scenario/json-schema.js";
import { DEFAULTS } from "../../sim/scenario/resolve.js";
import { scenarioSchema } from "../../sim/scenario/schema.js";
import { repoPath } from "../helpers/scenarios.js";

const committed = readFileSync(repoPath(SCENARIO_SCHEMA_PATH), "utf8");
// Strict mode: unknown keywords, union types without allowUnionTypes, ignored keywords all throw.
const ajv = new Ajv2020({ allErrors: true, strict: true });
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

  it("accepts a forEach template in a top-level list and rejects a template without `each`", () => {
    const base = parse(readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8"));
    const template = { forEach: { range: 3 }, each: { id: "w-${index}", kind: "service" } };
    expect(validate({ ...base, components: [...base.components, template] })).toBe(true);
    expect(validate({ ...base, components: [...base.components, { forEach: [1] }] })).toBe(false);
  });
});

describe("defaults in the schema", () => {
  const schema = JSON.parse(committed) as Json;
  const placement = withDefaults(z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" }) as Json);
  const defaultsIn = (node: unknown): number => (Array.isArray(node) ? node.reduce((n: number, x) => n + defaultsIn(x), 0) : isJsonObject(node) ? ("default" in node ? 1 : 0) + Object.entries(node).reduce((n, [k, v]) => n + (k === "default" ? 0 : defaultsIn(v)), 0) : 0);
  /** The component, agent, pattern or fault branch whose `field` (kind, effect) is `value`. */
  const branch = (union: unknown, value: string, field = "kind"): Json => {
    const list = (isJsonObject(union) ? (union.oneOf ?? union.anyOf) : undefined) as Json[];
    const found = list.find((b) => {
      const tag = (b.properties as Json)[field] as Json | undefined;
      return tag?.const === value;
    });
    if (!found) throw new Error(`no branch with ${field} ${value}`);
    return found.properties as Json;
  };
  const p = schema.properties as Json;
  const components = (p.components as Json).items;
  const agents = (p.agents as Json).items;
  const defaultOf = (properties: Json, field: string): unknown => (properties[field] as Json).default;

  it("carries one `default` keyword per defaulted field found, and nothing in variants", () => {
    expect(defaultsIn(schema)).toBe(placement.placed.length);
    expect(placement.placed.length).toBeGreaterThanOrEqual(170);
    expect(defaultsIn(p.variants)).toBe(0);
  });

  it("places every field of every defaults table (DEFAULTS, DETECTOR_DEFAULTS) except those that are no file field", () => {
    const sources = new Set(placement.placed.map((d) => d.source));
    const tables = DEFAULTS as unknown as Record<string, unknown>;
    const fields = Object.entries(tables).flatMap(([table, value]) => (isJsonObject(value) ? Object.keys(value).map((f) => `${table}.${f}`) : [`scenario.${table}`]));
    const missing = fields.filter((f) => !sources.has(f));
    // configAuthor's bytesPerRow sizes a document whose file field is sizeBytes (default rows x 100).
    expect(missing).toEqual(["configAuthor.bytesPerRow"]);
    expect(placement.unplaced).toEqual(["configAuthor.bytesPerRow"]);
    for (const key of Object.keys(DETECTOR_DEFAULTS)) expect(sources.has(`detectors.${key}`), key).toBe(true);
  });

  it("has the loader's defaults on specific fields", () => {
    const service = branch(components, "service");
    const database = branch(components, "database");
    expect(defaultOf(p, "step")).toBe("1s");
    expect([defaultOf(service, "replicas"), defaultOf(service, "replicasMin"), defaultOf(service, "replicasMax")]).toEqual([2, 1, 100]);
    expect([defaultOf(database, "replicas"), defaultOf(database, "replicasMax")]).toEqual([1, 16]);
    expect([defaultOf(service, "capacityPerReplica"), defaultOf(database, "capacityPerReplica")]).toEqual(["100/s", "2000/s"]);
    expect([defaultOf(service, "baseLatency"), defaultOf(service, "latencyMax"), defaultOf(service, "costPerReplicaHour")]).toEqual(["20ms", "10s", 0.1]);
    expect([defaultOf(service, "cpuRequest"), defaultOf(service, "podRestart"), defaultOf(database, "cpuRequest")]).toEqual([500, "30s", 500]);
    expect(defaultOf((service.health as Json).properties as Json, "latencyP95Max")).toBe("500ms");
    expect(defaultOf(branch(components, "configConsumer"), "replicas")).toBe(10);
    expect(defaultOf(branch(components, "clients"), "retries")).toBe(3);
    expect(defaultOf(branch(components, "clients"), "backoff")).toBe("immediate");
    expect(defaultOf(branch(components, "leaseTable"), "leaseDuration")).toBe("5m");
    expect(defaultOf(branch(agents, "performance"), "utilizationMax")).toBe(0.75);
    expect(defaultOf(branch(agents, "hpa"), "scaleDownStabilization")).toBe("300s");
    expect(defaultOf(branch(agents, "stagedDeployer"), "stages")).toEqual([1, 10, 100]);
    expect(defaultOf(branch(agents, "healthChecker"), "failover")).toBe(true);
    // A workload item is `anyOf: [the workload, a forEach template]` (templates, sim/scenario/templates.ts).
    const workload = (((p.workload as Json).items as Json).anyOf as Json[])[0];
    expect(defaultOf(branch((workload.properties as Json).pattern, "diurnal"), "period")).toBe("24h");
    expect(defaultOf((((p.coordination as Json).properties as Json).lease as Json).properties as Json, "ttl")).toBe("5m");
    expect(defaultOf(branch((p.faults as Json).items, "errors", "effect"), "rate")).toBe(1);
    expect(defaultOf(branch((p.faults as Json).items, "agentCrash", "effect"), "resume")).toBe("snapshot");
    expect(defaultOf((p.detectors as Json).properties as Json, "thrashWindow")).toBe("1h");
    expect(defaultOf((p.detectors as Json).properties as Json, "retryAmplificationMin")).toBe(1.5);
  });

  it("gives every default a value its own field accepts", () => {
    const fieldAjv = new Ajv2020({ strict: true });
    for (const { pointer, value } of placement.placed) {
      const property = { ...(resolveRef(schema, `#${pointer}`) as Json) };
      delete property.default;
      const check = fieldAjv.compile(property);
      expect(check(value), `${pointer}: ${JSON.stringify(value)} ${JSON.stringify(check.errors)}`).toBe(true);
    }
  });

  it("splits service and database into a branch each without changing what validates", () => {
    const base = parse(readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8"));
    expect(validate({ ...base, components: [{ id: "db", kind: "database", replicas: 2 }] })).toBe(true);
    expect(validate({ ...base, components: [{ id: "db", kind: "database", replicas: 2, bogus: 1 }] })).toBe(false);
  });

  it("writes union types as anyOf", () => {
    expect(withoutUnionTypes({ type: ["string", "number"], description: "x", default: { type: ["kept"] } })).toEqual({ anyOf: [{ type: "string" }, { type: "number" }], description: "x", default: { type: ["kept"] } });
    expect(JSON.stringify(schema)).not.toMatch(/"type":\[/);
  });
});

describe("docs/schemastore.md", () => {
  it("holds a SchemaStore catalog entry: name, description, specific fileMatch patterns, the schema's URL", () => {
    const doc = readFileSync(repoPath("docs/schemastore.md"), "utf8");
    const block = /```json\n([\s\S]*?)\n```/.exec(doc);
    expect(block, "a ```json block").not.toBeNull();
    const entry = JSON.parse(block![1]) as Json;
    expect(Object.keys(entry).sort()).toEqual(["description", "fileMatch", "name", "url"]);
    expect(entry.url).toMatch(/^https:\/\/.*\/schema\/scenario\.schema\.json$/);
    expect(entry.fileMatch).toContain("*.crossfire.yaml");
    for (const pattern of entry.fileMatch as string[]) expect(pattern, "no generic pattern").toMatch(/crossfire/);
  });
});
