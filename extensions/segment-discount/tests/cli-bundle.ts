// Bundles src/index.ts the way Shopify CLI does before handing the file to
// Javy (services/function/build.ts, ExportJavyBuilder): a generated entry that
// wraps each toml export in @shopify/shopify_function's run(), esbuild, ESM,
// es2022. Used by bundle.test.ts and measure-sizes.ts.
import path from "node:path";
import { build, type BuildOptions } from "esbuild";
import { EXTENSION_DIR, readTargeting } from "./harness";

export const camelize = (name: string) => name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/** The entry Shopify CLI generates for a function with toml exports (ExportJavyBuilder). */
function cliEntry(exports: string[]): string {
  const parts = exports.map((name) => {
    const identifier = camelize(name);
    const alias = camelize(`run-${name}`);
    return `import { ${identifier} as ${alias} } from "user-function"
export function ${identifier}() { return __runFunction(${alias}) }`;
  });
  return `import __runFunction from "@shopify/shopify_function/run"\n${parts.join("\n")}`;
}

function options(format: "esm" | "iife"): BuildOptions {
  return {
    stdin: { contents: cliEntry(readTargeting().map((t) => t.export)), loader: "ts", resolveDir: EXTENSION_DIR },
    alias: { "user-function": path.join(EXTENSION_DIR, "src", "index.ts") },
    bundle: true,
    legalComments: "none",
    target: "es2022",
    format,
    globalName: format === "iife" ? "__function" : undefined,
    write: false,
    logLevel: "silent",
  };
}

export async function bundle(format: "esm" | "iife"): Promise<string> {
  const result = await build(options(format));
  return result.outputFiles?.[0]?.text ?? "";
}
