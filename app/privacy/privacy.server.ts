// The privacy work: customers/redact, shop/redact, customers/delete,
// customers/data_request and the clean-up after an uninstall. Nothing here
// knows a table: erasure loops over every store (app/stores/index.server.ts)
// in one transaction, then over the job queue, so a table added later is
// covered as soon as its store is listed (tests/privacy/catalog.test.ts).
import type { PrismaClient } from "@prisma/client";
import { eraseFromQueues, type QueueEraseResult } from "../queues/erase.server";
import type { QueueRegistry } from "../queues/registry.server";
import { findCustomer, markCustomerDeleted } from "../stores/customers.server";
import { saveDataRequest } from "../stores/data-requests.server";
import { STORES, type CustomerRef, type ShopRef } from "../stores/index.server";
import { membershipRowsWithReasons } from "../recompute/reasons-when-read.server";
import { customerTransitions } from "../stores/memberships.server";
import { customerOrders } from "../stores/orders.server";
import { findShop } from "../stores/shops.server";
import { logger } from "../utils/logger.server";

export interface PrivacyDeps {
  db: PrismaClient;
  /** The job queue, whose jobs and events are erased too. */
  queues: QueueRegistry;
  /** The job doing the erasure (it mentions what it erases; it is removed when it completes). */
  currentJobId?: string;
}

async function eraseQueues(deps: PrivacyDeps, tokens: string[], what: string): Promise<QueueEraseResult> {
  const result = await eraseFromQueues(deps.queues, tokens, { exceptJobId: deps.currentJobId });
  logger.info({ what, ...result }, "privacy: queue traces erased");
  return result;
}

/**
 * customers/redact: removes everything that identifies the customer from
 * every store (orders stay as anonymous shop aggregates) in one transaction,
 * all or nothing, then from the job queue.
 */
export async function redactCustomer(
  deps: PrivacyDeps,
  shop: { id: string; domain: string },
  customerId: string,
  orderIds: readonly string[] = [],
): Promise<{ queue: QueueEraseResult }> {
  const ref: CustomerRef = { shop, customerId: BigInt(customerId), orderIds: orderIds.map(BigInt) };
  await deps.db.$transaction(async (tx) => {
    for (const store of STORES) await store.eraseCustomer(tx, ref);
  });
  return { queue: await eraseQueues(deps, [customerId], "customer") };
}

/** shop/redact (48 h after uninstall): nothing of the shop remains, in the database or the queue. */
export async function redactShop(deps: PrivacyDeps, domain: string): Promise<{ queue: QueueEraseResult }> {
  const shop = await findShop(deps.db, domain);
  const ref: ShopRef = { id: shop?.id ?? null, domain };
  await deps.db.$transaction(async (tx) => {
    for (const store of STORES) await store.eraseShop(tx, ref);
  });
  return { queue: await eraseQueues(deps, [domain, ...(shop ? [shop.id] : [])], "shop") };
}

/**
 * customers/delete: the customer is gone from the store. Its segmentation
 * state is erased like a redaction's, but the customer row stays as deleted
 * (so a late order webhook does not bring it back as new) and its orders
 * keep their link until Shopify's redaction.
 */
export async function deleteCustomer(
  deps: PrivacyDeps,
  shop: { id: string; domain: string },
  customerId: string,
): Promise<void> {
  const ref: CustomerRef = { shop, customerId: BigInt(customerId), orderIds: [] };
  await deps.db.$transaction(async (tx) => {
    for (const store of STORES) {
      if (store.name === "memberships" || store.name === "writeback-state") await store.eraseCustomer(tx, ref);
    }
    await markCustomerDeleted(tx, shop.id, ref.customerId);
  });
}

/**
 * customers/data_request: a record of everything the app holds for the
 * customer, stored for the merchant to download from the app.
 */
export async function recordDataRequest(
  db: PrismaClient,
  shop: { id: string; domain: string },
  customerId: string,
): Promise<string> {
  const id = BigInt(customerId);
  const [customer, orders, memberships, transitions] = await Promise.all([
    findCustomer(db, shop.id, id),
    customerOrders(db, shop.id, id),
    // The reasons are not stored: written out when read (ADR 060), as the pages show them.
    membershipRowsWithReasons(db, shop.id, id),
    customerTransitions(db, shop.id, id),
  ]);
  const record = JSON.parse(
    JSON.stringify(
      {
        customerId,
        note: "The app stores ids and purchase behavior only: no names, emails, phones or addresses.",
        customer,
        orders: orders.map(({ shopId: _shopId, ...order }) => order),
        memberships: memberships.map(({ segment, reason, since }) => ({ segment, reason, since })),
        history: transitions.map(({ segment, change, at, reason }) => ({ segment, change, at, reason })),
      },
      (_key, value) => (typeof value === "bigint" ? value.toString() : value),
    ),
  );
  return saveDataRequest(db, { shopDomain: shop.domain, customerId: id, record });
}
