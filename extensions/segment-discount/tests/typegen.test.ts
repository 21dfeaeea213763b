// generated/api.ts is what `shopify app function typegen` writes (GraphQL Code
// Generator with the package.json "codegen" config). It is committed because
// the project's typecheck covers the extension and the CLI is not installed
// here; this test fails when schema.graphql or an input query changed and
// the file was not regenerated (`npm run typegen:offline` in this folder).
import fs from "node:fs";
import path from "node:path";
import { generate } from "@graphql-codegen/cli";
import { describe, expect, it } from "vitest";
import { EXTENSION_DIR } from "./harness";

describe("generated/api.ts", () => {
  it("is up to date with schema.graphql and the input queries", async () => {
    const packageJson = JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, "package.json"), "utf8"));
    const outputs = (await generate({ ...packageJson.codegen, cwd: EXTENSION_DIR, silent: true }, false)) as Array<{
      filename: string;
      content: string;
    }>;
    expect(outputs.map((output) => path.relative(EXTENSION_DIR, path.resolve(EXTENSION_DIR, output.filename)))).toEqual(
      ["generated/api.ts"],
    );
    const committed = fs.readFileSync(path.join(EXTENSION_DIR, "generated", "api.ts"), "utf8");
    expect(outputs[0].content).toBe(committed);
  });
});
