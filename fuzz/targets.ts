// Registry of fuzz targets: `npm run fuzz` and the test slices find targets here, one line each.
import { runFileForgery } from "./run-file-forgery.js";
import { scenarioMutations } from "./scenario-mutations.js";
import type { FuzzTarget } from "./target.js";

/** Every fuzz target, in the order `npm run fuzz` runs them. */
export const FUZZ_TARGETS: FuzzTarget[] = [scenarioMutations, runFileForgery];
