// Worker-thread entry of `crossfire sweep` (a piscina task file): registers tsx's loader so the
// TypeScript simulation runs unchanged, then serves SeedsTasks with sim/sweep's handler.
import { register } from "tsx/esm/api";

register();
const { createSeedsTaskHandler } = await import("../sweep/run-seed.ts");

export default createSeedsTaskHandler();
