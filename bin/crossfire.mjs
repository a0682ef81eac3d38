#!/usr/bin/env node
// `crossfire` from this repository's sources: registers tsx's loader and runs the TypeScript CLI
// (sim/cli/bin.ts) unchanged, so tests and development never need a build. The installed package
// runs the compiled dist/cli/crossfire.mjs instead (scripts/build-cli.mjs).
import { register } from "tsx/esm/api";

register();
await import("../sim/cli/bin.ts");
