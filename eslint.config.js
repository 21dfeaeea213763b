// ESLint flat config: TypeScript rules plus the React, hooks, a11y and import
// rules of Remix's own config (which is still on ESLint 8's legacy format),
// and the house rules the tools enforce (docs/architecture.md):
//  - pure modules (the engine, payload mapping, diff and batching, money,
//    settings validation) import no *.server module, database, queue,
//    Shopify client or environment, and do no I/O;
//  - nothing outside app/config reads process.env;
//  - one import style: relative paths inside the tree, no "~/" alias;
//  - small modules: files of at most 700 lines, functions of at most 150.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import jsxA11y from "eslint-plugin-jsx-a11y";
import importPlugin from "eslint-plugin-import";
import globals from "globals";

/**
 * One file-naming style: kebab-case (dots separate roles: foo.server.ts,
 * foo.test.ts). A leading dot is the tool's own name (.graphqlrc.ts).
 */
const house = {
  rules: {
    "kebab-case-file-names": {
      meta: { type: "suggestion", schema: [], messages: { name: "File names are kebab-case: {{name}}" } },
      create(context) {
        return {
          Program(node) {
            const name = context.filename.split(/[\\/]/).pop() ?? "";
            const stem = name.replace(/^\./, "").split(".")[0];
            if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(stem)) context.report({ node, messageId: "name", data: { name } });
          },
        };
      },
    },
  },
};

/** Pure modules: no I/O, no environment, nothing from the edges. */
const PURE_MODULES = [
  "app/segmentation/**/*.ts",
  "app/ingest/order-record.ts",
  "app/ingest/webhook-payloads.ts",
  "app/writeback/batch.ts",
  "app/writeback/diff.ts",
  "app/writeback/metafields.ts",
  "app/writeback/tags.ts",
  "app/settings/shop-config.ts",
  "app/act/discount-configuration.ts",
  "app/act/discount-display.ts",
  "app/act/discount-form.ts",
  "app/act/segment-discount-function.ts",
  "app/insights/core/**/*.ts",
  "app/ingest/refund-record.ts",
  "app/utils/money.ts",
  "app/utils/numeric-id-table.ts",
  "app/utils/seeded-random.ts",
];

/** What pure modules may not import (each with the reason the linter prints). */
const PURE_FORBIDDEN = [
  {
    group: ["*.server", "**/*.server", "*.server.ts", "**/*.server.ts"],
    message: "Pure code imports no *.server module (I/O lives at the edges).",
  },
  { group: ["@prisma/*", "pg", "pg-*", "bullmq", "ioredis"], message: "Pure code talks to no database or queue." },
  { group: ["@shopify/shopify-*", "@remix-run/*"], message: "Pure code knows no Shopify client or web framework." },
  {
    group: [
      "node:fs",
      "node:fs/*",
      "node:http",
      "node:https",
      "node:net",
      "node:child_process",
      "fs",
      "http",
      "net",
      "child_process",
    ],
    message: "Pure code does no I/O.",
  },
  { group: ["~/*"], message: "Use a relative import." },
];

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "build/",
      ".tools/",
      ".data/",
      ".cache/",
      "public/build/",
      "extensions/*/dist/",
      "extensions/*/generated/",
      "**/*.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
    settings: {
      react: { version: "detect" },
      formComponents: ["Form"],
      linkComponents: [
        { name: "Link", linkAttribute: "to" },
        { name: "NavLink", linkAttribute: "to" },
      ],
      "import/resolver": { node: { extensions: [".ts", ".tsx", ".js"] } },
    },
    plugins: { import: importPlugin },
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import/no-duplicates": "error",
      "import/first": "error",
    },
  },
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    // Remix routes and Shopify Function targets (named after the target, as Shopify's template does) keep their frameworks' names.
    ignores: ["app/routes/**", "extensions/*/generated/**", "extensions/*/src/cart_*.{ts,graphql}"],
    plugins: { house },
    rules: { "house/kebab-case-file-names": "error" },
  },
  {
    // Pure code: no I/O, no environment, nothing from the edges.
    files: PURE_MODULES,
    ignores: ["**/*.test.ts", "app/segmentation/cli/**", "app/segmentation/testing/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: PURE_FORBIDDEN }],
    },
  },
  {
    // The engine's command line reads files, but is still no place for the database, queue or Shopify.
    files: ["app/segmentation/cli/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: PURE_FORBIDDEN.filter((p) => !p.group[0].startsWith("node:")) }],
    },
  },
  {
    // The environment is read and validated in app/config only.
    files: ["app/**/*.{ts,tsx}", "scripts/**/*.ts", "bench/**/*.ts"],
    ignores: ["app/config/**", "**/*.test.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read the environment through app/config/env.server.ts." },
      ],
    },
  },
  {
    files: ["**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["~/*"], message: "Use a relative import." }] }],
    },
    // Not for the pure modules: this rule would replace theirs, which forbids "~/" too.
    ignores: [...PURE_MODULES, "app/segmentation/**"],
  },
  {
    // Size: no hand-written file over 700 lines, no function over 150 (blank
    // lines and comments not counted). Generated code is ignored above
    // (**/*.d.ts: app/types; extensions/*/generated); data lives in JSON, CSV
    // and .graphql files, which are not linted.
    files: ["**/*.{ts,tsx}"],
    rules: {
      "max-lines": ["error", { max: 700, skipBlankLines: true, skipComments: true }],
      "max-lines-per-function": ["error", { max: 150, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ["**/*.tsx", "**/*.jsx"],
    ...react.configs.flat.recommended,
    ...react.configs.flat["jsx-runtime"],
    plugins: { react, "react-hooks": reactHooks, "jsx-a11y": jsxA11y },
    rules: {
      ...react.configs.flat.recommended.rules,
      ...react.configs.flat["jsx-runtime"].rules,
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.flatConfigs.recommended.rules,
      "react/prop-types": "off",
    },
  },
);
