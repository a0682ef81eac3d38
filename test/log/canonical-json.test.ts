// Checks canonical JSON: sorted keys, no whitespace, undefined members dropped, non-finite numbers and cycles refused by path.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../sim/log/canonical-json.js";

describe("canonicalJson", () => {
  it("sorts object keys at every depth and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: "x" } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it("writes scalars as JSON does", () => {
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson(true)).toBe("true");
    expect(canonicalJson(false)).toBe("false");
    expect(canonicalJson(-1.5e-7)).toBe("-1.5e-7");
    expect(canonicalJson('quote " and \\ and \n')).toBe('"quote \\" and \\\\ and \\n"');
    expect(canonicalJson([])).toBe("[]");
    expect(canonicalJson({})).toBe("{}");
  });

  it("drops undefined object members and writes undefined array items as null", () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(canonicalJson({ a: undefined })).toBe("{}");
    expect(canonicalJson([1, undefined, 3])).toBe("[1,null,3]");
  });

  it("gives the same text regardless of key insertion order", () => {
    const keyArb = fc.string({ maxLength: 6 });
    fc.assert(
      fc.property(fc.dictionary(keyArb, fc.jsonValue(), { maxKeys: 8 }), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      }),
    );
  });

  it("matches JSON.stringify given every key in sorted order, for any JSON value", () => {
    // Independent oracle: JSON.stringify with an array replacer writes each object's members in
    // the order of that list, so the sorted list of all keys yields sorted keys at every depth.
    const allKeys = (v: unknown, into: Set<string>): Set<string> => {
      if (v !== null && typeof v === "object") {
        if (!Array.isArray(v)) for (const k of Object.keys(v)) into.add(k);
        for (const child of Object.values(v)) allKeys(child, into);
      }
      return into;
    };
    // The oracle reads listed keys with [[Get]], so objects must have no prototype: otherwise a
    // listed "__proto__" that an object lacks would be read from Object.prototype.
    const withoutPrototypes = (v: unknown): unknown => {
      if (v === null || typeof v !== "object") return v;
      if (Array.isArray(v)) return v.map(withoutPrototypes);
      const copy = Object.create(null) as Record<string, unknown>;
      for (const [k, child] of Object.entries(v)) copy[k] = withoutPrototypes(child);
      return copy;
    };
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const keys = [...allKeys(value, new Set())].sort();
        expect(canonicalJson(value)).toBe(JSON.stringify(withoutPrototypes(value), keys));
      }),
      { numRuns: 1000 },
    );
  });

  it("writes an own `__proto__` member like any other key", () => {
    expect(canonicalJson(JSON.parse('{"b":1,"__proto__":{"x":2}}'))).toBe('{"__proto__":{"x":2},"b":1}');
  });

  it("puts integer-like keys in string order, not in JavaScript's numeric property order", () => {
    expect(canonicalJson({ b: 1, "10": 2, "9": 3, a: 4 })).toBe('{"10":2,"9":3,"a":4,"b":1}');
  });

  it.each([
    [{ a: { b: [1, 2, Number.NaN] } }, "$.a.b[2]", "NaN"],
    [{ x: Infinity }, "$.x", "Infinity"],
    [[-Infinity], "$[0]", "-Infinity"],
    [Number.NaN, "$", "NaN"],
  ])("refuses a non-finite number and names its path (%#)", (value, path, shown) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
    expect(() => canonicalJson(value)).toThrow(`canonicalJson: ${path} is ${shown}; only finite numbers can be logged`);
  });

  it("refuses functions and bigints, naming the path", () => {
    expect(() => canonicalJson({ f: () => 1 })).toThrow("canonicalJson: $.f is a function, which has no JSON form");
    expect(() => canonicalJson({ n: [10n] })).toThrow("canonicalJson: $.n[0] is a bigint, which has no JSON form");
  });

  it("refuses a cycle but accepts the same object twice in sibling positions", () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow("canonicalJson: $.self refers back to itself");
    const shared = { v: 1 };
    expect(canonicalJson({ x: shared, y: shared })).toBe('{"x":{"v":1},"y":{"v":1}}');
  });
});
