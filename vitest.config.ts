import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// One config for the whole suite. Pure tests (segmentation core, simulator)
// need no services; integration tests get their own database per file from
// tests/setup/database.ts and their own queue prefix.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: [
      "app/**/*.test.{ts,tsx}",
      "simulator/**/*.test.ts",
      "tests/**/*.test.ts",
      "scripts/**/*.test.ts",
      "extensions/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", ".tools/**", "build/**"],
    globalSetup: ["tests/setup/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
