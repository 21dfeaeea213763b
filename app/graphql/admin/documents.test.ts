import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { buildSchema, parse, validate, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../../simulator";
import { appScopes } from "../../../scripts/lib/app-config";

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

let sim: Simulator;
afterAll(() => sim?.close());

describe("Admin GraphQL documents", () => {
  it("are all accepted by the simulator's schema validation when sent", async () => {
    sim = await startSimulator({ appSecret: "secret", restoreRate: 1_000_000, bucketSize: 10_000_000 });
    sim.createShop("docs.myshopify.com", { timezone: "UTC", currency: "USD" });
    sim.installApp("docs.myshopify.com", {
      accessToken: "shpat_docs",
      scopes: appScopes(),
      webhookUrl: "http://127.0.0.1:9",
    });
    for (const doc of documents) {
      const operation = parse(doc.source).definitions[0];
      // Bulk inner queries (no operation name) are sent by bulkOperationRunQuery in the backfill tests.
      if (operation.kind !== "OperationDefinition" || !operation.name) continue;
      const source = doc.source;
      const response = await fetch(`${sim.url}/admin/api/2026-04/graphql.json`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Access-Token": "shpat_docs",
          "X-Shopify-Shop-Domain": "docs.myshopify.com",
        },
        body: JSON.stringify({ query: source }),
      });
      expect(response.status, doc.name).toBe(200);
      const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      // Sent without variables: the only acceptable complaint is a missing variable
      // (or a bulk query's connection without first), never a schema violation.
      const codes = (body.errors ?? []).map((error) => error.extensions?.code);
      for (const code of codes)
        expect(["INVALID_VARIABLE", undefined], `${doc.name}: ${JSON.stringify(body.errors)}`).toContain(code);
    }
  });

  it("all validate against the Admin API 2026-04 schema", () => {
    expect(documents.length).toBeGreaterThanOrEqual(15);
    for (const doc of documents) {
      const errors = validate(schema, parse(doc.source)).map((error) => error.message);
      expect(errors, `${doc.file} ${doc.name}`).toEqual([]);
    }
  });

  it("have unique operation names", () => {
    const names = documents.flatMap((doc) =>
      parse(doc.source).definitions.flatMap((def) =>
        def.kind === "OperationDefinition" && def.name ? [def.name.value] : [],
      ),
    );
    expect(new Set(names).size).toBe(names.length);
  });
});
