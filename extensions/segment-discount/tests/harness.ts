// Test harness for the Function's JavaScript: Shopify's template tests build
// the Wasm and run it with function-runner, both of which download binaries
// (unreachable here, docs/decisions/016-discount-function-wasm-build.md). We
// keep the template's fixture files and its validation (Shopify's
// @shopify/shopify-function-test-helpers, pure graphql-js) and call the
// exported JavaScript function instead of the Wasm.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DocumentNode, GraphQLScalarType, GraphQLSchema } from "graphql";
import {
  loadFixture,
  loadInputQuery,
  loadSchema,
  validateFixtureInput,
  validateFixtureOutput,
  validateInputQuery,
  type FixtureData,
} from "@shopify/shopify-function-test-helpers";
import * as userFunction from "../src/index";

export const EXTENSION_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FIXTURES_DIR = path.join(EXTENSION_DIR, "tests", "fixtures");

/** Shopify's documented limit on a Function's input JSON. */
export const MAX_INPUT_BYTES = 64_000;

export interface Targeting {
  target: string;
  inputQueryPath: string;
  export: string;
}

/** The [[extensions.targeting]] blocks of shopify.extension.toml (target, input_query, export). */
export function readTargeting(): Targeting[] {
  const toml = fs.readFileSync(path.join(EXTENSION_DIR, "shopify.extension.toml"), "utf8");
  const blocks = toml.split("[[extensions.targeting]]").slice(1);
  return blocks.map((block) => {
    const field = (name: string) => {
      const match = new RegExp(`^\\s*${name}\\s*=\\s*"([^"]+)"`, "m").exec(block);
      if (!match) throw new Error(`shopify.extension.toml: a targeting block lacks ${name}`);
      return match[1];
    };
    return {
      target: field("target"),
      inputQueryPath: path.join(EXTENSION_DIR, field("input_query")),
      export: field("export"),
    };
  });
}

// Shopify serializes Decimal as a string ("29.99"); its schema file declares
// the scalar without rules, so graphql-js would accept anything. Tests use a
// strict Decimal: a plain decimal string, or a finite number (which Shopify's
// own templates return for percentages).
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;
function parseStrictDecimal(value: unknown): unknown {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && DECIMAL_TEXT.test(value)) return value;
  throw new TypeError(`Decimal cannot represent ${JSON.stringify(value)}`);
}

let schemaPromise: Promise<GraphQLSchema> | undefined;

/** schema.graphql with a strict Decimal scalar. */
function functionSchema(): Promise<GraphQLSchema> {
  schemaPromise ??= loadSchema(path.join(EXTENSION_DIR, "schema.graphql")).then((schema) => {
    // Duck-typed: the helpers load graphql's ESM build, and an instanceof
    // against a class from another copy of graphql would fail.
    const decimal = schema.getType("Decimal") as GraphQLScalarType | undefined;
    if (!decimal || !("parseValue" in decimal)) throw new Error("schema.graphql has no Decimal scalar");
    decimal.parseValue = parseStrictDecimal;
    return schema;
  });
  return schemaPromise;
}

const queries = new Map<string, Promise<DocumentNode>>();
function inputQuery(target: string): Promise<DocumentNode> {
  const targeting = readTargeting().find((t) => t.target === target);
  if (!targeting) throw new Error(`No targeting for ${target} in shopify.extension.toml`);
  let query = queries.get(target);
  if (!query) {
    query = loadInputQuery(targeting.inputQueryPath);
    queries.set(target, query);
  }
  return query;
}

export function fixtureFiles(): string[] {
  return fs
    .readdirSync(FIXTURES_DIR)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => path.join(FIXTURES_DIR, file));
}

export function readFixture(file: string): Promise<FixtureData> {
  return loadFixture(file);
}

/** Errors of the input query against the schema, and of the input against the query's selection. */
export async function inputErrors(target: string, input: unknown): Promise<string[]> {
  const schema = await functionSchema();
  const query = await inputQuery(target);
  const queryErrors = validateInputQuery(query, schema).map((error) => `query: ${error.message}`);
  let inputErrors: string[];
  try {
    inputErrors = validateFixtureInput(query, schema, input).errors.map(
      (error) => `input ${error.path.join(".")}: ${error.message}`,
    );
  } catch (error) {
    // test-helpers 1.1.0 crashes (instead of reporting) when a top-level field is missing.
    inputErrors = [`input: the validator stopped: ${String(error)}`];
  }
  return [...queryErrors, ...inputErrors];
}

/** Errors of a result against the target's result input type (e.g. CartLinesDiscountsGenerateRunResult). */
export async function outputErrors(target: string, output: unknown): Promise<string[]> {
  const schema = await functionSchema();
  const mutation = Object.values(schema.getMutationType()?.getFields() ?? {}).find((field) =>
    (field.description ?? "").includes(`${target} target`),
  );
  if (!mutation) throw new Error(`No result mutation for ${target} in schema.graphql`);
  const result = await validateFixtureOutput(
    output as Record<string, unknown>,
    schema,
    mutation.name,
    mutation.args[0].name,
  );
  return result.errors.map((error) => error.message);
}

/** Runs the exported function named by a toml `export` (kebab-case -> camelCase, as Shopify CLI maps it). */
export function runExport(exportName: string, input: unknown): unknown {
  const name = exportName.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
  const fn = (userFunction as Record<string, unknown>)[name];
  if (typeof fn !== "function") throw new Error(`src/index exports no ${name} for export "${exportName}"`);
  // The Wasm reads JSON and writes JSON: do the same, so undefined fields or
  // non-JSON values in the result would show up here.
  const output = fn(JSON.parse(JSON.stringify(input)));
  return JSON.parse(JSON.stringify(output));
}

export function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), "utf8");
}

/** A lines-target input for a member with `lineCount` cart lines and a product + order reward. */
export function largeCartInput(lineCount: number) {
  return {
    cart: {
      buyerIdentity: {
        customer: {
          id: "gid://shopify/Customer/7208420950000",
          inSegmentByTag: true,
          segmentHandles: { jsonValue: ["rfm-champions", "usage-heavy"] },
        },
      },
      cost: { subtotalAmount: { amount: "9999.00", currencyCode: "USD" } },
      lines: Array.from({ length: lineCount }, (_, i) => ({ id: `gid://shopify/CartLine/${1_000_000 + i}` })),
    },
    discount: {
      discountClasses: ["PRODUCT", "ORDER"],
      configuration: {
        jsonValue: {
          version: 1,
          segments: ["rfm-champions"],
          rewards: { product: { percentage: 15 }, order: { fixedAmount: "10.00" } },
          minimumSubtotal: "50.00",
          holdout: { percentage: 10, discountId: "gid://shopify/DiscountAutomaticNode/1057371" },
          message: "Welcome back: 15% off",
        },
      },
    },
    presentmentCurrencyRate: "1.0",
  };
}
