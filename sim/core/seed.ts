// A seed typed as text (the CLI's --seed, the app's seed box): whole numbers are numbers, except
// beyond 2^53, where a number would be rounded and two seeds would give one run. Pure.

/**
 * `text` as a seed: a safe integer as a number (so ordinary seeds keep their hashes), a larger
 * integer as the string of its digits (a scenario file's `seed:` is read the same way), anything
 * else as the text itself. Pure.
 */
export function seedFromText(text: string): string | number {
  if (!/^-?\d+$/.test(text)) return text;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text).toString();
}
