// Worker-thread entry of `crossfire sweep` (a piscina task file): serves SeedsTasks with
// sim/sweep's handler. Compiled to dist/cli/sweep-worker.mjs beside the CLI; in this repository
// sim/cli/sweep-worker.mjs loads it through tsx.
import { createSeedsTaskHandler } from "./run-seed.js";

export default createSeedsTaskHandler();
