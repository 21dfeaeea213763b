// POST /admin/api/2026-04/graphql.json: parse, validate against the real
// schema, price the query, apply the leaky bucket, execute, answer in
// Shopify's JSON shape (throttling is HTTP 200 with a THROTTLED error).
import {
  execute,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { requestContext, type SimCore } from "./core";
import { operationCost } from "./cost";
import { formatExecutionError, formatSyntaxError, formatValidationError, type ShopifyError } from "./errors";
import type { LeakyBucket } from "./rate-limiter";
import { mutationRoot, queryRoot } from "./root";
import { viewFieldResolver, viewTypeResolver } from "./schema";
import type { Shop } from "./shop";
import { guardRoot, MUTATION_SCOPES, QUERY_SCOPES } from "./scopes";

export const MAX_QUERY_COST = 1000;

export interface CallCounts {
  requests: number;
  queries: number;
  queriesByField: Record<string, number>;
  mutations: Record<string, number>;
  bulkOperations: { query: number; mutation: number };
  bulkMutationLines: Record<string, number>;
  throttled: number;
  rejected: number;
}

export function emptyCounts(): CallCounts {
  return {
    requests: 0,
    queries: 0,
    queriesByField: {},
    mutations: {},
    bulkOperations: { query: 0, mutation: 0 },
    bulkMutationLines: {},
    throttled: 0,
    rejected: 0,
  };
}

export interface GraphQLResponse {
  status: number;
  body: unknown;
}

interface RequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

function selectOperation(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | string {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return ops.find((o) => o.name?.value === operationName) ?? `No operation named "${operationName}"`;
  if (ops.length !== 1) return "An operation name is required when the document contains several operations";
  return ops[0];
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const map: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) map[d.name.value] = d;
  return map;
}

const documentCache = new Map<string, { document: DocumentNode } | { errors: ShopifyError[] }>();

/** Parsing and validating the same document again is wasted work: cache by text. */
function parseAndValidate(schema: GraphQLSchema, query: string) {
  const hit = documentCache.get(query);
  if (hit) return hit;
  let result: { document: DocumentNode } | { errors: ShopifyError[] };
  try {
    const document = parse(query);
    const errors = validate(schema, document);
    result = errors.length ? { errors: errors.map(formatValidationError) } : { document };
  } catch (e) {
    result = { errors: [formatSyntaxError(e as GraphQLError)] };
  }
  if (documentCache.size > 500) documentCache.clear();
  documentCache.set(query, result);
  return result;
}

interface PreparedRequest {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  fragments: Record<string, FragmentDefinitionNode>;
}

const MISSING_QUERY: GraphQLResponse = {
  status: 400,
  body: { errors: { query: "Required parameter missing or invalid" } },
};

/** Body -> validated operation, or the answer Shopify gives a request it cannot run. */
function prepareRequest(schema: GraphQLSchema, rawBody: string): PreparedRequest | GraphQLResponse {
  let body: RequestBody;
  try {
    body = JSON.parse(rawBody) as RequestBody;
  } catch {
    return MISSING_QUERY;
  }
  if (typeof body.query !== "string" || body.query.trim() === "") return MISSING_QUERY;
  const parsed = parseAndValidate(schema, body.query);
  if ("errors" in parsed) return { status: 200, body: { errors: parsed.errors } };
  const operationName = typeof body.operationName === "string" ? body.operationName : undefined;
  const operation = selectOperation(parsed.document, operationName);
  if (typeof operation === "string") {
    return { status: 200, body: { errors: [{ message: operation, extensions: { code: "BAD_REQUEST" } }] } };
  }
  return {
    document: parsed.document,
    operation,
    operationName,
    variables: body.variables && typeof body.variables === "object" ? (body.variables as Record<string, unknown>) : {},
    fragments: fragmentsOf(parsed.document),
  };
}

function maxCostExceeded(requested: number): GraphQLResponse {
  return {
    status: 200,
    body: {
      errors: [
        {
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
          extensions: {
            code: "MAX_COST_EXCEEDED",
            cost: requested,
            maxCost: MAX_QUERY_COST,
            documentation: "https://shopify.dev/api/usage/limits#rate-limits",
          },
        },
      ],
    },
  };
}

function throttled(requested: number, bucket: LeakyBucket): GraphQLResponse {
  return {
    status: 200,
    body: {
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: {
        cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() },
      },
    },
  };
}

function countRootFields(operation: OperationDefinitionNode, each: (bump: (c: CallCounts) => void) => void): void {
  const rootFields = operation.selectionSet.selections.flatMap((s) =>
    s.kind === Kind.FIELD && s.name.value !== "__typename" ? [s.name.value] : [],
  );
  if (operation.operation === "mutation") {
    for (const name of rootFields) each((c) => (c.mutations[name] = (c.mutations[name] ?? 0) + 1));
    if (rootFields.includes("bulkOperationRunQuery")) each((c) => c.bulkOperations.query++);
    if (rootFields.includes("bulkOperationRunMutation")) each((c) => c.bulkOperations.mutation++);
  } else {
    each((c) => c.queries++);
    for (const name of rootFields) each((c) => (c.queriesByField[name] = (c.queriesByField[name] ?? 0) + 1));
  }
}

function formatErrors(errors: readonly GraphQLError[] | undefined) {
  return errors?.map((e) => {
    if (!e.path && /^Variable "\$/.test(e.message)) {
      return { message: e.message.replace(/"/g, ""), locations: e.locations, extensions: { code: "INVALID_VARIABLE" } };
    }
    return formatExecutionError(e);
  });
}

export async function handleGraphQL(args: {
  schema: GraphQLSchema;
  core: SimCore;
  shop: Shop;
  bucket: LeakyBucket;
  /** Counters to bump (the global ones and the shop's). */
  counts: CallCounts[];
  rawBody: string;
}): Promise<GraphQLResponse> {
  const { schema, core, shop, bucket } = args;
  const each = (bump: (c: CallCounts) => void) => args.counts.forEach(bump);
  each((c) => c.requests++);
  const prepared = prepareRequest(schema, args.rawBody);
  if ("status" in prepared) {
    each((c) => c.rejected++);
    return prepared;
  }
  const { document, operation, operationName, variables, fragments } = prepared;
  const requested = operationCost(schema, operation, fragments, variables);
  if (requested > MAX_QUERY_COST) {
    each((c) => c.rejected++);
    return maxCostExceeded(requested);
  }
  if (!bucket.take(requested)) {
    each((c) => c.throttled++);
    return throttled(requested, bucket);
  }
  const ctx = requestContext(core, shop, false);
  const isMutation = operation.operation === "mutation";
  const scopes = shop.installation?.scopes ?? [];
  countRootFields(operation, each);
  const result = await execute({
    schema,
    document,
    operationName,
    variableValues: variables,
    rootValue: isMutation
      ? guardRoot(mutationRoot(ctx, { schema }), MUTATION_SCOPES, scopes)
      : guardRoot(queryRoot(ctx), QUERY_SCOPES, scopes),
    contextValue: ctx,
    fieldResolver: viewFieldResolver,
    typeResolver: viewTypeResolver,
  });
  const actual = isMutation
    ? requested
    : result.data
      ? operationCost(schema, operation, fragments, variables, result.data)
      : 0;
  bucket.refund(Math.max(0, requested - actual));
  const errors = formatErrors(result.errors);
  const response: Record<string, unknown> = {};
  if (errors?.length) response.errors = errors;
  if (result.data !== undefined) response.data = result.data;
  response.extensions = {
    cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() },
  };
  return { status: 200, body: response };
}
