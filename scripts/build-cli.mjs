// Compiles the CLI to plain JavaScript for the installed package: dist/cli/crossfire.mjs (the
// `bin`) and dist/cli/sweep-worker.mjs (sweep's worker threads, found beside it), each one
// ES module with its dependencies bundled, so an installed Crossfire needs no TypeScript loader
// and starts in a fraction of a second. Run by `npm run build:cli` (and `prepare`, `prepack`).
import { build } from "esbuild";
import { chmodSync } from "node:fs";

// Bundled CommonJS dependencies (commander, piscina) call require(); ES modules have none.
const requireShim = "import { createRequire as __crossfireRequire } from 'node:module'; const require = __crossfireRequire(import.meta.url);";

// piscina starts its own worker file from its package directory (__dirname), so it stays a
// runtime dependency instead of being bundled.
const common = { external: ["piscina"], bundle: true, platform: "node", format: "esm", target: "node20", minify: true, sourcemap: false, legalComments: "linked", logLevel: "warning" };
await build({ ...common, entryPoints: ["sim/cli/bin.ts"], outfile: "dist/cli/crossfire.mjs", banner: { js: `#!/usr/bin/env node\n${requireShim}` } });
await build({ ...common, entryPoints: ["sim/sweep/worker.ts"], outfile: "dist/cli/sweep-worker.mjs", banner: { js: requireShim } });
chmodSync("dist/cli/crossfire.mjs", 0o755);
console.log("built dist/cli/crossfire.mjs and dist/cli/sweep-worker.mjs");
