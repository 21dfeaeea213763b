// Bulk operations as the API exposes them: the BulkOperation view, the
// currentBulkOperation query, bulkOperationRunQuery / RunMutation / Cancel,
// stagedUploadsCreate for the mutation variables, and the
// bulk_operations/finish payload. The runs themselves are in ../bulk.ts.
import {
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { bulkQueryProblems } from "../bulk/rules";
import {
  arraySequence,
  checkPageArgs,
  paginate,
  parseSearchQuery,
  searchPredicate,
  type ConnectionArgs,
} from "../connections";
import type { RequestContext } from "../core";
import { formatValidationError } from "../errors";
import type { BulkOperationRecord, Shop } from "../shop";
import { isoFromSeconds } from "../util";
import { userError, type ViewContext } from "./common";

export function bulkOperationView(ctx: ViewContext, op: BulkOperationRecord) {
  const done = op.status === "COMPLETED";
  return {
    __typename: "BulkOperation",
    id: ctx.shop.ids.gid("BulkOperation", op.id),
    type: op.type,
    status: op.status,
    errorCode: op.errorCode,
    query: op.query,
    createdAt: isoFromSeconds(op.createdAt),
    completedAt: op.completedAt === null ? null : isoFromSeconds(op.completedAt),
    objectCount: String(op.objectCount),
    rootObjectCount: String(op.rootObjectCount),
    fileSize: done && op.fileSize !== null ? String(op.fileSize) : null,
    // Shopify answers url null when a finished operation produced no objects.
    url: done && op.objectCount > 0 ? `${ctx.baseUrl}/_sim/bulk/${op.id}.jsonl` : null,
    partialDataUrl: null,
  };
}

export function bulkFinishPayload(
  shop: Shop,
  op: {
    id: number;
    status: string;
    errorCode: string | null;
    type: string;
    createdAt: number;
    completedAt: number | null;
  },
) {
  return {
    admin_graphql_api_id: shop.ids.gid("BulkOperation", op.id),
    completed_at: op.completedAt === null ? null : isoFromSeconds(op.completedAt),
    created_at: isoFromSeconds(op.createdAt),
    error_code: op.errorCode ? op.errorCode.toLowerCase() : null,
    status: op.status.toLowerCase(),
    type: op.type.toLowerCase(),
  };
}

/** bulkOperations(query:): created_at, id, operation_type and status, as Shopify documents. */
function bulkOperationFilter(ctx: ViewContext, query: string | null | undefined) {
  const ops = ctx.shop.bulkOperations;
  return searchPredicate(
    parseSearchQuery(query),
    {
      created_at: (p) => ops[p].createdAt,
      id: (p) => ops[p].id,
      operation_type: (p) => ops[p].type.toLowerCase(),
      status: (p) => ops[p].status.toLowerCase(),
    },
    "bulkOperations",
    (digits) => ctx.shop.ids.comparable(digits),
  );
}

export function bulkOperationQueries(ctx: ViewContext) {
  return {
    /** Deprecated in 2026-04 ("Use bulkOperations with status filter instead"), still answered. */
    currentBulkOperation: (args: { type?: string | null }) => {
      const type = args.type ?? "QUERY";
      const ops = ctx.shop.bulkOperations.filter((op) => op.type === type);
      return ops.length ? bulkOperationView(ctx, ops[ops.length - 1]) : null;
    },
    /** Newest first by default, as Shopify documents; reverse: oldest first. */
    bulkOperations: (args: ConnectionArgs) => {
      checkPageArgs(args, "bulkOperations", ctx.bulk);
      const ops = ctx.shop.bulkOperations;
      const key =
        args.sortKey === "COMPLETED_AT"
          ? (p: number) => ops[p].completedAt ?? Number.MAX_SAFE_INTEGER
          : (p: number) => ops[p].createdAt;
      const order = Array.from({ length: ops.length }, (_, p) => p).sort(
        (a, b) => key(b) - key(a) || ops[b].id - ops[a].id,
      );
      return paginate(arraySequence(order), bulkOperationFilter(ctx, args.query), args, (p) =>
        bulkOperationView(ctx, ops[p]),
      );
    },
  };
}

export function bulkMutations(ctx: RequestContext, deps: { schema: GraphQLSchema }) {
  const shop = ctx.shop;
  const newOp = (type: "QUERY" | "MUTATION", query: string): BulkOperationRecord => ({
    id: ctx.core.nextId(),
    type,
    status: "CREATED",
    query,
    createdAt: ctx.nowSeconds,
    completedAt: null,
    objectCount: 0,
    rootObjectCount: 0,
    fileSize: null,
    filePath: null,
    errorCode: null,
    cancelRequested: false,
    groupObjects: false,
  });
  const running = (type: "QUERY" | "MUTATION") =>
    shop.bulkOperations.filter(
      (op) => op.type === type && (op.status === "CREATED" || op.status === "RUNNING" || op.status === "CANCELING"),
    );
  return {
    bulkOperationRunQuery: (args: { query: string; groupObjects?: boolean | null }) => {
      const active = running("QUERY");
      if (active.length > 0) {
        return {
          bulkOperation: null,
          userErrors: [
            userError(
              null,
              `A bulk query operation for this app and shop is already in progress: ${ctx.shop.ids.gid("BulkOperation", active[0].id)}.`,
              "OPERATION_IN_PROGRESS",
            ),
          ],
        };
      }
      const parsedQuery = parseBulkDocument(deps.schema, args.query, "query");
      if ("error" in parsedQuery)
        return {
          bulkOperation: null,
          userErrors: [userError(["query"], parsedQuery.error, "INVALID")],
        };
      const op = newOp("QUERY", args.query);
      op.groupObjects = args.groupObjects === true;
      shop.bulkOperations.push(op);
      ctx.core.startBulkQuery(shop, op, parsedQuery.document);
      return { bulkOperation: bulkOperationView(ctx, op), userErrors: [] };
    },
    bulkOperationRunMutation: (args: { mutation: string; stagedUploadPath: string }) => {
      if (running("MUTATION").length >= ctx.core.maxConcurrentBulkMutations) {
        return {
          bulkOperation: null,
          userErrors: [
            userError(
              null,
              `A maximum of ${ctx.core.maxConcurrentBulkMutations} bulk mutations can run at the same time for this app and shop.`,
              "LIMIT_REACHED",
            ),
          ],
        };
      }
      const file = ctx.core.stagedUploads.get(args.stagedUploadPath);
      if (!file) {
        return {
          bulkOperation: null,
          userErrors: [
            userError(
              ["stagedUploadPath"],
              "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.",
              "NO_SUCH_FILE",
            ),
          ],
        };
      }
      const parsedMutation = parseBulkDocument(deps.schema, args.mutation, "mutation");
      if ("error" in parsedMutation)
        return {
          bulkOperation: null,
          userErrors: [userError(["mutation"], parsedMutation.error, "INVALID_MUTATION")],
        };
      const op = newOp("MUTATION", args.mutation);
      shop.bulkOperations.push(op);
      ctx.core.startBulkMutation(shop, op, parsedMutation.document, file);
      return { bulkOperation: bulkOperationView(ctx, op), userErrors: [] };
    },
    bulkOperationCancel: (args: { id: string }) => {
      const local = shop.ids.localFromGid(args.id, "BulkOperation");
      const op = shop.bulkOperations.find((b) => b.id === local);
      if (!op)
        return {
          bulkOperation: null,
          userErrors: [userError(["id"], "Bulk operation does not exist")],
        };
      if (op.status !== "CREATED" && op.status !== "RUNNING") {
        return {
          bulkOperation: bulkOperationView(ctx, op),
          userErrors: [userError(null, `A bulk operation cannot be canceled when it is ${op.status.toLowerCase()}`)],
        };
      }
      op.cancelRequested = true;
      op.status = "CANCELING";
      return { bulkOperation: bulkOperationView(ctx, op), userErrors: [] };
    },
  };
}

/** Validates a bulk document; queries need one top-level connection. */
function parseBulkDocument(
  schema: GraphQLSchema,
  source: string,
  kind: "query" | "mutation",
): { document: DocumentNode } | { error: string } {
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (e) {
    return { error: `Invalid bulk ${kind}: ${(e as Error).message}` };
  }
  const errors = validate(schema, document);
  if (errors.length)
    return {
      error: `Invalid bulk ${kind}: ${errors.map((e) => formatValidationError(e).message).join("; ")}`,
    };
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length !== 1)
    return {
      error: `Invalid bulk ${kind}: the document must contain exactly one operation`,
    };
  if (kind === "query" && ops[0].operation !== "query")
    return { error: "Invalid bulk query: the document must be a query" };
  if (kind === "mutation" && ops[0].operation !== "mutation")
    return { error: "Invalid bulk mutation: the document must be a mutation" };
  if (kind === "mutation" && ops[0].selectionSet.selections.length !== 1)
    return {
      error: "Invalid bulk mutation: exactly one mutation field is allowed",
    };
  if (kind === "query") {
    const fields = ops[0].selectionSet.selections.filter((s) => s.kind === Kind.FIELD && s.name.value !== "__typename");
    if (fields.length !== 1)
      return {
        error: "Invalid bulk query: Bulk queries must contain exactly one top-level field",
      };
    const problems = bulkQueryProblems(schema, document);
    if (problems.length) return { error: `Invalid bulk query: ${problems.join(" ")}` };
    const root = (fields[0] as { name: { value: string } }).name.value;
    if (root !== "orders" && root !== "customers") {
      return {
        error: `Invalid bulk query: the Shopify simulator runs bulk queries over orders and customers only, not '${root}'`,
      };
    }
  }
  return { document };
}

export function stagedUploadMutations(ctx: RequestContext) {
  return {
    stagedUploadsCreate: (args: {
      input: {
        resource: string;
        filename: string;
        mimeType: string;
        httpMethod?: string | null;
      }[];
    }) => {
      const targets = args.input.map((input) => {
        if (input.resource !== "BULK_MUTATION_VARIABLES") {
          throw new GraphQLError(
            `The Shopify simulator implements stagedUploadsCreate for BULK_MUTATION_VARIABLES only, not ${input.resource}`,
            {
              extensions: { code: "NOT_IMPLEMENTED_IN_SIMULATOR" },
            },
          );
        }
        const key = `tmp/${ctx.shop.id}/bulk/${ctx.core.nextId()}/${input.filename}`;
        ctx.core.stagedUploads.set(key, null);
        return {
          url: `${ctx.baseUrl}/_sim/upload`,
          resourceUrl: null,
          parameters: [
            { name: "Content-Type", value: input.mimeType },
            { name: "success_action_status", value: "201" },
            { name: "acl", value: "private" },
            { name: "key", value: key },
            {
              name: "x-goog-date",
              value: new Date(ctx.nowSeconds * 1000).toISOString().replace(/[-:]/g, "").replace(/\.\d+/, ""),
            },
            {
              name: "x-goog-credential",
              value: "simulator@shopify-staged-uploads.iam.gserviceaccount.com/20260101/auto/storage/goog4_request",
            },
            { name: "x-goog-algorithm", value: "GOOG4-RSA-SHA256" },
            {
              name: "x-goog-signature",
              value: Buffer.from(key).toString("hex"),
            },
            {
              name: "policy",
              value: Buffer.from(JSON.stringify({ key })).toString("base64"),
            },
          ],
        };
      });
      return { stagedTargets: targets, userErrors: [] };
    },
  };
}
