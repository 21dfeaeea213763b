// Sizes that Shopify limits, for docs/performance.md:
//   npx tsx extensions/segment-discount/tests/measure-sizes.ts
// The JavaScript bundle as Shopify CLI builds it (Javy embeds it in the Wasm;
// Shopify caps the Wasm at 256 kB), the largest fixture input and a 200-line
// cart's input (Shopify caps the input at 64,000 bytes) and output.
import path from "node:path";
import { bundle } from "./cli-bundle";
import { byteLength, fixtureFiles, largeCartInput, readFixture, runExport } from "./harness";

const esm = await bundle("esm");
console.log(`bundle (ESM, unminified): ${Buffer.byteLength(esm)} bytes`);

let largest = { bytes: 0, name: "" };
for (const file of fixtureFiles()) {
  const fixture = await readFixture(file);
  const bytes = byteLength(fixture.input);
  if (bytes > largest.bytes) largest = { bytes, name: path.basename(file) };
}
console.log(`largest fixture input: ${largest.bytes} bytes (${largest.name})`);

const input = largeCartInput(200);
console.log(
  `200-line cart: input ${byteLength(input)} bytes, output ${byteLength(runExport("cart-lines-discounts-generate-run", input))} bytes`,
);
