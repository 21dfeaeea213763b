// Customer metafields ($app:segments): definitions created once per shop,
// then the values queued by the recompute (PendingMetafields, only customers
// whose values changed) written with metafieldsSet, 25 metafields per call
// (batched aliases, or a bulk mutation for many customers).
import { METAFIELD_DEFINITION_CREATE, METAFIELDS_SET, METAFIELDS_SET_BULK } from "../graphql/admin/metafields.server";
import type { AdminApi } from "../shopify/admin-api.server";
import { runBulkMutation } from "../shopify/bulk-operations.server";
import type { PgClient } from "../stores/pg/pool.server";
import { readPendingMetafields, recordWrittenMetafields } from "../stores/writeback-state.server";
import { BULK_THRESHOLD_CUSTOMERS, chunk, customerGid } from "./batch";
import { METAFIELD_NAMESPACE, METAFIELD_SPECS, type MetafieldValue } from "./metafields";
import { WritebackError } from "./tags.server";

const MAX_METAFIELDS_PER_SET = 25;

export interface MetafieldWriteStats {
  customers: number;
  apiCalls: number;
  bulkOperations: number;
  definitionsCreated: number;
  failedCustomers: number;
}

/** Shops whose definitions this process already made sure of. */
const definitionsEnsured = new Set<string>();

/**
 * Creates the metafield definitions (visible to Liquid, Functions and the
 * admin). Idempotent: an existing definition answers TAKEN, which is fine;
 * done once per shop and process.
 */
async function ensureMetafieldDefinitions(api: AdminApi): Promise<number> {
  if (definitionsEnsured.has(api.shop)) return 0;
  let created = 0;
  for (const spec of METAFIELD_SPECS) {
    const result = await api.request(METAFIELD_DEFINITION_CREATE, {
      definition: {
        namespace: METAFIELD_NAMESPACE,
        key: spec.key,
        name: spec.name,
        description: spec.description,
        ownerType: "CUSTOMER",
        type: spec.type,
        access: { admin: "MERCHANT_READ", storefront: "PUBLIC_READ", customerAccount: "NONE" },
      },
    });
    const payload = result.metafieldDefinitionCreate;
    if (!payload) throw new WritebackError(`metafieldDefinitionCreate ${spec.key}: no payload returned`);
    const errors = payload.userErrors.filter((e) => e.code !== "TAKEN");
    if (errors.length)
      throw new WritebackError(`metafieldDefinitionCreate ${spec.key}: ${errors.map((e) => e.message).join("; ")}`);
    if (payload.createdDefinition) created++;
  }
  definitionsEnsured.add(api.shop);
  return created;
}

interface Pending {
  customerId: string;
  values: MetafieldValue[];
  hash: string;
}

function inputsOf(p: Pending) {
  return p.values.map((v) => ({
    ownerId: customerGid(p.customerId),
    namespace: METAFIELD_NAMESPACE,
    key: v.key,
    type: v.type,
    value: v.value,
  }));
}

/** Groups of customers whose metafields fit in one metafieldsSet call. */
function groupsOf(pending: readonly Pending[]): Pending[][] {
  const groups: Pending[][] = [];
  let current: Pending[] = [];
  let size = 0;
  for (const p of pending) {
    if (size + p.values.length > MAX_METAFIELDS_PER_SET && current.length) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(p);
    size += p.values.length;
  }
  if (current.length) groups.push(current);
  return groups;
}

/**
 * Customers whose queued values one pass reads and sends at once: a first
 * run at 1M customers queues them all, which read at once held every value
 * and its JSONL in the worker. 20,000 customers' values are about 17 MB of
 * JSONL, one bulk mutation file; a page is four of them, so that its files
 * run at once (ADR 071) instead of one page, one file, at a time.
 */
const PENDING_PAGE_CUSTOMERS = 80_000;

/** Writes the queued metafield values (all of the shop, a page of customers at a time, or one customer's). */
export async function writePendingMetafields(
  api: AdminApi,
  client: PgClient,
  shopId: string,
  options: {
    customerId?: string;
    bulkThreshold?: number;
    /** The most bytes of one bulk mutation file (default: what Shopify accepts, MAX_BULK_MUTATION_FILE_BYTES). */
    bulkFileBytes?: number;
    /** Customers read and sent at once (default PENDING_PAGE_CUSTOMERS). */
    pageCustomers?: number;
  } = {},
): Promise<MetafieldWriteStats> {
  const callsBefore = api.stats.calls;
  const stats: MetafieldWriteStats = {
    customers: 0,
    apiCalls: 0,
    bulkOperations: 0,
    definitionsCreated: 0,
    failedCustomers: 0,
  };
  const limit = options.pageCustomers ?? PENDING_PAGE_CUSTOMERS;
  // By customer id; a page's customers are written (or failed) before the next is read.
  for (let after: string | undefined; ;) {
    const pending: Pending[] = await readPendingMetafields(client, shopId, options.customerId, { after, limit });
    if (pending.length === 0) break;
    if (stats.customers === 0) stats.definitionsCreated = await ensureMetafieldDefinitions(api);
    stats.customers += pending.length;
    const failed = await sendMetafields(api, pending, options, stats);
    stats.failedCustomers += failed.size;
    const written = pending.filter((p) => !failed.has(p.customerId));
    for (const part of chunk(written, 5_000)) await recordWrittenMetafields(client, shopId, part);
    if (pending.length < limit || options.customerId) break;
    after = pending[pending.length - 1].customerId;
  }
  stats.apiCalls = api.stats.calls - callsBefore;
  return stats;
}

/**
 * Sends one page of queued values: a bulk mutation above the bulk threshold
 * (its operations counted in stats), batched metafieldsSet calls below it.
 * Returns the customers Shopify refused a value of.
 */
async function sendMetafields(
  api: AdminApi,
  pending: readonly Pending[],
  options: { bulkThreshold?: number; bulkFileBytes?: number },
  stats: MetafieldWriteStats,
): Promise<Set<string>> {
  const groups = groupsOf(pending);
  const failed = new Set<string>();
  if (pending.length > (options.bulkThreshold ?? BULK_THRESHOLD_CUSTOMERS)) {
    const lines = groups.map((g) => JSON.stringify({ metafields: g.flatMap(inputsOf) }));
    const result = await runBulkMutation(api, METAFIELDS_SET_BULK, lines, "metafieldsSet", {
      maxFileBytes: options.bulkFileBytes,
    });
    stats.bulkOperations += result.operations;
    for (const line of result.failed.keys()) for (const p of groups[line]) failed.add(p.customerId);
    return failed;
  }
  for (const group of groups) {
    const data = await api.request(METAFIELDS_SET, { metafields: group.flatMap(inputsOf) });
    // userErrors name the input element (["metafields", "3", ...]); map it back to its customer.
    const owners = group.flatMap((p) => p.values.map(() => p.customerId));
    // No payload at all: nothing is known to be written, so the whole group is retried later.
    for (const e of data.metafieldsSet?.userErrors ?? [{ field: null, message: "no payload returned" }]) {
      const index = Number(e.field?.[1]);
      if (Number.isInteger(index) && owners[index]) failed.add(owners[index]);
      else group.forEach((p) => failed.add(p.customerId));
    }
  }
  return failed;
}
