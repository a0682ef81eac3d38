// The browser app (ui/) is built by Vite; sim/ is bundled into a Web Worker from the same sources.
import { defineConfig } from "vite";

export default defineConfig({
  root: "ui",
  build: { outDir: "../dist/ui", emptyOutDir: true },
  worker: { format: "es" },
});
