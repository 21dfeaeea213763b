import type { CodegenConfig } from "@graphql-codegen/cli";
import { ApiType, pluckConfig, shopifyApiTypes } from "@shopify/api-codegen-preset";

/**
 * Admin GraphQL codegen, as in Shopify's app template (`npm run graphql-codegen`):
 * every `#graphql` document in app/graphql/admin/ gets its result and variable
 * types in app/types/, keyed by the document's text, so AdminApi.request
 * (app/shopify/admin-api.server.ts) checks both at each call site.
 *
 * Departures from the template:
 *  - the schema is the committed SDL (the one the simulator serves), not
 *    Shopify's proxy URL: the preset uses the URL unless
 *    `<outputDir>/admin-2026-04.schema.json` exists, so it is overridden for
 *    every generated file, and the introspection download the preset adds
 *    for the URL case is dropped (shopifyApiTypes is the part of
 *    shopifyApiProject that makes the `generates` section);
 *  - enums are string unions (below);
 *  - the generated maps extend our client's AdminQueries/AdminMutations
 *    (`module`), which have no index signature: a document that codegen has
 *    not seen does not type-check, where @shopify/admin-api-client falls back
 *    to `any`.
 */
const API_VERSION = "2026-04";
const SCHEMA = `./schemas/shopify-admin-${API_VERSION}.graphql`;
const DOCUMENTS = ["./app/graphql/admin/*.server.ts"];

const preset = shopifyApiTypes({
  apiType: ApiType.Admin,
  apiVersion: API_VERSION,
  documents: DOCUMENTS,
  outputDir: "./app/types",
  module: "../shopify/admin-api.server",
});

const generates: CodegenConfig["generates"] = {};
for (const [file, target] of Object.entries(preset)) {
  // Skipped: the introspection download the preset adds when it has only the URL.
  if (file.endsWith(".schema.json") || Array.isArray(target) || typeof target !== "object") continue;
  generates[file] = { ...target, schema: SCHEMA };
  // Enums as string unions: a .d.ts enum has no runtime value, so with the
  // preset's default (`enum`) a variable could only be given by a cast.
  if (file.endsWith("admin.types.d.ts")) generates[file].config = { ...target.config, enumsAsTypes: true };
}

/** What `graphql-codegen` runs (app/graphql/admin/codegen.test.ts runs it too). */
export const codegen: CodegenConfig = {
  schema: SCHEMA,
  documents: DOCUMENTS,
  // Shopify's hooks (`#graphql` inside the literal, `${FRAGMENT}` interpolations) are
  // graphql-tag-pluck options that codegen's config type does not list.
  pluckConfig: pluckConfig as CodegenConfig["pluckConfig"],
  generates,
};

export default {
  schema: SCHEMA,
  documents: DOCUMENTS,
  projects: { default: { schema: SCHEMA, documents: DOCUMENTS, extensions: { codegen } } },
};
