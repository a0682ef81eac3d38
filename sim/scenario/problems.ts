// Problems found in a scenario file, each with where (file:line:col and YAML path), what was
// expected, what was found and a hint; ScenarioError carries all of them, sorted by line.

/** One problem in a scenario file. line and col are 1-based; 0 when unknown. */
export interface Problem {
  path: (string | number)[];
  expected: string;
  found: string;
  hint?: string;
  line: number;
  col: number;
}

/** Formats a YAML path as `components[1].replicas`. Pure. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out || "(top level)";
}

/** Formats one problem as `file:line:col: path: expected X, found Y (hint: Z)`. Pure. */
export function formatProblem(file: string, p: Problem): string {
  const where = p.line > 0 ? `${file}:${p.line}:${p.col}` : file;
  return `${where}: ${formatPath(p.path)}: expected ${p.expected}, found ${p.found}${p.hint ? `\n  hint: ${p.hint}` : ""}`;
}

/** All the problems of one scenario file. Thrown by the loader; never half a scenario. */
export class ScenarioError extends Error {
  readonly problems: Problem[];

  constructor(readonly file: string, problems: Problem[]) {
    const sorted = [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
    super(`${file}: ${sorted.length} problem${sorted.length === 1 ? "" : "s"}\n${sorted.map((p) => formatProblem(file, p)).join("\n")}`);
    this.name = "ScenarioError";
    this.problems = sorted;
  }
}

/** Levenshtein distance, for "did you mean" hints. Pure. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

/** The candidate closest to `word` (case-insensitive), if it is close enough to be a typo. Pure. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** A "did you mean" hint naming the candidate closest to `word`, or undefined when none is close. Pure. */
export function hintFor(word: string, candidates: readonly string[]): string | undefined {
  const c = closest(word, candidates);
  return c ? `did you mean \`${c}\`?` : undefined;
}
