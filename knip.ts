import { defineConfig } from "knip/config";

/**
 * `npm run knip`: unused files, exports, types and dependencies. The entry
 * points are what runs: Remix routes (the remix plugin adds root and entry
 * files), the worker, scripts, benchmarks, the simulator's command lines, the
 * tests (vitest plugin) and the processes tests spawn, the extensions.
 */
export default defineConfig({
  workspaces: {
    ".": {
      entry: [
        "app/routes.ts",
        "app/routes/**/*.{ts,tsx}",
        // Public APIs: the engine's (documented in app/segmentation/README.md) and the simulator's.
        "app/segmentation/index.ts",
        "simulator/index.ts",
        // Run by hand: `npx tsx <file>` (named in the READMEs).
        "app/segmentation/testing/record-assignments.ts",
        "simulator/main.ts",
        "simulator/scale-check.ts",
        "scripts/**/*.{ts,mjs}",
        "bench/*.ts",
        "server/*.mjs",
        // Spawned by tests as child processes.
        "tests/fixtures/*.ts",
        // The recompute's read thread under tsx or vitest (started by URL, see read-features-on-cores.server.ts).
        "app/recompute/read-features.thread-dev.mjs",
      ],
      // shopify: Shopify's CLI (`npm run dev`), installed by developers, not a dependency;
      // pg_ctlcluster, redis-server: Debian's, started by scripts/services.ts when absent.
      ignoreBinaries: ["shopify", "pg_ctlcluster", "redis-server"],
      // The "typescript" plugin .graphqlrc.ts names is a dependency of @shopify/api-codegen-preset.
      ignoreDependencies: ["@graphql-codegen/typescript"],
    },
    "extensions/segment-discount": {
      entry: ["src/index.ts", "tests/measure-sizes.ts"],
      // shopify_function: imported by the code Shopify's CLI (and tests/cli-bundle.ts) generates;
      // the codegen plugins its package.json names come with @shopify/shopify_function.
      ignoreDependencies: [
        "@shopify/shopify_function",
        "@graphql-codegen/typescript",
        "@graphql-codegen/typescript-operations",
      ],
    },
  },
  // A type that describes an exported function's arguments or result stays
  // exported, so callers can name it, even when no other file does yet.
  ignoreExportsUsedInFile: { interface: true, type: true },
});
