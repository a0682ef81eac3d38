// Turns `crossfire test` arguments (files, directories, globs) into a sorted list of scenario
// files. Node-only: it reads the file system.
import { statSync } from "node:fs";
import { join, resolve } from "node:path";
import { globSync } from "tinyglobby";

export class NoFilesError extends Error {}

/** Expands `args` (default `scenarios`): a directory means every *.yaml / *.yml below it. */
export function scenarioFiles(args: readonly string[], cwd = process.cwd()): string[] {
  const found = new Set<string>();
  for (const arg of args.length > 0 ? args : ["scenarios"]) {
    let matches: string[];
    const kind = statOf(arg, cwd);
    if (kind === "file") matches = [arg];
    else if (kind === "directory") matches = globSync("**/*.{yaml,yml}", { cwd: resolve(cwd, arg) }).map((f) => join(arg, f));
    else matches = globSync(arg, { cwd, absolute: false });
    if (matches.length === 0) throw new NoFilesError(`${arg}: no scenario files match (expected a .yaml file, a directory of them, or a glob such as 'scenarios/**/*.yaml')`);
    for (const m of matches) found.add(m);
  }
  return [...found].sort();
}

function statOf(path: string, cwd: string): "file" | "directory" | "none" {
  try {
    const s = statSync(resolve(cwd, path));
    return s.isDirectory() ? "directory" : "file";
  } catch {
    return "none";
  }
}
