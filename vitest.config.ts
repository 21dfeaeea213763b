import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Three projects. "unit": pure code (segmentation core, simulator, extensions),
// no services. "integration": everything that talks to PostgreSQL or the queue;
// each file gets its own database copied from a migrated template and its own
// queue prefix (tests/setup/per-file.ts). "e2e": the browser tests, set up like
// "integration"; `npm test` runs them after the rest, one file at a time
// (scripts/test.sh), so the page loads they print are not the other files'.
const shared = {
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [
            "app/segmentation/**/*.test.ts",
            "app/utils/**/*.test.ts",
            "app/insights/core/**/*.test.ts",
            "app/billing/**/*.test.ts",
            "simulator/**/*.test.ts",
            "extensions/**/*.test.ts",
          ],
          exclude: ["**/node_modules/**"],
          ...shared,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/**/*.test.ts", "app/**/*.test.{ts,tsx}", "scripts/**/*.test.ts"],
          exclude: [
            "**/node_modules/**",
            "app/segmentation/**",
            "app/utils/**",
            "app/insights/core/**",
            "app/billing/**",
            "tests/e2e/**",
          ],
          globalSetup: ["tests/setup/global-setup.ts"],
          setupFiles: ["tests/setup/per-file.ts"],
          ...shared,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          exclude: ["**/node_modules/**"],
          globalSetup: ["tests/setup/global-setup.ts"],
          setupFiles: ["tests/setup/per-file.ts"],
          ...shared,
        },
      },
    ],
  },
});
