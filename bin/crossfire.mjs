#!/usr/bin/env node
// Entry point of `npx crossfire`: runs the TypeScript CLI through tsx's loader.
import { register } from "tsx/esm/api";

register();
await import("../sim/cli/main.ts");
