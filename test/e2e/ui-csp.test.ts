// The replay app's Content-Security-Policy (issue 13, finding 1) in real Chromium: the built app
// carries it in a meta tag, runs a scenario in its worker without a single violation, and an
// inline handler slipped into the page (as unescaped markup would be) does not run.
import { describe, expect, it } from "vitest";
import { useApp } from "../helpers/app.js";
import { browserAvailable } from "../helpers/chromium.js";

describe.skipIf(!browserAvailable)("the app's Content-Security-Policy", () => {
  const app = useApp();

  it("is declared, lets the app and its worker run, and stops inline handlers", async () => {
    const page = await app.browser.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { cspViolations: string[] };
      w.cspViolations = [];
      document.addEventListener("securitypolicyviolation", (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(app.url);
    await page.waitForSelector('#status[data-status="done"]', { timeout: 60_000 });
    const csp = await page.evaluate(() => document.querySelector(`meta[http-equiv="Content-Security-Policy"]`)?.getAttribute("content") ?? "");
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).toMatch(/base-uri 'none'/);
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);

    // Markup that escaped escaping: its handler must not run.
    await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", `<img id="injected" src="data:," onerror="window.pwned = 1" onload="window.pwned = 1">`));
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await page.close();
  });
});
