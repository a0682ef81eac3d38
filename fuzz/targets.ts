// Every fuzz target, registered in one place: `npm run fuzz` and the test slices find them here.
import { runFileForgery } from "./run-file-forgery.js";
import type { FuzzTarget } from "./target.js";

/** The fuzz targets, by name. */
export const FUZZ_TARGETS: readonly FuzzTarget[] = [runFileForgery];
