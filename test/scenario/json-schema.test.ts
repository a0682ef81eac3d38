// The JSON Schema generated from the zod types: the committed file is up to date, and every
// scenario in the repository validates against it with an independent validator (ajv).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchemaText } from "../../sim/scenario/json-schema.js";
import { repoPath } from "../helpers/scenarios.js";

const committed = readFileSync(repoPath(SCENARIO_SCHEMA_PATH), "utf8");
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(committed));

const scenarioFiles = [
  ...readdirSync(repoPath("scenarios")).filter((f) => f.endsWith(".yaml")).map((f) => join("scenarios", f)),
  ...readdirSync(repoPath("test/incidents")).filter((f) => f.endsWith(".yaml")).map((f) => join("test/incidents", f)),
];

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

  it("rejects what the loader rejects: unknown keys, wrong kinds, missing required fields", () => {
    const base = parse(readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8"));
    expect(validate({ ...base, replica: 3 })).toBe(false);
    expect(validate({ ...base, components: [{ id: "web", kind: "servic" }] })).toBe(false);
    const { duration: _omitted, ...withoutDuration } = base;
    expect(validate(withoutDuration)).toBe(false);
  });
});
