// The URL as the app's history: choosing a scenario, variant or seed is a step Back can undo
// (pushState); everything else (a run file adopted, a re-run of the same choice) only rewrites
// the current entry (replaceState). Pure except for `writeUrl`, which touches `history`.

/** What the URL holds: the scenario's library name (no `scenarios/`, no `.yaml`), variant, seed. */
export interface UrlChoice {
  scenario: string;
  variant?: string;
  seed?: string;
}

/** The choice in `search` (a location's `?scenario=&variant=&seed=`). Pure. */
export function readChoice(search: string): Partial<UrlChoice> {
  const params = new URLSearchParams(search);
  return { scenario: params.get("scenario") ?? undefined, variant: params.get("variant") ?? undefined, seed: params.get("seed") ?? undefined };
}

/** `href` with `choice` in its query (other parameters kept). Pure. */
export function withChoice(href: string, choice: UrlChoice): string {
  const url = new URL(href);
  url.searchParams.set("scenario", choice.scenario);
  if (choice.variant) url.searchParams.set("variant", choice.variant);
  else url.searchParams.delete("variant");
  if (choice.seed) url.searchParams.set("seed", choice.seed);
  else url.searchParams.delete("seed");
  return url.toString();
}

/**
 * Writes `choice` to the address bar: a new history entry when it differs from the current
 * entry's choice and `push` is asked for (a user's pick), else a replacement.
 */
export function writeUrl(choice: UrlChoice, push: boolean): void {
  const next = withChoice(location.href, choice);
  if (next === location.href) return;
  const current = readChoice(location.search);
  const changed = current.scenario !== choice.scenario || (current.variant ?? "") !== (choice.variant ?? "") || (current.seed ?? "") !== (choice.seed ?? "");
  if (push && changed) history.pushState(null, "", next);
  else history.replaceState(null, "", next);
}
