// Locates Debian's Chromium for browser tests. Test tools never download browsers here; CI
// installs the `chromium` package (.ci/run), and on CI a missing browser is a failure, not a skip.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** True when browser tests can run; on CI (CI=true) they always must. */
export const browserAvailable = existsSync(CHROMIUM_PATH) || process.env.CI === "true";

/** Launches headless Chromium with the flags this closed-network machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}
