// Metafields: the Metafield view, metafield(s) fields on owners, and the
// metafieldsSet / metafieldDefinitionCreate mutations.
import { checkPageArgs, identitySequence, paginate, type ConnectionArgs } from "../connections";
import type { RequestContext } from "../core";
import { validateMetafieldValue } from "../metafield-types";
import { accessDenied, hasScope, OWNER_WRITE_SCOPES } from "../scopes";
import type { MetafieldRecord } from "../store";
import { isoFromSeconds, resolveNamespace } from "../util";
import { userError, type UserError, type ViewContext } from "./common";

const MAX_METAFIELDS_PER_SET = 25;

export function metafieldView(ctx: ViewContext, record: MetafieldRecord, ownerType: string) {
  return {
    __typename: "Metafield",
    id: ctx.shop.ids.gid("Metafield", record.id),
    legacyResourceId: ctx.shop.ids.text(record.id),
    namespace: record.namespace,
    key: record.key,
    type: record.type,
    value: record.value,
    get jsonValue() {
      if (record.type === "json" || record.type.startsWith("list.")) return JSON.parse(record.value);
      if (record.type === "number_integer" || record.type === "number_decimal") return Number(record.value);
      if (record.type === "boolean") return record.value === "true";
      return record.value;
    },
    compareDigest: Buffer.from(`${record.id}:${record.updatedAt}`).toString("base64"),
    createdAt: isoFromSeconds(record.createdAt),
    updatedAt: isoFromSeconds(record.updatedAt),
    ownerType,
    description: null,
  };
}

/** "gid://shopify/Customer/1" -> "CUSTOMER" (the MetafieldOwnerType). */
function ownerTypeOf(ownerGid: string): string {
  const type = ownerGid.split("/")[3];
  if (type === "DiscountAutomaticNode" || type === "DiscountCodeNode") return "DISCOUNT";
  return type.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

export function metafieldOf(ctx: ViewContext, ownerGid: string, namespace: string | null, key: string) {
  const map = ctx.shop.store.metafields.get(ownerGid);
  const record = map?.get(`${resolveNamespace(namespace)}.${key}`);
  return record ? metafieldView(ctx, record, ownerTypeOf(ownerGid)) : null;
}

export function metafieldsOf(
  ctx: ViewContext,
  ownerGid: string,
  args: ConnectionArgs & { namespace?: string | null; keys?: string[] | null },
) {
  checkPageArgs(args, "metafields", ctx.bulk);
  const records = [...(ctx.shop.store.metafields.get(ownerGid)?.values() ?? [])].filter(
    (r) =>
      (!args.namespace || r.namespace === resolveNamespace(args.namespace)) &&
      (!args.keys || args.keys.includes(`${r.namespace}.${r.key}`)),
  );
  const ownerType = ownerTypeOf(ownerGid);
  return paginate(
    identitySequence(records.length),
    () => true,
    args,
    (p) => metafieldView(ctx, records[p], ownerType),
  );
}

export interface MetafieldsSetInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  value: string;
  type?: string | null;
  compareDigest?: string | null;
}

/** The owner's canonical GID and type when it exists in the shop, else null. */
function existingOwner(ctx: RequestContext, ownerId: string): { gid: string; type: string } | null {
  const owner = ctx.shop.ids.parseGid(ownerId);
  const s = ctx.shop.store;
  if (!owner || owner.local === null) return null;
  const local = owner.local;
  let exists: boolean;
  switch (owner.type) {
    case "Customer": {
      const i = s.findCustomer(local);
      exists = i !== undefined && !s.isDeleted(i);
      break;
    }
    case "Order":
      exists = s.findOrder(local) !== undefined;
      break;
    case "Shop":
    case "AppInstallation":
      exists = local === ctx.shop.id;
      break;
    case "DiscountAutomaticNode":
    case "DiscountCodeNode": {
      const d = ctx.shop.discounts.get(local);
      exists = d !== undefined && d.kind === (owner.type === "DiscountCodeNode" ? "code" : "automatic");
      break;
    }
    default:
      exists = false;
  }
  return exists ? { gid: ctx.shop.ids.gid(owner.type, local), type: owner.type } : null;
}

type PlannedWrite = { owner: string; record: Omit<MetafieldRecord, "id" | "createdAt" | "updatedAt"> };

/** Checks one metafieldsSet input; returns the write it plans or records its userError. */
function planMetafieldWrite(
  ctx: RequestContext,
  input: MetafieldsSetInput,
  elementIndex: number,
  errors: UserError[],
): PlannedWrite | null {
  const fieldErr = (field: string, message: string, code: string) => {
    errors.push(userError(["metafields", String(elementIndex), field], message, code, { elementIndex }));
    return null;
  };
  const owner = existingOwner(ctx, input.ownerId);
  if (!owner) return fieldErr("ownerId", "Owner does not exist.", "INVALID");
  const needed = OWNER_WRITE_SCOPES[owner.type];
  if (needed && !hasScope(ctx.shop.installation?.scopes ?? [], needed)) throw accessDenied("metafieldsSet", needed);
  const namespace = resolveNamespace(input.namespace);
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
    (d) => d.namespace === namespace && d.key === input.key && d.ownerType === ownerTypeOf(owner.gid),
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
  return { owner: owner.gid, record: { namespace, key: input.key, type, value: input.value } };
}

function metafieldsSet(ctx: RequestContext, inputs: MetafieldsSetInput[]) {
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
  const errors: UserError[] = [];
  const planned = inputs.flatMap((input, i) => planMetafieldWrite(ctx, input, i, errors) ?? []);
  // metafieldsSet is atomic: one invalid input means nothing is written.
  if (errors.length) return { metafields: null, userErrors: errors };
  const s = ctx.shop.store;
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
      return {
        ...metafieldView(ctx, stored, ownerTypeOf(owner)),
        owner: { __typename: owner.split("/")[3], id: owner },
      };
    }),
    userErrors: [],
  };
}

export interface MetafieldDefinitionInput {
  namespace?: string | null;
  key: string;
  name: string;
  description?: string | null;
  ownerType: string;
  type: string;
}

function metafieldDefinitionCreate(ctx: RequestContext, d: MetafieldDefinitionInput) {
  const namespace = resolveNamespace(d.namespace);
  const typeCheck = validateMetafieldValue(d.type, d.type === "json" ? "{}" : d.type.startsWith("list.") ? "[]" : "");
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
      id: ctx.shop.ids.gid("MetafieldDefinition", record.id),
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
}

export function metafieldMutations(ctx: RequestContext) {
  return {
    metafieldsSet: (args: { metafields: MetafieldsSetInput[] }) => metafieldsSet(ctx, args.metafields),
    metafieldDefinitionCreate: (args: { definition: MetafieldDefinitionInput }) =>
      metafieldDefinitionCreate(ctx, args.definition),
  };
}
