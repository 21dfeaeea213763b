// Root Query and Mutation resolvers. Field-level data comes from views.ts;
// this module holds the root entry points and all write paths.
import {
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
} from "graphql";
import { checkPageArgs, identitySequence, paginate, type ConnectionArgs } from "./connections.js";
import type { RequestContext } from "./core.js";
import { validateMetafieldValue } from "./metafield-types.js";
import { customerPayload } from "./payloads.js";
import type { BulkOperationRecord, DiscountRecord, Shop } from "./shop.js";
import type { MetafieldRecord } from "./store.js";
import { formatValidationError } from "./errors.js";
import { bulkQueryProblems } from "./bulk-rules.js";
import { accessDenied, hasScope, OWNER_WRITE_SCOPES } from "./scopes.js";
import { APP_ID, APP_NAMESPACE, gid, parseGid, resolveNamespace, secondsFromIso } from "./util.js";

import {
  bulkOperationView,
  CustomerView,
  customerFilter,
  discountNodeView,
  discountView,
  metafieldView,
  nodeById,
  orderFilter,
  OrderView,
  rootSequence,
  segmentView,
  ShopView,
  webhookSubscriptionView,
} from "./views.js";

export { APP_NAMESPACE, resolveNamespace };

export const MAX_TAGS_PER_CUSTOMER = 250;
export const MAX_TAG_LENGTH = 255;
export const MAX_METAFIELDS_PER_SET = 25;

// --- Query root -------------------------------------------------------------

export function queryRoot(ctx: RequestContext) {
  return {
    shop: () => Object.assign(new ShopView(ctx), {}),
    customers: (args: ConnectionArgs) => {
      checkPageArgs(args, "customers", ctx.bulk);
      return paginate(
        rootSequence(ctx, "customers", args),
        customerFilter(ctx, args.query),
        args,
        (row) => new CustomerView(ctx, row),
      );
    },
    customer: (args: { id: string }) => typedNode(ctx, args.id, "Customer"),
    orders: (args: ConnectionArgs) => {
      checkPageArgs(args, "orders", ctx.bulk);
      return paginate(
        rootSequence(ctx, "orders", args),
        orderFilter(ctx, args.query),
        args,
        (row) => new OrderView(ctx, row),
      );
    },
    order: (args: { id: string }) => typedNode(ctx, args.id, "Order"),
    node: (args: { id: string }) => nodeById(ctx, args.id),
    currentAppInstallation: () => {
      const install = ctx.shop.installation!;
      const app = {
        id: gid("App", APP_ID),
        apiKey: ctx.core.apiKey,
        title: "Simulated app",
        handle: "simulated-app",
        embedded: true,
      };
      return {
        id: gid("AppInstallation", ctx.shop.id),
        accessScopes: install.scopes.map((handle) => ({
          handle,
          description: handle,
        })),
        launchUrl: `https://${ctx.shop.domain}/admin/apps/simulated-app`,
        app,
        metafield: (args: { namespace?: string | null; key: string }) => {
          const record = ctx.shop.store.metafields
            .get(gid("AppInstallation", ctx.shop.id))
            ?.get(`${resolveNamespace(args.namespace)}.${args.key}`);
          return record ? metafieldView(record, "APP_INSTALLATION") : null;
        },
      };
    },
    nodes: (args: { ids: string[] }) => {
      if (args.ids.length > 250)
        throw new GraphQLError("nodes accepts at most 250 ids", {
          extensions: { code: "BAD_REQUEST" },
        });
      return args.ids.map((id) => nodeById(ctx, id));
    },
    currentBulkOperation: (args: { type?: string | null }) => {
      const type = args.type ?? "QUERY";
      const ops = ctx.shop.bulkOperations.filter((op) => op.type === type);
      return ops.length ? bulkOperationView(ctx, ops[ops.length - 1]) : null;
    },
    bulkOperation: (args: { id: string }) => typedNode(ctx, args.id, "BulkOperation"),
    segment: (args: { id: string }) => typedNode(ctx, args.id, "Segment"),
    segments: (args: ConnectionArgs) => {
      checkPageArgs(args, "segments", ctx.bulk);
      const list = [...ctx.shop.segments.values()];
      return paginate(
        identitySequence(list.length),
        () => true,
        args,
        (p) => segmentView(list[p]),
      );
    },
    discountNodes: (args: ConnectionArgs) => {
      checkPageArgs(args, "discountNodes", ctx.bulk);
      const list = [...ctx.shop.discounts.values()];
      return paginate(
        identitySequence(list.length),
        () => true,
        args,
        (p) => ({
          id: discountNodeView(ctx, list[p]).id,
          discount: discountView(ctx, list[p]),
        }),
      );
    },
    webhookSubscriptions: (args: ConnectionArgs & { topics?: string[] | null }) => {
      checkPageArgs(args, "webhookSubscriptions", ctx.bulk);
      const list = (ctx.shop.installation?.subscriptions ?? []).filter(
        (s) => !args.topics || args.topics.includes(s.topic),
      );
      return paginate(
        identitySequence(list.length),
        () => true,
        args,
        (p) => webhookSubscriptionView(list[p]),
      );
    },
  };
}

function typedNode(ctx: RequestContext, id: string, type: string) {
  const parsed = parseGid(id);
  if (!parsed || parsed.type !== type) return null;
  return nodeById(ctx, id);
}

// --- Mutation root ----------------------------------------------------------

interface Deps {
  schema: GraphQLSchema;
}

function userError(field: string[] | null, message: string, code?: string, extra?: Record<string, unknown>) {
  return { field, message, ...(code ? { code } : {}), ...extra };
}

/** Splits comma-separated tags as Shopify does, trims, drops blanks. */
export function normalizeTags(input: string[]): string[] {
  return input
    .flatMap((t) => t.split(","))
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

export function applyTagChange(ctx: RequestContext, id: string, tags: string[], mode: "add" | "remove") {
  const parsed = parseGid(id);
  const s = ctx.shop.store;
  const index = parsed?.type === "Customer" ? s.findCustomer(parsed.id) : undefined;
  if (parsed?.type !== "Customer") {
    if (parsed?.type === "Order" || parsed?.type === "Product" || parsed?.type === "DraftOrder") {
      throw new GraphQLError(
        `The Shopify simulator implements tagsAdd/tagsRemove on customers only, not ${parsed.type}`,
        {
          extensions: { code: "NOT_IMPLEMENTED_IN_SIMULATOR" },
        },
      );
    }
    return {
      node: null,
      userErrors: [userError(["id"], "Resource type not found")],
    };
  }
  if (index === undefined || s.isDeleted(index))
    return {
      node: null,
      userErrors: [userError(["id"], "Customer does not exist")],
    };
  const wanted = normalizeTags(tags);
  const tooLong = wanted.find((t) => t.length > MAX_TAG_LENGTH);
  if (tooLong) {
    return {
      node: new CustomerView(ctx, index),
      userErrors: [
        userError(
          ["tags"],
          `Tags is invalid: '${tooLong.slice(0, 40)}...' is too long (maximum is ${MAX_TAG_LENGTH} characters)`,
        ),
      ],
    };
  }
  const current = s.tagsOf(index);
  let next: string[];
  if (mode === "add") {
    const lower = new Set(current.map((t) => t.toLowerCase()));
    next = [...current];
    for (const tag of wanted) {
      if (!lower.has(tag.toLowerCase())) {
        lower.add(tag.toLowerCase());
        next.push(tag);
      }
    }
    if (next.length > MAX_TAGS_PER_CUSTOMER) {
      return {
        node: new CustomerView(ctx, index),
        userErrors: [userError(["tags"], `Tags cannot be more than ${MAX_TAGS_PER_CUSTOMER}`)],
      };
    }
  } else {
    const remove = new Set(wanted.map((t) => t.toLowerCase()));
    next = current.filter((t) => !remove.has(t.toLowerCase()));
  }
  const changed = next.length !== current.length;
  if (changed) {
    s.setTags(index, next, ctx.nowSeconds);
    if (ctx.core.tagWritesSendCustomerUpdate)
      ctx.core.emitWebhook(ctx.shop, "customers/update", () => customerPayload(ctx.shop, index));
  }
  return { node: new CustomerView(ctx, index), userErrors: [] };
}

function metafieldsSet(
  ctx: RequestContext,
  inputs: {
    ownerId: string;
    namespace?: string | null;
    key: string;
    value: string;
    type?: string | null;
    compareDigest?: string | null;
  }[],
) {
  if (inputs.length > MAX_METAFIELDS_PER_SET) {
    return {
      metafields: null,
      userErrors: [
        userError(
          ["metafields"],
          `Exceeded the maximum metafields input limit of ${MAX_METAFIELDS_PER_SET}.`,
          "LESS_THAN_OR_EQUAL_TO",
        ),
      ],
    };
  }
  const s = ctx.shop.store;
  const errors: ReturnType<typeof userError>[] = [];
  const planned: {
    owner: string;
    record: Omit<MetafieldRecord, "id" | "createdAt" | "updatedAt">;
  }[] = [];
  inputs.forEach((input, elementIndex) => {
    const owner = parseGid(input.ownerId);
    const namespace = resolveNamespace(input.namespace);
    const fieldErr = (field: string, message: string, code: string) =>
      errors.push(
        userError(["metafields", String(elementIndex), field], message, code, {
          elementIndex,
        }),
      );
    const ownerExists =
      owner &&
      ((owner.type === "Customer" &&
        s.findCustomer(owner.id) !== undefined &&
        !s.isDeleted(s.findCustomer(owner.id)!)) ||
        (owner.type === "Order" && s.findOrder(owner.id) !== undefined) ||
        (owner.type === "Shop" && owner.id === ctx.shop.id) ||
        (owner.type === "AppInstallation" && owner.id === ctx.shop.id));
    if (!ownerExists) return fieldErr("ownerId", "Owner does not exist.", "INVALID");
    const needed = OWNER_WRITE_SCOPES[owner!.type];
    if (needed && !hasScope(ctx.shop.installation?.scopes ?? [], needed)) {
      throw accessDenied("metafieldsSet", needed);
    }
    if (input.key.length < 2 || input.key.length > 64 || !/^[a-zA-Z0-9_-]+$/.test(input.key)) {
      return fieldErr(
        "key",
        "Key must be 2-64 characters long and can only contain alphanumeric, hyphen, and underscore characters.",
        "INVALID",
      );
    }
    if (namespace.length < 2 || namespace.length > 255)
      return fieldErr("namespace", "Namespace must be 2-255 characters long.", "INVALID");
    const definition = ctx.shop.metafieldDefinitions.find(
      (d) => d.namespace === namespace && d.key === input.key && d.ownerType === owner!.type.toUpperCase(),
    );
    const type = input.type ?? definition?.type;
    if (!type) return fieldErr("type", "Type can't be blank.", "BLANK");
    if (definition && definition.type !== type)
      return fieldErr(
        "type",
        `Type '${type}' does not match the definition's type '${definition.type}'.`,
        "INVALID_TYPE",
      );
    const invalid = validateMetafieldValue(type, input.value);
    if (invalid) return fieldErr(invalid.code === "INVALID_TYPE" ? "type" : "value", invalid.message, invalid.code);
    planned.push({
      owner: input.ownerId,
      record: { namespace, key: input.key, type, value: input.value },
    });
  });
  // metafieldsSet is atomic: one invalid input means nothing is written.
  if (errors.length) return { metafields: null, userErrors: errors };
  const now = ctx.nowSeconds;
  const written = planned.map(({ owner, record }) => {
    const map = s.metafields.get(owner) ?? new Map<string, MetafieldRecord>();
    s.metafields.set(owner, map);
    const key = `${record.namespace}.${record.key}`;
    const existing = map.get(key);
    const stored: MetafieldRecord = existing
      ? { ...existing, ...record, updatedAt: now }
      : { ...record, id: ctx.core.nextId(), createdAt: now, updatedAt: now };
    map.set(key, stored);
    return { owner, stored };
  });
  return {
    metafields: written.map(({ owner, stored }) => {
      const ownerView = parseGid(owner)!;
      return {
        __typename: "Metafield",
        id: gid("Metafield", stored.id),
        namespace: stored.namespace,
        key: stored.key,
        type: stored.type,
        value: stored.value,
        createdAt: new Date(stored.createdAt * 1000).toISOString(),
        updatedAt: new Date(stored.updatedAt * 1000).toISOString(),
        ownerType: ownerView.type.toUpperCase(),
        compareDigest: Buffer.from(`${stored.id}:${stored.updatedAt}`).toString("base64"),
        owner: { __typename: ownerView.type, id: owner },
      };
    }),
    userErrors: [],
  };
}

function segmentMutations(ctx: RequestContext) {
  const segments = ctx.shop.segments;
  const nameTaken = (name: string, except?: number) =>
    [...segments.values()].some((s) => s.name === name && s.id !== except);
  const checkQuery = (query: string) => (query.trim().length === 0 ? "Query can't be blank" : null);
  return {
    segmentCreate: (args: { name: string; query: string }) => {
      if (!args.name.trim())
        return {
          segment: null,
          userErrors: [userError(["name"], "Name can't be blank")],
        };
      if (nameTaken(args.name))
        return {
          segment: null,
          userErrors: [userError(["name"], "Name has already been taken")],
        };
      const queryError = checkQuery(args.query);
      if (queryError)
        return {
          segment: null,
          userErrors: [userError(["query"], queryError)],
        };
      const record = {
        id: ctx.core.nextId(),
        name: args.name,
        query: args.query,
        creationDate: ctx.nowSeconds,
        lastEditDate: ctx.nowSeconds,
      };
      segments.set(record.id, record);
      return { segment: segmentView(record), userErrors: [] };
    },
    segmentUpdate: (args: { id: string; name?: string | null; query?: string | null }) => {
      const record = segments.get(parseGid(args.id)?.id ?? -1);
      if (!record)
        return {
          segment: null,
          userErrors: [userError(["id"], "Segment does not exist")],
        };
      if (args.name != null && nameTaken(args.name, record.id))
        return {
          segment: null,
          userErrors: [userError(["name"], "Name has already been taken")],
        };
      if (args.query != null) {
        const queryError = checkQuery(args.query);
        if (queryError)
          return {
            segment: null,
            userErrors: [userError(["query"], queryError)],
          };
        record.query = args.query;
      }
      if (args.name != null) record.name = args.name;
      record.lastEditDate = ctx.nowSeconds;
      return { segment: segmentView(record), userErrors: [] };
    },
    segmentDelete: (args: { id: string }) => {
      const id = parseGid(args.id)?.id ?? -1;
      if (!segments.delete(id))
        return {
          deletedSegmentId: null,
          userErrors: [userError(["id"], "Segment does not exist")],
        };
      return { deletedSegmentId: args.id, userErrors: [] };
    },
  };
}

interface DiscountInput {
  title?: string | null;
  code?: string | null;
  functionId?: string | null;
  functionHandle?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  discountClasses?: string[] | null;
  combinesWith?: {
    orderDiscounts?: boolean | null;
    productDiscounts?: boolean | null;
    shippingDiscounts?: boolean | null;
  } | null;
  appliesOncePerCustomer?: boolean | null;
  usageLimit?: number | null;
  customerSelection?: unknown;
  context?: unknown;
  metafields?: { namespace?: string | null; key: string; type: string; value: string }[] | null;
}

function discountMutations(ctx: RequestContext) {
  const discounts = ctx.shop.discounts;
  const validate = (input: DiscountInput, kind: "automatic" | "code", existing?: DiscountRecord) => {
    const base = kind === "code" ? "codeAppDiscount" : "automaticAppDiscount";
    const errors = [];
    const title = input.title ?? existing?.title;
    if (!title) errors.push(userError([base, "title"], "Title can't be blank", "BLANK"));
    if (!existing && !input.functionId && !input.functionHandle)
      errors.push(userError([base, "functionId"], "Function id or handle must be provided", "MISSING_ARGUMENT"));
    if (kind === "code") {
      const code = input.code ?? existing?.code;
      if (!code) errors.push(userError([base, "code"], "Code can't be blank", "BLANK"));
      else if (
        [...discounts.values()].some((d) => d.code?.toLowerCase() === code.toLowerCase() && d.id !== existing?.id)
      ) {
        errors.push(userError([base, "code"], "Code must be unique. Please try a different code.", "TAKEN"));
      }
    }
    for (const mf of input.metafields ?? []) {
      const invalid = validateMetafieldValue(mf.type, mf.value);
      if (invalid) errors.push(userError([base, "metafields"], invalid.message, "INVALID"));
    }
    const startsAt = input.startsAt ? secondsFromIso(input.startsAt) : (existing?.startsAt ?? ctx.nowSeconds);
    const endsAt =
      input.endsAt !== undefined ? (input.endsAt ? secondsFromIso(input.endsAt) : null) : (existing?.endsAt ?? null);
    if (endsAt !== null && endsAt <= startsAt)
      errors.push(userError([base, "endsAt"], "Ends at needs to be after starts_at", "INVALID"));
    return { errors, title: title ?? "", startsAt, endsAt };
  };
  const build = (
    kind: "automatic" | "code",
    input: DiscountInput,
    existing?: DiscountRecord,
  ): DiscountRecord | { errors: ReturnType<typeof userError>[] } => {
    const checked = validate(input, kind, existing);
    if (checked.errors.length) return { errors: checked.errors };
    return {
      id: existing?.id ?? ctx.core.nextId(),
      kind,
      title: checked.title,
      code: kind === "code" ? (input.code ?? existing?.code ?? null) : null,
      functionId: input.functionId ?? existing?.functionId ?? null,
      functionHandle: input.functionHandle ?? existing?.functionHandle ?? null,
      startsAt: checked.startsAt,
      endsAt: checked.endsAt,
      discountClasses: input.discountClasses ?? existing?.discountClasses ?? ["ORDER"],
      combinesWith: {
        orderDiscounts: input.combinesWith?.orderDiscounts ?? existing?.combinesWith.orderDiscounts ?? false,
        productDiscounts: input.combinesWith?.productDiscounts ?? existing?.combinesWith.productDiscounts ?? false,
        shippingDiscounts: input.combinesWith?.shippingDiscounts ?? existing?.combinesWith.shippingDiscounts ?? false,
      },
      appliesOncePerCustomer: input.appliesOncePerCustomer ?? existing?.appliesOncePerCustomer ?? false,
      usageLimit: input.usageLimit ?? existing?.usageLimit ?? null,
      customerSelection: input.customerSelection ?? existing?.customerSelection ?? null,
      context: input.context ?? existing?.context ?? null,
      metafields: input.metafields
        ? input.metafields.map((m) => ({
            namespace: resolveNamespace(m.namespace),
            key: m.key,
            type: m.type,
            value: m.value,
          }))
        : (existing?.metafields ?? []),
      createdAt: existing?.createdAt ?? ctx.nowSeconds,
      updatedAt: ctx.nowSeconds,
    };
  };
  const find = (id: string, kind: "automatic" | "code") => {
    const parsed = parseGid(id);
    const record = parsed ? discounts.get(parsed.id) : undefined;
    return record && record.kind === kind ? record : undefined;
  };
  const save = (kind: "automatic" | "code", payloadKey: string, input: DiscountInput, existing?: DiscountRecord) => {
    const result = build(kind, input, existing);
    if ("errors" in result) return { [payloadKey]: null, userErrors: result.errors };
    discounts.set(result.id, result);
    return { [payloadKey]: discountView(ctx, result), userErrors: [] };
  };
  const notFound = (payloadKey: string) => ({
    [payloadKey]: null,
    userErrors: [userError(["id"], "Discount does not exist", "INVALID")],
  });
  return {
    discountAutomaticAppCreate: (a: { automaticAppDiscount: DiscountInput }) =>
      save("automatic", "automaticAppDiscount", a.automaticAppDiscount),
    discountAutomaticAppUpdate: (a: { id: string; automaticAppDiscount: DiscountInput }) => {
      const existing = find(a.id, "automatic");
      return existing
        ? save("automatic", "automaticAppDiscount", a.automaticAppDiscount, existing)
        : notFound("automaticAppDiscount");
    },
    discountAutomaticDelete: (a: { id: string }) => {
      const existing = find(a.id, "automatic");
      if (!existing) return notFound("deletedAutomaticDiscountId");
      discounts.delete(existing.id);
      return { deletedAutomaticDiscountId: a.id, userErrors: [] };
    },
    discountCodeAppCreate: (a: { codeAppDiscount: DiscountInput }) =>
      save("code", "codeAppDiscount", a.codeAppDiscount),
    discountCodeAppUpdate: (a: { id: string; codeAppDiscount: DiscountInput }) => {
      const existing = find(a.id, "code");
      return existing ? save("code", "codeAppDiscount", a.codeAppDiscount, existing) : notFound("codeAppDiscount");
    },
    discountCodeDelete: (a: { id: string }) => {
      const existing = find(a.id, "code");
      if (!existing) return notFound("deletedCodeDiscountId");
      discounts.delete(existing.id);
      return { deletedCodeDiscountId: a.id, userErrors: [] };
    },
  };
}

function bulkMutations(ctx: RequestContext, deps: Deps) {
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
  });
  const running = (type: "QUERY" | "MUTATION") =>
    shop.bulkOperations.filter(
      (op) => op.type === type && (op.status === "CREATED" || op.status === "RUNNING" || op.status === "CANCELING"),
    );
  return {
    bulkOperationRunQuery: (args: { query: string }) => {
      const active = running("QUERY");
      if (active.length > 0) {
        return {
          bulkOperation: null,
          userErrors: [
            userError(
              null,
              `A bulk query operation for this app and shop is already in progress: ${gid("BulkOperation", active[0].id)}.`,
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
      const op = shop.bulkOperations.find((b) => b.id === parseGid(args.id)?.id);
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
export function parseBulkDocument(
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

export function mutationRoot(ctx: RequestContext, deps: Deps) {
  const install = ctx.shop.installation!;
  return {
    tagsAdd: (args: { id: string; tags: string[] }) => applyTagChange(ctx, args.id, args.tags, "add"),
    tagsRemove: (args: { id: string; tags: string[] }) => applyTagChange(ctx, args.id, args.tags, "remove"),
    metafieldsSet: (args: { metafields: Parameters<typeof metafieldsSet>[1] }) => metafieldsSet(ctx, args.metafields),
    metafieldDefinitionCreate: (args: {
      definition: {
        namespace?: string | null;
        key: string;
        name: string;
        description?: string | null;
        ownerType: string;
        type: string;
      };
    }) => {
      const d = args.definition;
      const namespace = resolveNamespace(d.namespace);
      const typeCheck = validateMetafieldValue(
        d.type,
        d.type === "json" ? "{}" : d.type.startsWith("list.") ? "[]" : "",
      );
      if (typeCheck?.code === "INVALID_TYPE")
        return {
          createdDefinition: null,
          userErrors: [userError(["definition", "type"], typeCheck.message, "INCLUSION")],
        };
      if (
        ctx.shop.metafieldDefinitions.some(
          (x) => x.namespace === namespace && x.key === d.key && x.ownerType === d.ownerType,
        )
      ) {
        return {
          createdDefinition: null,
          userErrors: [
            userError(
              ["definition", "key"],
              `Key is in use for ${d.ownerType.toLowerCase()} metafields on the '${namespace}' namespace.`,
              "TAKEN",
            ),
          ],
        };
      }
      const record = {
        id: ctx.core.nextId(),
        namespace,
        key: d.key,
        name: d.name,
        description: d.description ?? null,
        ownerType: d.ownerType,
        type: d.type,
      };
      ctx.shop.metafieldDefinitions.push(record);
      return {
        createdDefinition: {
          id: gid("MetafieldDefinition", record.id),
          namespace,
          key: record.key,
          name: record.name,
          description: record.description,
          ownerType: record.ownerType,
          type: { name: record.type, category: "TEXT" },
          pinnedPosition: null,
          validations: [],
        },
        userErrors: [],
      };
    },
    ...segmentMutations(ctx),
    ...discountMutations(ctx),
    ...bulkMutations(ctx, deps),
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
    webhookSubscriptionCreate: (args: {
      topic: string;
      webhookSubscription: {
        uri?: string | null;
        callbackUrl?: string | null;
        filter?: string | null;
        includeFields?: string[] | null;
      };
    }) => {
      const uri = args.webhookSubscription.uri ?? args.webhookSubscription.callbackUrl;
      if (!uri)
        return {
          webhookSubscription: null,
          userErrors: [userError(["webhookSubscription", "callbackUrl"], "Address can't be blank")],
        };
      if (!/^https?:\/\//.test(uri) && !uri.startsWith("/")) {
        return {
          webhookSubscription: null,
          userErrors: [userError(["webhookSubscription", "callbackUrl"], "Address is invalid")],
        };
      }
      if (install.subscriptions.some((s) => s.topic === args.topic && s.uri === uri)) {
        return {
          webhookSubscription: null,
          userErrors: [
            userError(["webhookSubscription", "callbackUrl"], "Address for this topic has already been taken"),
          ],
        };
      }
      const record = {
        id: ctx.core.nextId(),
        topic: args.topic,
        uri,
        filter: args.webhookSubscription.filter ?? null,
        includeFields: args.webhookSubscription.includeFields ?? [],
        createdAt: ctx.nowSeconds,
        updatedAt: ctx.nowSeconds,
      };
      install.subscriptions.push(record);
      return {
        webhookSubscription: webhookSubscriptionView(record),
        userErrors: [],
      };
    },
  };
}

export type { Shop };
