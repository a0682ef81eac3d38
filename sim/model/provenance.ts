// Provenance sets: the bounded set of log events a signal was derived from. Kept as small
// ascending arrays of seqs; when a set would exceed its bound the oldest seqs are dropped,
// because the newest writes are the ones an explanation needs.

/** Most events a signal's provenance keeps. */
export const PROVENANCE_MAX = 8;

/** An ascending, duplicate-free list of event seqs. Treat as immutable. */
export type Provenance = readonly number[];

export const EMPTY_PROVENANCE: Provenance = Object.freeze([]);

/** Union of two provenance sets, keeping the newest PROVENANCE_MAX seqs. Pure. */
export function mergeProvenance(a: Provenance, b: Provenance, max = PROVENANCE_MAX): Provenance {
  if (b.length === 0 && a.length <= max) return a;
  if (a.length === 0 && b.length <= max) return b;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i] : Infinity;
    const y = j < b.length ? b[j] : Infinity;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out.length > max ? out.slice(out.length - max) : out;
}

/** Adds one seq to a provenance set. Pure. */
export function withEvent(a: Provenance, seq: number, max = PROVENANCE_MAX): Provenance {
  return mergeProvenance(a, [seq], max);
}
