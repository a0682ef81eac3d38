// Worker-thread entry: registers tsx's loader, then runs the TypeScript worker body.
import { register } from "tsx/esm/api";

register();
await import("./run-in-worker.ts");
