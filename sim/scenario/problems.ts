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
  /**
   * Set when the problem is inside an item a template generated: the first `prefix` segments of
   * `path` name that item (in the expanded scenario), and `note` says which (its id, the template's
   * line and the loop variables).
   */
  generated?: { prefix: number; note: string };
  /** For a problem inside a string (a CEL expression): the index of the offending character, which line and col then point at. */
  offset?: number;
}

/** Formats a YAML path as `components[1].replicas`. Pure. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out || "(top level)";
}

/** Longest expected/found/hint text printed; longer ones are elided with their length. */
const FIELD_CHARS_MAX = 300;
/** Most problems a ScenarioError's message lists; the rest are counted. */
const PROBLEMS_LISTED_MAX = 100;

/** `text`, or its start and how long it was when longer than `max` characters. Pure. */
export function elide(text: string, max = FIELD_CHARS_MAX): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length} characters)`;
}

/**
 * Up to `max` items joined by commas, then how many there are in all: an error naming the ids it
 * expected stays short however many there are (listing every id in every error made the output
 * quadratic in the file). Pure.
 */
export function listed(items: readonly string[], max = 8): string {
  return items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")}, ... (${items.length} in all)`;
}

/** Formats one problem as `file:line:col: path: expected X, found Y (hint: Z)`, each part bounded. Pure. */
export function formatProblem(file: string, p: Problem): string {
  const where = p.line > 0 ? `${file}:${p.line}:${p.col}` : file;
  const path = p.generated ? `${formatPath(p.path.slice(0, p.generated.prefix))} (${p.generated.note})${p.path.length > p.generated.prefix ? `: ${formatPath(p.path.slice(p.generated.prefix))}` : ""}` : formatPath(p.path);
  return `${where}: ${elide(path)}: expected ${elide(p.expected)}, found ${elide(p.found)}${p.hint ? `\n  hint: ${elide(p.hint)}` : ""}`;
}

/** All the problems of one scenario file. Thrown by the loader; never half a scenario. */
export class ScenarioError extends Error {
  readonly problems: Problem[];

  constructor(readonly file: string, problems: Problem[]) {
    const sorted = [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
    const shown = sorted.slice(0, PROBLEMS_LISTED_MAX).map((p) => formatProblem(file, p));
    if (sorted.length > PROBLEMS_LISTED_MAX) shown.push(`... and ${sorted.length - PROBLEMS_LISTED_MAX} more problems (the first ${PROBLEMS_LISTED_MAX} are listed)`);
    super(`${file}: ${sorted.length} problem${sorted.length === 1 ? "" : "s"}\n${shown.join("\n")}`);
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
  // A typo is short and close: a long value gets no hint, and candidates whose length alone puts
  // them out of reach are skipped, so hints stay cheap for files with thousands of ids.
  if (word.length > 64) return undefined;
  const allowed = Math.max(2, Math.floor(word.length / 3));
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (Math.abs(c.length - word.length) > allowed) continue;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= allowed ? best : undefined;
}

/** A "did you mean" hint naming the candidate closest to `word`, or undefined when none is close. Pure. */
export function hintFor(word: string, candidates: readonly string[]): string | undefined {
  const c = closest(word, candidates);
  return c ? `did you mean \`${c}\`?` : undefined;
}
