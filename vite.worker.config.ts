import { defineConfig, type UserConfig } from "vite";

/**
 * The worker's production bundle (`npm run build`, after the Remix build):
 * app/workers/main.ts and what it imports, compiled to build/worker/worker.mjs
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
      input: { worker: "app/workers/main.ts" },
      output: { format: "esm", entryFileNames: "[name].mjs", chunkFileNames: "chunks/[name]-[hash].mjs" },
    },
  },
  logLevel: "warn",
}) satisfies UserConfig;
