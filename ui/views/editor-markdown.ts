// Stands in for codemirror-json-schema's utils/markdown module (vite.config.ts redirects it here).
// The original starts a Shiki highlighter at import (WebAssembly, which the app's CSP forbids, and
// theme and grammar chunks) and renders markdown-it HTML that the library puts in innerHTML; its
// strings include keys typed in the editor, which may come from a shared link. This renderer
// escapes everything and only turns `code` spans into <code>, so no markup from text survives.

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** HTML-escapes `text`. Pure. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * The library's renderMarkdown contract: HTML for a short description or message. Escapes all
 * of it, then shows backtick spans as code (the schema's descriptions use them for keys). Pure.
 */
export function renderMarkdown(markdown: string, _inline = true): string {
  return escapeHtml(String(markdown ?? "")).replace(/`([^`\n]+)`/g, "<code>$1</code>");
}
