// Checks provenance sets: merges are sorted, duplicate-free and bounded, keeping the newest seqs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EMPTY_PROVENANCE, PROVENANCE_MAX, mergeProvenance, withEvent } from "../../sim/model/provenance.js";

/** Reference model: the newest `max` seqs of the union, ascending. */
function model(a: readonly number[], b: readonly number[], max: number): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y).slice(-max);
}

const setArb = (maxLength: number) => fc.uniqueArray(fc.nat({ max: 60 }), { maxLength }).map((xs) => xs.sort((x, y) => x - y));

describe("mergeProvenance", () => {
  it("merges two sets into their sorted, deduplicated union", () => {
    expect(mergeProvenance([1, 4, 9], [2, 4, 10])).toEqual([1, 2, 4, 9, 10]);
    expect(mergeProvenance([3], EMPTY_PROVENANCE)).toEqual([3]);
    expect(mergeProvenance(EMPTY_PROVENANCE, [3])).toEqual([3]);
    expect(mergeProvenance(EMPTY_PROVENANCE, EMPTY_PROVENANCE)).toEqual([]);
  });

  it("keeps only the newest PROVENANCE_MAX seqs", () => {
    expect(PROVENANCE_MAX).toBe(8);
    expect(mergeProvenance([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(mergeProvenance([1, 3, 5], [2, 4, 6], 4)).toEqual([3, 4, 5, 6]);
  });

  it("matches the reference model for sets within the bound", () => {
    fc.assert(
      fc.property(setArb(PROVENANCE_MAX), setArb(PROVENANCE_MAX), (a, b) => {
        expect(mergeProvenance(a, b)).toEqual(model(a, b, PROVENANCE_MAX));
      }),
      { numRuns: 500 },
    );
  });

  it("is bounded by max for any inputs and max, even when one side is empty", () => {
    fc.assert(
      fc.property(setArb(30), setArb(30), fc.integer({ min: 1, max: 12 }), (a, b, max) => {
        const merged = mergeProvenance(a, b, max);
        expect(merged.length).toBeLessThanOrEqual(max);
        expect([...merged]).toEqual(model(a, b, max));
      }),
      { numRuns: 500 },
    );
  });

  it("is commutative and does not modify its inputs", () => {
    fc.assert(
      fc.property(setArb(PROVENANCE_MAX), setArb(PROVENANCE_MAX), (a, b) => {
        const aCopy = [...a];
        const bCopy = [...b];
        expect(mergeProvenance(a, b)).toEqual(mergeProvenance(b, a));
        expect(a).toEqual(aCopy);
        expect(b).toEqual(bCopy);
      }),
    );
  });
});

describe("withEvent", () => {
  it("adds a seq in order, ignores one already present, and drops the oldest beyond the bound", () => {
    expect(withEvent([2, 5], 3)).toEqual([2, 3, 5]);
    expect(withEvent([2, 5], 5)).toEqual([2, 5]);
    expect(withEvent([1, 2, 3, 4, 5, 6, 7, 8], 9)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    // An event older than everything kept is itself the one dropped.
    expect(withEvent([2, 3, 4, 5, 6, 7, 8, 9], 1)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("folded over any sequence of seqs equals the newest 8 distinct seqs", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 100 }), { maxLength: 40 }), (seqs) => {
        const folded = seqs.reduce((p, s) => withEvent(p, s), EMPTY_PROVENANCE);
        expect([...folded]).toEqual(model(seqs, [], PROVENANCE_MAX));
      }),
    );
  });
});
