// The browser app (ui/) is built by Vite; sim/ is bundled into a Web Worker from the same sources.
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

/**
 * The editor's schema support (codemirror-json-schema) imports a markdown renderer that starts a
 * Shiki highlighter (WebAssembly, refused by the app's CSP) and emits unescaped HTML: this points
 * that one module at ui/views/editor-markdown.ts, which escapes everything.
 */
function schemaMarkdownWithoutShiki(): Plugin {
  const replacement = fileURLToPath(new URL("./ui/views/editor-markdown.ts", import.meta.url));
  return {
    name: "crossfire-schema-markdown",
    enforce: "pre",
    resolveId(source, importer) {
      if (importer?.includes("/codemirror-json-schema/") && /(^|\/)utils\/markdown(\.js)?$/.test(source)) return replacement;
      return null;
    },
  };
}

export default defineConfig({
  root: "ui",
  build: { outDir: "../dist/ui", emptyOutDir: true },
  worker: { format: "es" },
  plugins: [schemaMarkdownWithoutShiki()],
});
