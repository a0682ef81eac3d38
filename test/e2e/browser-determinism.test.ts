// The simulation core runs unchanged in a browser Web Worker and produces the same final hash
// as in Node for the same scenario and seed (real Chromium, real Vite build): the app's default
// run, then every variant of every library scenario at its own seed and two variants at three
// more seeds, run one after another in the built worker of one page.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { runScenario } from "../../sim/engine/engine.js";
import { sharedApp } from "../helpers/app.js";
import { browserAvailable, CHROMIUM_PATH, launchChromium } from "../helpers/chromium.js";
import { loadSuite } from "../../sim/scenario/load.js";
import type { RunRequest, WorkerReply } from "../../ui/model/payload.js";
import { loadScenarioFile, repoPath } from "../helpers/scenarios.js";

interface Job {
  label: string;
  text: string;
  file: string;
  variant: string;
  seed: string | number;
}

/** Every variant of every library scenario at the file's seed, and these variants at these seeds too. */
function libraryJobs(extraSeeds: readonly number[], reseeded: readonly string[]): Job[] {
  const files = readdirSync(repoPath("scenarios")).filter((f) => f.endsWith(".yaml")).map((f) => `scenarios/${f}`);
  return files.flatMap((file) => {
    const text = readFileSync(repoPath(file), "utf8");
    return loadSuite(text, file).variants.flatMap((v) => {
      const seeds = [v.scenario.seed, ...(reseeded.includes(`${file} [${v.name}]`) ? extraSeeds : [])];
      return seeds.map((seed) => ({ label: `${file} [${v.name}] seed=${seed}`, text, file, variant: v.name, seed }));
    });
  });
}

describe.skipIf(!browserAvailable)(`in Chromium (${CHROMIUM_PATH})`, () => {
  // The run's shared build (test/global-setup.ts): its preview server and its files on disk.
  let outDir: string;
  let address: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ url: address, outDir } = await sharedApp());
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("runs the default scenario in a Web Worker to the same final hash as Node", async () => {
    const page = await browser.newPage();
    await page.goto(address);
    await page.waitForSelector('#status[data-status="done"], #status[data-status="error"]', { timeout: 60_000 });
    expect(await page.getAttribute("#status", "data-status")).toBe("done");
    const nodeHash = runScenario(loadScenarioFile("cost-vs-performance")).finalHash;
    expect(await page.getAttribute("#summary", "data-final-hash")).toBe(nodeHash);
    await page.close();
  });

  it("runs every library scenario variant, and two at three more seeds, in the built worker to the same final hash as Node", async () => {
    // Two short variants that draw random numbers (workload noise, retry jitter), so another seed changes more than record #0.
    const reseeded = ["scenarios/cost-vs-performance.yaml [coordinated]", "scenarios/retry-storm.yaml [coordinated]"];
    const jobs = libraryJobs([7, 1234, 99_999], reseeded);
    expect(jobs.length).toBeGreaterThanOrEqual(16 + 6);
    for (const name of reseeded) expect(jobs.filter((j) => j.label.startsWith(name)).length, name).toBe(4);
    const workerFile = readdirSync(join(outDir, "assets")).find((f) => /^sim\.worker.*\.js$/.test(f));
    expect(workerFile, "the build has a simulation worker").toBeDefined();
    const page = await browser.newPage();
    // The worker script itself as the page: same origin as the worker, and no app starting its own run.
    const workerUrl = `${address}assets/${workerFile}`;
    await page.goto(workerUrl);
    // One worker runs the jobs one after another, as the app's worker runs one request at a time.
    const browserRuns = page.evaluate(
      async ({ workerUrl, requests }) => {
        const worker = new Worker(workerUrl, { type: "module" });
        const hashes: string[] = [];
        for (const request of requests) {
          const reply = await new Promise<WorkerReply>((resolve, reject) => {
            worker.onmessage = (e: MessageEvent<WorkerReply>) => {
              if (e.data.type === "result" || e.data.type === "error") resolve(e.data);
            };
            worker.onerror = (e) => reject(new Error(`the worker failed: ${e.message}`));
            worker.postMessage(request);
          });
          hashes.push(reply.type === "result" ? reply.finalHash : reply.type === "error" ? `error: ${reply.message}` : reply.type);
        }
        worker.terminate();
        return hashes;
      },
      {
        workerUrl,
        requests: jobs.map((j, i): RunRequest => ({ type: "run", requestId: i + 1, text: j.text, file: j.file, variant: j.variant, seed: j.seed })),
      },
    );
    // Node runs the same jobs while Chromium works on them.
    const nodeHashes = jobs.map((j) => runScenario(loadSuite(j.text, j.file).variants.find((v) => v.name === j.variant)!.scenario, { seed: j.seed }).finalHash);
    const browserHashes = await browserRuns;
    await page.close();
    expect(jobs.map((j, i) => `${j.label}: ${browserHashes[i]}`)).toEqual(jobs.map((j, i) => `${j.label}: ${nodeHashes[i]}`));
    expect(new Set(nodeHashes).size, "every job ends at its own hash").toBe(jobs.length);
  }, 180_000);
});

if (!browserAvailable) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium package; CI always runs them)`);
}
