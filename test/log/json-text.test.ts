// jsonText: String() for everything a run file can hold, including objects String() throws on.
import { describe, expect, it } from "vitest";
import { jsonText } from "../../sim/log/json-text.js";

describe("jsonText", () => {
  it("reads exactly as String() for ordinary values", () => {
    for (const v of ["web", "", 0, -1.5, 1e21, true, null, undefined, [1, "a"], { a: 1 }]) expect(jsonText(v)).toBe(String(v));
  });

  it("shows objects whose toString or valueOf is not a function as JSON instead of throwing", () => {
    const forged = JSON.parse('{"toString":"x","valueOf":1}');
    expect(() => String(forged)).toThrow(TypeError);
    expect(jsonText(forged)).toBe('{"toString":"x","valueOf":1}');
    expect(jsonText([1, forged])).toBe('[1,{"toString":"x","valueOf":1}]');
  });
});
