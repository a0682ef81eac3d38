// The package's version, for `crossfire --version`: read from the package.json two directories up,
// which is the package root both from sim/cli/ (sources) and from dist/cli/ (the compiled CLI).
import { readFileSync } from "node:fs";

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "unknown";
  } catch {
    return "unknown";
  }
}
