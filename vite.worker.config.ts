import { defineConfig, type UserConfig } from "vite";

/**
 * The worker's production bundle (`npm run build`, after the Remix build):
 * app/workers/main.ts and what it imports, compiled to build/worker/worker.mjs
 * (and the recompute's read thread, build/worker/read-features-thread.mjs)
 * so `npm run start:worker` runs plain JavaScript with no tsx. Packages stay
 * external (Vite's default for server builds): they come from the pruned
 * production install beside the bundle (docs/decisions/034-production-runtime-and-migrations.md).
 */
export default defineConfig({
  build: {
    ssr: true,
    outDir: "build/worker",
    emptyOutDir: true,
    target: "node22",
    sourcemap: true,
    minify: false,
    rollupOptions: {
      // The recompute's read thread is its own entry: worker threads start from a file.
      input: { worker: "app/workers/main.ts", "read-features-thread": "app/recompute/read-features.thread.ts" },
      output: { format: "esm", entryFileNames: "[name].mjs", chunkFileNames: "chunks/[name]-[hash].mjs" },
    },
  },
  logLevel: "warn",
}) satisfies UserConfig;
