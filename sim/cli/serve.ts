// `crossfire serve`: the prebuilt replay app (dist/ui, built by `vite build` and shipped in the
// package) over plain HTTP from Node, with no dev server; optionally with one scenario or run
// file, which the page then opens (`/?open=/__crossfire/open`). Binds 127.0.0.1 by default: the
// app runs simulations in the browser and needs nothing from the network.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import type { CliIO } from "./main.js";

/** Where the opened file is served; the page fetches it (same origin, allowed by the app's CSP). */
export const OPEN_PATH = "/__crossfire/open";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".yaml": "text/yaml; charset=utf-8",
};

/**
 * The prebuilt app's directory: dist/ui beside dist/cli in the installed package (and in this
 * repository after `npm run build`), found from this module's own location.
 */
export function appDirectory(): string | undefined {
  const here = fileURLToPath(new URL(".", import.meta.url));
  for (const candidate of [join(here, "..", "ui"), join(here, "..", "..", "dist", "ui")]) {
    if (existsSync(join(candidate, "index.html"))) return candidate;
  }
  return undefined;
}

export interface ServeOptions {
  port: number;
  host: string;
  /** The file to open: its name (shown by the app) and text. */
  open?: { name: string; text: string };
}

/** Starts the server; resolves with it and its URL once it listens. Rejects with a sentence on EADDRINUSE and the like. */
export function startServer(root: string, options: ServeOptions): Promise<{ server: Server; url: string }> {
  const rootDir = resolve(root);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    if (url.pathname === OPEN_PATH) {
      if (!options.open) return void res.writeHead(404).end();
      res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", "X-Crossfire-File": encodeURIComponent(options.open.name), "Cache-Control": "no-store" });
      return void res.end(req.method === "HEAD" ? undefined : options.open.text);
    }
    // Only files under the app's directory: a normalized path that stays inside it.
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, "");
    let file = join(rootDir, relative === "" ? "index.html" : relative);
    if (file !== rootDir && !file.startsWith(rootDir + sep)) return void res.writeHead(403).end();
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(rootDir, "index.html");
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "X-Content-Type-Options": "nosniff" });
    res.end(req.method === "HEAD" ? undefined : readFileSync(file));
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      reject(new Error(e.code === "EADDRINUSE" ? `port ${options.port} on ${options.host} is taken; choose another with --port (0 picks a free one)` : `cannot listen on ${options.host}:${options.port} (${e.code ?? e.message})`));
    });
    server.listen(options.port, options.host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : options.port;
      const host = options.host.includes(":") ? `[${options.host}]` : options.host;
      resolvePromise({ server, url: `http://${host}:${port}/${options.open ? `?open=${encodeURIComponent(OPEN_PATH)}` : ""}` });
    });
  });
}

/** Adds `serve` to `program`; its action resolves when the server closes (SIGINT/SIGTERM). */
export function registerServe(program: Command, io: CliIO, readText: (file: string) => string, usage: (message: string) => Error): Command {
  return program
    .command("serve")
    .description("serve the replay app from the installed package (no dev server), optionally opening a scenario, run file or HTML report")
    .argument("[file]", "a scenario (.yaml), run file (crossfire run --out) or HTML report to open")
    .option("--port <port>", "port to listen on (0: any free port)", "4173")
    .option("--host <host>", "address to bind (default: this machine only)", "127.0.0.1")
    .addHelpText("after", "\nExamples:\n  crossfire serve                                # the app with its default scenario\n  crossfire serve scenarios/dynamodb-dns-race.yaml --port 8080\n  crossfire serve run.ndjson                     # verified, re-run and shown")
    .action(async (file: string | undefined, opts: { port: string; host: string }) => {
      const port = Number(opts.port);
      if (!/^\d+$/.test(opts.port) || port > 65535) throw usage(`--port: expected a port number 0..65535, found ${JSON.stringify(opts.port)}`);
      const root = appDirectory();
      if (!root) throw usage("serve: the prebuilt app (dist/ui) is missing; in a clone of the repository, run `npm run build` first");
      const open = file === undefined ? undefined : { name: file, text: readText(file) };
      const { server, url } = await startServer(root, { port, host: opts.host, open }).catch((e: Error) => {
        throw usage(`serve: ${e.message}`);
      });
      io.stdout(`Crossfire replay app: ${url}\n(Ctrl-C stops it)\n`);
      await new Promise<void>((done) => {
        const stop = () => server.close(() => done());
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    });
}
