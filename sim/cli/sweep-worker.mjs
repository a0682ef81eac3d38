// Worker-thread entry of `crossfire sweep` from this repository's sources: registers tsx's loader
// so the TypeScript simulation runs unchanged, then serves SeedsTasks (sim/sweep/worker.ts). The
// installed package has a compiled dist/cli/sweep-worker.mjs at the same place relative to the CLI.
import { register } from "tsx/esm/api";

register();
const { default: handler } = await import("../sweep/worker.ts");

export default handler;
