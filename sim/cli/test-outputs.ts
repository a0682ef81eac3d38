// File names and finding counts for `crossfire test --reports` and `--summary` (uniqueName records each name it hands out in `taken`; the rest are pure).

/** `name` + `ext`, made unique among `taken` with -2, -3... (two files may share a scenario name). */
export function uniqueName(name: string, taken: Set<string>, ext: string): string {
  let candidate = `${name}${ext}`;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name}-${n}${ext}`;
  taken.add(candidate);
  return candidate;
}

/** A file-name-safe form of a scenario or variant name. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "scenario";
}

/** Finding kinds with counts, most frequent first: `thrashing x2`, `cascade`. */
export function findingCounts(findings: readonly { kind: string }[]): string[] {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => (n > 1 ? `${k} x${n}` : k));
}
