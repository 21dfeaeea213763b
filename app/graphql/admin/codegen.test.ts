import { readFileSync } from "node:fs";
import path from "node:path";
import { generate } from "@graphql-codegen/cli";
import { describe, expect, it } from "vitest";
import { codegen } from "../../../.graphqlrc";

/**
 * The committed types in app/types/ are what `npm run graphql-codegen` makes
 * of today's documents and schema: codegen runs in memory (nothing written)
 * and every output must equal its file, or the types that AdminApi.request
 * checks call sites against are stale.
 */
describe("Admin GraphQL codegen", () => {
  it("has generated app/types from the current documents", async () => {
    const outputs: Array<{ filename: string; content: string }> = await generate(
      { ...codegen, cwd: process.cwd(), silent: true },
      false,
    );
    expect(outputs.map((output) => path.normalize(output.filename)).sort()).toEqual([
      path.normalize("app/types/admin.generated.d.ts"),
      path.normalize("app/types/admin.types.d.ts"),
    ]);
    for (const output of outputs) {
      const committed = readFileSync(path.resolve(output.filename), "utf8");
      // One assertion message instead of a 3 MB diff: which file, and what to run.
      expect(committed === output.content, `${output.filename} is stale: run npm run graphql-codegen`).toBe(true);
    }
  });
});
