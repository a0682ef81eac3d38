// Templates (sim/scenario/templates.ts, template-expr.ts): `${...}` expressions, forEach
// expansion with its source map and budgets, and what the loader makes of them: merge keys,
// definitions shared by (and replaced in) variants, variants overriding generated items by id,
// and errors located at the template line naming the generated instance.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TemplateExprError, evaluate, substitute, type TemplateScope } from "../../sim/scenario/template-expr.js";
import { TEMPLATE_DEPTH_MAX, TEMPLATE_ITEMS_MAX, TEMPLATE_RANGE_MAX, TEMPLATE_VALUES_MAX, expandTemplates, usesTemplates } from "../../sim/scenario/templates.js";
import { loadSuite, loadVariant } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";

function scope(vars: Record<string, unknown>): TemplateScope {
  return { get: (n) => vars[n], has: (n) => Object.prototype.hasOwnProperty.call(vars, n), names: () => Object.keys(vars) };
}

function exprError(f: () => unknown): TemplateExprError {
  try {
    f();
  } catch (e) {
    if (e instanceof TemplateExprError) return e;
    throw e;
  }
  throw new Error("expected a TemplateExprError");
}

function problemsOf(text: string, variant?: string): string {
  try {
    if (variant) loadVariant(text, "t.yaml", variant);
    else loadSuite(text, "t.yaml");
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  return "ok";
}

describe("template expressions", () => {
  const s = scope({ index: 4, item: { zone: "eu", shards: [1, 2, 3] }, sites: ["a", "b"], name: "web" });

  it("evaluates names, fields, indexes, integer arithmetic and the helpers", () => {
    expect(evaluate("index + 1", s)).toBe(5);
    expect(evaluate("index * (2 + 1) - 7 % 3", s)).toBe(11);
    expect(evaluate("-index / 3", s)).toBe(-1);
    expect(evaluate("item.zone", s)).toBe("eu");
    expect(evaluate("item.shards[index - 2]", s)).toBe(3);
    expect(evaluate("pad(index + 1, 3)", s)).toBe("005");
    expect(evaluate("len(sites) + len(item.shards)", s)).toBe(5);
  });

  it("keeps the type of a text that is exactly one ${...}, and writes values into other text", () => {
    expect(substitute("${index + 1}", s)).toBe(5);
    expect(substitute("${item.shards}", s)).toEqual([1, 2, 3]);
    expect(substitute("${name}-${pad(index, 2)}.${item.zone}", s)).toBe("web-04.eu");
    expect(substitute("cost $${index} is ${index}", s)).toBe("cost ${index} is 4");
    expect(substitute("no placeholders", s)).toBe("no placeholders");
  });

  it("refuses unknown names with a hint, missing fields, bad operands, division by zero and lists in text", () => {
    expect(exprError(() => evaluate("indx", s))).toMatchObject({ found: "unknown name `indx`", hint: "did you mean `index`?" });
    expect(exprError(() => evaluate("item.zon", s))).toMatchObject({ found: "no field `zon`", hint: "did you mean `zone`?" });
    expect(exprError(() => evaluate("name + 1", s)).hint).toMatch(/side by side/);
    expect(exprError(() => evaluate("index / 0", s)).expected).toMatch(/divisor/);
    expect(exprError(() => evaluate("sites[2]", s)).expected).toBe("an index from 0 to 1");
    expect(exprError(() => substitute("x-${sites}", s)).expected).toMatch(/string, number or true\/false/);
    expect(exprError(() => evaluate("9007199254740991 + 1", s)).expected).toMatch(/2\^53/);
    expect(exprError(() => evaluate("index; process.exit(1)", s)).found).toMatch(/`;`/);
  });

  it("reads only own fields: prototype names are unknown, never evaluated", () => {
    expect(exprError(() => evaluate("constructor", s)).found).toBe("unknown name `constructor`");
    expect(exprError(() => evaluate("item.constructor", s)).found).toBe("no field `constructor`");
    expect(exprError(() => evaluate("item.__proto__", s)).found).toBe("no field `__proto__`");
  });
});

describe("forEach expansion", () => {
  it("expands over a list literal, a definitions list, a count and an inclusive range", () => {
    const raw = {
      definitions: { sites: ["eu", "us"] },
      a: [{ forEach: ["x", "y"], each: "${item}${index}" }],
      b: [{ forEach: "sites", as: "site", each: { id: "web-${site}" } }],
      c: [{ forEach: { range: 3 }, each: "${index}" }],
      d: [{ forEach: { range: [1, 3] }, as: "n", each: "${n * 10}" }],
      e: "${not-substituted-outside-templates}",
    };
    const { value, problems } = expandTemplates(raw);
    expect(problems).toEqual([]);
    expect(value).toEqual({ a: ["x0", "y1"], b: [{ id: "web-eu" }, { id: "web-us" }], c: [0, 1, 2], d: [10, 20, 30], e: "${not-substituted-outside-templates}" });
  });

  it("expands a list of items per value and nested templates, keeping plain items in place", () => {
    const raw = {
      list: [
        { id: "first" },
        { forEach: ["a", "b"], as: "s", each: [{ id: "${s}-web", dependsOn: [{ forEach: { range: 2 }, as: "k", each: "${s}-db-${k}" }] }, { id: "${s}-db" }] },
        { id: "last" },
      ],
    };
    const { value } = expandTemplates(raw);
    expect(value.list).toEqual([
      { id: "first" },
      { id: "a-web", dependsOn: ["a-db-0", "a-db-1"] },
      { id: "a-db" },
      { id: "b-web", dependsOn: ["b-db-0", "b-db-1"] },
      { id: "b-db" },
      { id: "last" },
    ]);
  });

  it("maps every generated path back to the template and names the instance", () => {
    const raw = { components: [{ id: "lb" }, { forEach: ["eu", "us"], as: "site", each: { id: "web-${site}", kind: "service" } }] };
    const e = expandTemplates(raw);
    expect(e.sourceOf(["components", 0, "id"])).toEqual({ path: ["components", 0, "id"] });
    expect(e.sourceOf(["components", 2, "kind"])).toEqual({ path: ["components", 1, "each", "kind"], instance: { generated: ["components", 2], template: ["components", 1], bindings: 'index=1, site="us"' } });
  });

  it("leaves a file without templates untouched", () => {
    const raw = { name: "x", components: [{ id: "web", note: "${index}" }] };
    expect(usesTemplates(raw)).toBe(false);
    expect(usesTemplates({ ...raw, definitions: {} })).toBe(true);
  });

  it("bounds expansion: range size, nesting depth, items generated", () => {
    const range = expandTemplates({ a: [{ forEach: { range: TEMPLATE_RANGE_MAX + 1 }, each: 1 }] });
    expect(range.problems[0]).toMatchObject({ path: ["a", 0, "forEach", "range"], found: `${TEMPLATE_RANGE_MAX + 1} numbers` });
    let nested: unknown = 1;
    for (let d = 0; d <= TEMPLATE_DEPTH_MAX; d++) nested = { forEach: [1], each: [nested] };
    const deep = expandTemplates({ a: [nested] });
    expect(deep.problems[0].expected).toMatch(new RegExp(`nested at most ${TEMPLATE_DEPTH_MAX} deep`));
    const many = expandTemplates({ a: [{ forEach: { range: 200 }, each: [{ forEach: { range: 200 }, each: 1 }] }] });
    expect(many.problems[0].expected).toMatch(new RegExp(`at most ${TEMPLATE_ITEMS_MAX} items`));
    // Loops that generate nothing still count: 10,000^3 empty iterations stop at the values budget.
    const empty = { forEach: { range: TEMPLATE_RANGE_MAX }, each: [{ forEach: { range: TEMPLATE_RANGE_MAX }, each: [{ forEach: { range: TEMPLATE_RANGE_MAX }, each: [] }] }] };
    expect(expandTemplates({ a: [empty] }).problems[0].expected).toMatch(new RegExp(`at most ${TEMPLATE_VALUES_MAX} values`));
  });

  it("reports a misspelt template key, a missing each, same-named variables and a non-list", () => {
    expect(expandTemplates({ a: [{ forEach: [1], eahc: 1 }] }).problems.map((p) => p.found)).toEqual(["unknown key `eahc`", "nothing (this field is required)"]);
    expect(expandTemplates({ a: [{ forEach: [1], as: "x", index: "x", each: 1 }] }).problems[0].path).toEqual(["a", 0, "index"]);
    expect(expandTemplates({ definitions: { n: 3 }, a: [{ forEach: "n", each: 1 }] }).problems[0]).toMatchObject({ found: "n is 3", hint: "use `{ range: N }` to count" });
    expect(expandTemplates({ a: [{ forEach: 5, each: 1 }] }).problems[0].hint).toBe("to count, write `{ range: 5 }`");
  });

  it("generates N items with distinct substituted ids from N values, the same every time (property)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), { maxLength: 40 }), (names) => {
        const raw = { definitions: { names }, components: [{ forEach: "names", as: "n", each: { id: "svc-${n}-${index}", replicas: "${index + 1}" } }] };
        const once = expandTemplates(raw);
        const twice = expandTemplates(structuredClone(raw));
        const items = once.value.components as { id: string; replicas: number }[];
        expect(once.problems).toEqual([]);
        expect(items).toHaveLength(names.length);
        expect(new Set(items.map((c) => c.id)).size).toBe(names.length);
        expect(items.map((c) => c.replicas)).toEqual(names.map((_, i) => i + 1));
        expect(JSON.stringify(twice.value)).toBe(JSON.stringify(once.value));
      }),
    );
  });
});

const SITES = `name: sites
seed: 1
duration: 10m
definitions:
  sites: [eu, us, ap]
  scaler: &scaler
    kind: performance
    utilizationMax: 0.75
components:
  - forEach: sites
    as: site
    each: { id: "web-\${site}", kind: service }
agents:
  - forEach: sites
    as: site
    each: { id: "scaler-\${site}", target: "web-\${site}", <<: *scaler }
variants:
  blind: {}
  careful:
    agents:
      - { id: scaler-us, utilizationMax: 0.5 }
  wide:
    definitions:
      sites: [eu, us, ap, sa]
`;

describe("templates in scenario files", () => {
  it("shares definitions across variants, lets a variant override one generated item by id and replace a definitions entry", () => {
    const suite = loadSuite(SITES, "sites.yaml");
    const [blind, careful, wide] = suite.variants;
    expect(blind.scenario.components.map((c) => c.id)).toEqual(["web-eu", "web-us", "web-ap"]);
    expect(blind.scenario.agents.map((a) => a.id)).toEqual(["scaler-eu", "scaler-us", "scaler-ap"]);
    const utilization = (v: typeof blind) => v.scenario.agents.map((a) => (a as unknown as { utilizationMax: number }).utilizationMax);
    expect(utilization(blind)).toEqual([0.75, 0.75, 0.75]);
    expect(utilization(careful)).toEqual([0.75, 0.5, 0.75]);
    expect(wide.scenario.components.map((c) => c.id)).toEqual(["web-eu", "web-us", "web-ap", "web-sa"]);
  });

  it("loads to the same scenario as the file written out by hand", () => {
    const byHand = `name: sites
seed: 1
duration: 10m
components:
  - { id: web-eu, kind: service }
  - { id: web-us, kind: service }
agents:
  - { id: scaler-eu, target: web-eu, kind: performance, utilizationMax: 0.75 }
  - { id: scaler-us, target: web-us, kind: performance, utilizationMax: 0.75 }
`;
    const templated = SITES.replace("[eu, us, ap]", "[eu, us]").replace(/variants:[\s\S]*$/, "");
    const { sourceSha256: _a, ...a } = loadVariant(templated, "a.yaml").scenario;
    const { sourceSha256: _b, ...b } = loadVariant(byHand, "b.yaml").scenario;
    expect(a).toEqual(b);
  });

  it("accepts merge keys (no longer an unknown `<<`) and locates a merged value's problem at the anchor", () => {
    const text = `name: m
seed: 1
duration: 10m
base: &base { kind: service, replicas: 2 }
components:
  - { id: web, <<: *base }
`;
    expect(problemsOf(text)).toMatch(/t.yaml:4:1: base: expected a known key, found unknown key `base`/);
    expect(problemsOf(text)).not.toMatch(/<</);
    const located = text.replace("replicas: 2", "replicas: -2").replace(/^base: /m, "definitions:\n  base: ");
    expect(problemsOf(located)).toBe("t.yaml: 1 problem\nt.yaml:5:42: components[0].replicas: expected a number >= 0, found -2");
  });

  it("names the generated instance and points at the template line, also through a variant", () => {
    const bad = SITES.replace("utilizationMax: 0.5", "utilizationMax: high");
    expect(problemsOf(bad, "careful")).toMatch(/^t.yaml:21:42: variants\.careful\.agents\[0\]\.utilizationMax: expected a number, found "high"$/m);
    const generated = SITES.replace('each: { id: "web-${site}", kind: service }', 'each: { id: "web-${site}", kind: servce }');
    expect(problemsOf(generated)).toMatch(/^t.yaml:12:38: components\[0\] \(web-eu, from forEach at line 10 with index=0, site="eu"\): kind: expected one of .*\n  hint: did you mean `service`\?$/m);
  });

  it("reports template problems of a variant's own definitions at that variant", () => {
    const bad = SITES.replace("sites: [eu, us, ap, sa]", "sites: 4");
    expect(problemsOf(bad)).toMatch(/t.yaml:10:14: components\[0\]\.forEach: expected a list to iterate over, found sites is 4/);
  });
});
