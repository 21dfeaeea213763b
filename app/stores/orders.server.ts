// The Order table: one row per Shopify order, behavior only (ADR 004). Every
// statement on it is here: upserts from webhooks, exports and reconciliation,
// the recompute's COPY read, counts for the admin, and erasure.
import type { PrismaClient } from "@prisma/client";
import type { OrderRecord } from "../ingest/order-record";
import type { DataStore, Tx } from "./data-store";
import { copyTo } from "./pg/copy.server";
import type { PgClient } from "./pg/pool.server";

type Db = PrismaClient | Tx;

/**
 * The stored columns of an OrderRecord with their PostgreSQL types: the one
 * list the upsert's INSERT, record type and UPDATE are built from.
 */
const ORDER_COLUMNS: ReadonlyArray<readonly [keyof OrderRecord, string]> = [
  ["customerId", "bigint"],
  ["processedAt", "timestamptz"],
  ["cancelledAt", "timestamptz"],
  ["shopifyUpdatedAt", "timestamptz"],
  ["currency", "text"],
  ["totalMinor", "int"],
  ["subtotalMinor", "int"],
  ["discountMinor", "int"],
  ["refundedMinor", "int"],
  ["fullyRefunded", "boolean"],
  ["discountCodes", "text[]"],
  ["itemQuantity", "int"],
  ["lineCount", "int"],
  ["productIds", "bigint[]"],
  ["productTypes", "text[]"],
  ["avgUnitPriceMinor", "int"],
  ["shippingMinor", "int"],
  ["expressShipping", "boolean"],
  ["utmSource", "text"],
  ["utmMedium", "text"],
  ["utmCampaign", "text"],
  ["referrerDomain", "text"],
  ["sourceName", "text"],
];

const quoted = (name: string) => `"${name}"`;
const NAMES = ORDER_COLUMNS.map(([name]) => quoted(name));
const UPSERT_SQL = (replaceOnTie: boolean) => `
  INSERT INTO "Order" AS o ("shopId", "id", ${NAMES.join(", ")}, "syncedAt")
  SELECT $1, x."id", ${NAMES.map((n) => `x.${n}`).join(", ")}, now()
  FROM jsonb_to_recordset($2::jsonb) AS x("id" bigint, ${ORDER_COLUMNS.map(([n, t]) => `${quoted(n)} ${t}`).join(", ")})
  ON CONFLICT ("shopId", "id") DO UPDATE SET ${NAMES.map((n) => `${n} = EXCLUDED.${n}`).join(", ")}, "syncedAt" = now()
  -- Newer wins. Shopify's updated_at has one-second precision, so two
  -- changes in the same second tie; then the further-advanced state wins
  -- (cancelled over open, more refunded over less), which never regresses.
  -- A state fetched from the API just now may replace a tie (replaceOnTie).
  WHERE (o."shopifyUpdatedAt", o."cancelledAt" IS NOT NULL, o."refundedMinor")
      ${replaceOnTie ? "<=" : "<"} (EXCLUDED."shopifyUpdatedAt", EXCLUDED."cancelledAt" IS NOT NULL, EXCLUDED."refundedMinor")
  RETURNING o."id", o."customerId"`;

/**
 * Writes orders keyed by (shop, Shopify id). A payload not newer than the
 * stored row (by Shopify's updated_at) is ignored, so duplicate and
 * out-of-order deliveries end in the latest state. Returns the rows that were
 * inserted or changed (a reconciliation counts them as repairs). A batch is
 * one statement (jsonb_to_recordset) to keep a 50,000-order backfill fast.
 */
export async function upsertOrders(
  db: Db,
  shopId: string,
  orders: readonly OrderRecord[],
  options: { replaceOnTie?: boolean } = {},
): Promise<Array<{ id: bigint; customerId: bigint | null }>> {
  if (orders.length === 0) return [];
  return db.$queryRawUnsafe(UPSERT_SQL(options.replaceOnTie ?? false), shopId, JSON.stringify(orders));
}

/** The stored order, or null. */
export function findOrder(db: Db, shopId: string, orderId: string) {
  return db.order.findUnique({ where: { shopId_id: { shopId, id: BigInt(orderId) } } });
}

/**
 * The stored order has the record's updated_at but different content: two
 * states in the same second, which payloads alone cannot order.
 */
export async function isConflictingTie(db: Db, shopId: string, order: OrderRecord): Promise<boolean> {
  const stored = await findOrder(db, shopId, order.id);
  if (!stored || stored.shopifyUpdatedAt.getTime() !== order.shopifyUpdatedAt.getTime()) return false;
  return (
    stored.totalMinor !== order.totalMinor ||
    stored.refundedMinor !== order.refundedMinor ||
    (stored.cancelledAt === null) !== (order.cancelledAt === null) ||
    stored.itemQuantity !== order.itemQuantity ||
    String(stored.customerId ?? "") !== String(order.customerId ?? "")
  );
}

export async function orderCounts(db: Db, shopId: string): Promise<{ orders: number; guestOrders: number }> {
  const [orders, guestOrders] = await Promise.all([
    db.order.count({ where: { shopId } }),
    db.order.count({ where: { shopId, customerId: null } }),
  ]);
  return { orders, guestOrders };
}

/** A customer's orders, oldest first (data requests). */
export function customerOrders(db: Db, shopId: string, customerId: bigint) {
  return db.order.findMany({ where: { shopId, customerId }, orderBy: { processedAt: "asc" } });
}

// Arrays come joined with the unit separator (U+001F): splitting a string is
// much cheaper than parsing PostgreSQL's array syntax, and most are empty.
// The timestamp is integer milliseconds through date_part (float8 arithmetic;
// extract() would be numeric, several times slower over millions of rows).
/** The fields of each row streamRecomputeOrders gives, in this order. */
export const RECOMPUTE_ORDER_FIELDS = [
  "id",
  "customerId",
  "processedAtMs",
  "cancelled",
  "fullyRefunded",
  "totalMinor",
  "subtotalMinor",
  "discountMinor",
  "discountCodes",
  "itemQuantity",
  "lineCount",
  "productIds",
  "productTypes",
  "avgUnitPriceMinor",
  "shippingMinor",
  "expressShipping",
  "utmSource",
  "utmMedium",
  "utmCampaign",
  "referrerDomain",
  "sourceName",
] as const;

const RECOMPUTE_COLUMNS = `id, "customerId", floor(date_part('epoch', "processedAt") * 1000)::bigint, "cancelledAt" IS NOT NULL,
  "fullyRefunded", "totalMinor", "subtotalMinor", "discountMinor", array_to_string("discountCodes", E'\\x1f'), "itemQuantity", "lineCount",
  array_to_string("productIds", E'\\x1f'), array_to_string("productTypes", E'\\x1f'), "avgUnitPriceMinor", "shippingMinor", "expressShipping",
  "utmSource", "utmMedium", "utmCampaign", "referrerDomain", "sourceName"`;

/**
 * Every order of the shop (optionally of customers in an id range, inclusive)
 * as COPY text rows of RECOMPUTE_ORDER_FIELDS, streamed: one sequential scan,
 * never all rows in memory. `onRow` gets a view valid during the call.
 */
export function streamRecomputeOrders(
  client: PgClient,
  shopId: string,
  onRow: (row: Buffer) => void,
  range?: { from: string; to: string },
): Promise<number> {
  const shop = (client as { escapeLiteral(v: string): string }).escapeLiteral(shopId);
  const inRange = range ? ` AND "customerId" BETWEEN ${BigInt(range.from)} AND ${BigInt(range.to)}` : "";
  return copyTo(
    client,
    `COPY (SELECT ${RECOMPUTE_COLUMNS} FROM "Order" WHERE "shopId" = ${shop}${inRange}) TO STDOUT`,
    onRow,
  );
}

/** The planner's orders-per-customer estimate over the whole table (sizing hint; null without statistics). */
export async function estimatedOrdersPerCustomer(client: PgClient): Promise<number | null> {
  const { rows } = await client.query<{ ratio: number | null }>(
    `SELECT (SELECT o.reltuples / nullif(c.reltuples, 0) FROM pg_class o, pg_class c
       WHERE o.oid = '"Order"'::regclass AND c.oid = '"Customer"'::regclass AND o.reltuples > 0)::float8 AS ratio`,
  );
  return rows[0]?.ratio ?? null;
}

export const ordersStore: DataStore = {
  name: "orders",
  tables: ["Order"],
  async eraseCustomer(tx, { shop, customerId, orderIds }) {
    // Orders stay as anonymous shop aggregates: the customer link is cleared,
    // as for guest orders. Shopify names the orders to redact too, in case
    // one no longer carries the customer.
    await tx.order.updateMany({
      where: { shopId: shop.id, OR: [{ customerId }, ...(orderIds.length ? [{ id: { in: [...orderIds] } }] : [])] },
      data: { customerId: null },
    });
  },
  async eraseShop(tx, shop) {
    if (shop.id) await tx.order.deleteMany({ where: { shopId: shop.id } });
  },
};
