import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // Builds the browser app once per run, on first demand, for every browser test file (test/helpers/app.ts).
    globalSetup: ["test/global-setup.ts"],
    // Test files share their worker's module graph instead of importing sim/ afresh each (which cost
    // more than the tests themselves). Safe here: tests use no mocks and change no module state.
    isolate: false,
    // Two cores here: vitest 4 defaults to one worker (cores - 1) in `vitest run`, leaving one idle.
    maxWorkers: 2,
  },
});
