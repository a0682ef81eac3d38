// Checks provenance sets: unions are sorted, duplicate-free and exact (never capped), and keep
// the identity of an input when nothing is added.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EMPTY_PROVENANCE, sameProvenance, unionProvenance } from "../../sim/model/provenance.js";

/** Reference model: the union, ascending. */
function model(...sets: readonly (readonly number[])[]): number[] {
  return [...new Set(sets.flat())].sort((x, y) => x - y);
}

const setArb = (maxLength: number) => fc.uniqueArray(fc.nat({ max: 200 }), { maxLength }).map((xs) => xs.sort((x, y) => x - y));

describe("unionProvenance of two sets", () => {
  it("merges two sets into their sorted, deduplicated union", () => {
    expect(unionProvenance([[1, 4, 9], [2, 4, 10]])).toEqual([1, 2, 4, 9, 10]);
    expect(unionProvenance([[3], EMPTY_PROVENANCE])).toEqual([3]);
    expect(unionProvenance([EMPTY_PROVENANCE, [3]])).toEqual([3]);
    expect(unionProvenance([EMPTY_PROVENANCE, EMPTY_PROVENANCE])).toEqual([]);
  });

  it("never drops a seq, however many there are (no recency cap)", () => {
    const a = Array.from({ length: 500 }, (_, i) => 2 * i);
    const b = Array.from({ length: 500 }, (_, i) => 2 * i + 1);
    expect(unionProvenance([a, b])).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it("matches the reference model and does not modify its inputs", () => {
    fc.assert(
      fc.property(setArb(60), setArb(60), (a, b) => {
        const aCopy = [...a];
        const bCopy = [...b];
        expect([...unionProvenance([a, b])]).toEqual(model(a, b));
        expect(unionProvenance([a, b])).toEqual(unionProvenance([b, a]));
        expect(a).toEqual(aCopy);
        expect(b).toEqual(bCopy);
      }),
      { numRuns: 500 },
    );
  });

  it("returns an input itself when it is the only non-empty one", () => {
    const a = [1, 5, 9];
    expect(unionProvenance([a, [5]])).toEqual(a);
    expect(unionProvenance([EMPTY_PROVENANCE, a])).toBe(a);
  });
});

describe("unionProvenance", () => {
  it("is the union of many sets and loose seqs, ignoring negative seqs", () => {
    fc.assert(
      fc.property(fc.array(setArb(20), { maxLength: 8 }), fc.array(fc.integer({ min: -3, max: 200 }), { maxLength: 10 }), (sets, seqs) => {
        expect([...unionProvenance(sets, seqs)]).toEqual(model(...sets, seqs.filter((x) => x >= 0)));
      }),
      { numRuns: 500 },
    );
  });

  it("keeps the identity of the only non-empty set", () => {
    const a = [2, 3];
    expect(unionProvenance([EMPTY_PROVENANCE, a, EMPTY_PROVENANCE])).toBe(a);
  });
});

describe("unionProvenance with loose seqs, and sameProvenance", () => {
  it("adds one seq in order, once", () => {
    expect(unionProvenance([[2, 5]], [3])).toEqual([2, 3, 5]);
    expect(unionProvenance([[2, 5]], [5])).toEqual([2, 5]);
    const many = Array.from({ length: 40 }, (_, i) => i);
    expect(unionProvenance([many], [40])).toHaveLength(41);
  });

  it("compares contents", () => {
    expect(sameProvenance([1, 2], [1, 2])).toBe(true);
    expect(sameProvenance([1, 2], [1, 3])).toBe(false);
    expect(sameProvenance([1], [1, 2])).toBe(false);
  });
});
