// The closest this machine gets to `shopify app function build`: bundle
// src/index.ts the way Shopify CLI does before handing the file to Javy (its
// generated entry that wraps each toml export in @shopify/shopify_function's
// run(), esbuild, ESM, es2022), then run the bundle in a bare JavaScript
// context with Javy's I/O (ShopifyFunction.readInput/writeOutput) and without
// what QuickJS lacks (Intl, TextEncoder, Buffer, process, require, timers).
// The Wasm itself (Javy, wasm-opt, instruction counts) needs the CLI's
// downloads: docs/decisions/016-discount-function-wasm-build.md.
import path from "node:path";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { bundle, camelize } from "./cli-bundle";
import { fixtureFiles, readFixture } from "./harness";

/** Runs one export of the bundle on `input` in a context with only the language and Javy's I/O. */
function runInBareContext(code: string, exportName: string, input: unknown): { output: unknown; logs: string[] } {
  let output: unknown;
  const logs: string[] = [];
  const context = vm.createContext({
    ShopifyFunction: {
      readInput: () => JSON.parse(JSON.stringify(input)),
      writeOutput: (value: unknown) => {
        output = JSON.parse(JSON.stringify(value));
      },
    },
    console: {
      error: (message: string) => logs.push(String(message)),
      log: (message: string) => logs.push(String(message)),
    },
  });
  vm.runInContext("delete globalThis.Intl; delete globalThis.WebAssembly;", context);
  vm.runInContext(`${code}\n__function.${camelize(exportName)}();`, context, { timeout: 1000 });
  return { output, logs };
}

describe("the bundle Shopify CLI would hand to Javy", () => {
  it("builds as ESM with one export per toml target", async () => {
    const code = await bundle("esm");
    expect(code).toMatch(/export \{[^}]*cartLinesDiscountsGenerateRun[^}]*\}/);
    expect(code).toMatch(/export \{[^}]*cartDeliveryOptionsDiscountsGenerateRun[^}]*\}/);
    // Javy embeds the source in the module; Shopify caps a Function's Wasm at 256 kB.
    expect(Buffer.byteLength(code)).toBeLessThan(32_000);
  });

  it("gives every fixture's expected output without Intl, Buffer, process or require", async () => {
    const code = await bundle("iife");
    for (const file of fixtureFiles()) {
      const fixture = await readFixture(file);
      const { output, logs } = runInBareContext(code, fixture.export, fixture.input);
      expect(output, path.basename(file)).toStrictEqual(fixture.expectedOutput);
      if (!file.includes("malformed")) expect(logs, path.basename(file)).toEqual([]);
    }
  });
});
