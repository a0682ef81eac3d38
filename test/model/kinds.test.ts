// The component-kind registry: every kind a scenario can declare has a module, every module has
// its section in docs/model.md, and the world orchestrator names no kind (adding a kind must not
// mean editing it).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMPONENT_MODELS, componentKind } from "../../sim/model/kinds/registry.js";
import { componentSchema } from "../../sim/scenario/schema.js";

/** GitHub's heading anchor: lower case, spaces to dashes, punctuation dropped. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-");
}

const declaredKinds = (): string[] => {
  const schema = JSON.parse(JSON.stringify((componentSchema as unknown as { toJSONSchema?: () => unknown }).toJSONSchema?.() ?? {}));
  const out: string[] = [];
  for (const option of schema.oneOf ?? schema.anyOf ?? []) {
    const kind = option.properties?.kind;
    if (kind?.const) out.push(kind.const);
    for (const v of kind?.enum ?? []) out.push(v);
  }
  return out;
};

describe("component kinds", () => {
  it("have a module for every kind the scenario format declares", () => {
    const kinds = declaredKinds();
    expect(kinds.length).toBeGreaterThanOrEqual(9);
    for (const k of kinds) expect(componentKind(k as never).kinds).toContain(k);
  });

  it("each have a section in docs/model.md", () => {
    const anchors = new Set(
      readFileSync("docs/model.md", "utf8")
        .split("\n")
        .filter((l) => l.startsWith("## ") || l.startsWith("### "))
        .map((l) => slug(l.replace(/^#+ /, ""))),
    );
    for (const k of COMPONENT_MODELS) expect(anchors, `docs/model.md#${k.docsAnchor} (${k.kinds.join(", ")})`).toContain(k.docsAnchor);
  });

  it("are not named by the world orchestrator or the provenance graph", () => {
    for (const file of ["sim/model/world.ts", "sim/model/provenance-graph.ts", "sim/model/component.ts"]) {
      const source = readFileSync(file, "utf8");
      for (const k of COMPONENT_MODELS) {
        for (const name of k.kinds) expect(source.includes(`"${name}"`), `${file} names kind "${name}"`).toBe(false);
      }
    }
  });
});
