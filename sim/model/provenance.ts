// Provenance sets: the exact set of log events a signal was derived from, kept as ascending,
// duplicate-free arrays of seqs. Exact, not capped: a root cause is computed from the log, so a
// set that dropped a fault, an agent command or a workload change would hide it from every
// explanation. Sets stay small because each source contributes only its newest relevant event
// (the last writer of a knob, the last change of a workload, the last event of a fault).

/** An ascending, duplicate-free list of event seqs. Treat as immutable. */
export type Provenance = readonly number[];

export const EMPTY_PROVENANCE: Provenance = Object.freeze([]);

/**
 * Union of many sets (each ascending) plus loose seqs. Returns the single non-empty input itself
 * when nothing else contributes, so unchanged sets keep their identity. Pure.
 */
export function unionProvenance(sets: readonly Provenance[], seqs: readonly number[] = []): Provenance {
  let only: Provenance | null = null;
  let nonEmpty = 0;
  for (const s of sets) {
    if (s.length > 0) {
      nonEmpty++;
      only = s;
    }
  }
  if (seqs.length === 0) {
    if (nonEmpty === 0) return EMPTY_PROVENANCE;
    if (nonEmpty === 1) return only!;
  }
  const all: number[] = [];
  for (const s of sets) for (const x of s) all.push(x);
  for (const x of seqs) if (x >= 0) all.push(x);
  if (all.length === 0) return EMPTY_PROVENANCE;
  all.sort((x, y) => x - y);
  let n = 1;
  for (let k = 1; k < all.length; k++) if (all[k] !== all[n - 1]) all[n++] = all[k];
  all.length = n;
  return all;
}

/** True when two sets hold the same seqs. Pure. */
export function sameProvenance(a: Provenance, b: Provenance): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
