// Makes the app's libraries run under its Content-Security-Policy (ui/index.html: no 'unsafe-eval'):
// zod probes for JIT-compiled parsers with `Function("")`, which the CSP reports as a violation;
// jitless mode skips the probe and parses with its interpreter. Imported first by ui/main.ts.
import { config } from "zod";

config({ jitless: true });
