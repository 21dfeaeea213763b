import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { buildSchema, parse, validate, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * Every Admin GraphQL document the app keeps in app/graphql/admin/ validates
 * against Shopify's 2026-04 schema (the same SDL the simulator serves), and
 * operation names are unique. The integration tests also send each of them to
 * the simulator (backfill, reconcile, refunds, write-back, metafields, mirrors).
 */
const dir = path.resolve("app/graphql/admin");
let schema: GraphQLSchema;
const documents: Array<{ file: string; name: string; source: string }> = [];

beforeAll(async () => {
  schema = buildSchema(readFileSync(path.resolve("schemas/shopify-admin-2026-04.graphql"), "utf8"));
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".server.ts"))) {
    const module = await import(path.join(dir, file));
    for (const [name, value] of Object.entries(module)) {
      if (typeof value === "string") documents.push({ file, name, source: value.replace(/^#graphql/, "") });
    }
  }
});

describe("Admin GraphQL documents", () => {
  it("all validate against the Admin API 2026-04 schema", () => {
    expect(documents.length).toBeGreaterThanOrEqual(15);
    for (const doc of documents) {
      const errors = validate(schema, parse(doc.source)).map((error) => error.message);
      expect(errors, `${doc.file} ${doc.name}`).toEqual([]);
    }
  });

  it("have unique operation names", () => {
    const names = documents.flatMap((doc) =>
      parse(doc.source).definitions.flatMap((def) => (def.kind === "OperationDefinition" && def.name ? [def.name.value] : [])),
    );
    expect(new Set(names).size).toBe(names.length);
  });
});
