// Opens the browser app in Debian's Chromium (playwright-core). The app is built once per
// `vitest run` and served by one Vite preview server, both owned by test/global-setup.ts; each
// startApp() asks it for that build (the first request builds, the rest wait for the same one) and
// launches its own Chromium. UI tests assert on data-* attributes and roles.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, inject } from "vitest";
import type { SharedApp } from "../global-setup.js";
import { launchChromium } from "./chromium.js";

export interface App {
  url: string;
  browser: Browser;
  /** Opens the app at `query` (e.g. `?scenario=retry-storm`) and waits until the run is shown. */
  open(query?: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * The shared build of the app: its preview server's URL (ending in "/") and build directory.
 * Built on the first call of the whole run; every later call, in any test file, gets the same one.
 */
export async function sharedApp(): Promise<SharedApp> {
  const broker = inject("crossfireBuilds");
  if (!broker) throw new Error("no build broker: run the tests with vitest.config.ts, whose globalSetup (test/global-setup.ts) builds the app");
  const answer = (await (await fetch(`${broker}app`)).json()) as SharedApp | { error: string };
  if ("error" in answer) throw new Error(answer.error);
  return answer;
}

export async function startApp(): Promise<App> {
  const { url } = await sharedApp();
  const browser = await launchChromium();
  return {
    url,
    browser,
    async open(query = "") {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${url}${query}`);
      await page.waitForSelector('#status[data-status="done"], #status[data-status="error"]', { timeout: 60_000 });
      if (errors.length > 0) throw new Error(`page errors: ${errors.join("; ")}`);
      return page;
    },
    /** Closes this app's Chromium; the shared build and server live until the run ends. */
    async close() {
      await browser.close();
    },
  };
}

/**
 * Starts the app before the tests of the enclosing describe block and closes it after them.
 * Returns an App whose members reach the started one (so it can be declared at describe level).
 */
export function useApp(): App {
  let started: App | undefined;
  beforeAll(async () => {
    started = await startApp();
  }, 180_000);
  afterAll(async () => {
    await started?.close();
  });
  const app = (): App => {
    if (!started) throw new Error("the app is not started yet: call useApp() inside a describe block and use it in tests");
    return started;
  };
  return {
    get url() {
      return app().url;
    },
    get browser() {
      return app().browser;
    },
    open: (query) => app().open(query),
    close: () => app().close(),
  };
}
