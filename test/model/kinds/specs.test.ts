// The registry of component kinds' spec modules: each module's `kinds` match its schema's `kind`
// field, no kind or defaults table is claimed twice, dispatch finds every kind, and spec modules
// stay data (no imports of the world, the engine or agents).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMPONENT_DEFAULTS, COMPONENT_KINDS, KIND_SPECS, kindSpecOf } from "../../../sim/model/kinds/specs.js";
import { componentSchema } from "../../../sim/scenario/schema.js";
import { repoPath } from "../../helpers/scenarios.js";

/** The `kind` values a kind schema accepts (a z.enum or a z.literal). */
function schemaKinds(schema: (typeof KIND_SPECS)[number]["schema"]): string[] {
  const kind = schema.shape.kind as unknown as { options?: string[]; values?: Set<string> };
  return kind.options ?? [...(kind.values ?? [])];
}

describe("component kind spec registry", () => {
  it.each(KIND_SPECS.map((k) => [k.kinds.join("/"), k] as const))("%s: kinds match the schema's kind field", (_name, k) => {
    expect(schemaKinds(k.schema)).toEqual([...k.kinds]);
  });

  it("registers every kind once, and the component union accepts exactly those", () => {
    expect(new Set(COMPONENT_KINDS).size).toBe(COMPONENT_KINDS.length);
    for (const kind of COMPONENT_KINDS) expect(kindSpecOf(kind).kinds).toContain(kind);
    expect(componentSchema.options.flatMap((o) => schemaKinds(o))).toEqual([...COMPONENT_KINDS]);
  });

  it("refuses an unregistered kind, naming the registry", () => {
    expect(() => kindSpecOf("pod")).toThrow(/no spec module registered for component kind "pod".*specs\.ts/);
  });

  it("gathers each defaults table from exactly one module", () => {
    const names = KIND_SPECS.flatMap((k) => Object.keys(k.defaults));
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(COMPONENT_DEFAULTS).sort()).toEqual([...names].sort());
  });

  it("keeps spec modules free of the world, the engine and agents", () => {
    const root = repoPath("sim/model/kinds");
    const specs = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(root, d.name, "spec.ts")).filter((f) => existsSync(f));
    // A folder with a spec.ts that is not in the registry would be silently ignored by the loader.
    expect(specs.length).toBe(KIND_SPECS.length);
    for (const file of specs) {
      const imports = [...readFileSync(file, "utf8").matchAll(/from\s+["']([^"']+)["']/g)].map((m) => m[1]);
      expect(imports.filter((i) => /(^|\/)world\.js$|\/engine\/|\/agents\//.test(i)), file).toEqual([]);
    }
  });
});
