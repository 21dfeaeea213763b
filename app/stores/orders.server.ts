// The Order table: one row per Shopify order, behavior only (ADR 004). Every
// statement on it is here: upserts from webhooks, exports and reconciliation,
// the recompute's COPY read, counts for the admin, and erasure.
import type { PrismaClient } from "@prisma/client";
import type { OrderRecord } from "../ingest/order-record";
import type { DataStore, Tx } from "./data-store";
import { bigintArrayLiteral, copyToSpans } from "./pg/copy.server";
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
  ["totalMinor", "bigint"],
  ["subtotalMinor", "bigint"],
  ["discountMinor", "bigint"],
  ["refundedMinor", "bigint"],
  ["fullyRefunded", "boolean"],
  ["discountCodes", "text[]"],
  ["itemQuantity", "int"],
  ["lineCount", "int"],
  ["productIds", "bigint[]"],
  ["productTypes", "text[]"],
  ["avgUnitPriceMinor", "bigint"],
  ["shippingMinor", "bigint"],
  ["expressShipping", "boolean"],
  ["utmSource", "text"],
  ["utmMedium", "text"],
  ["utmCampaign", "text"],
  ["referrerDomain", "text"],
  ["sourceName", "text"],
  ["visitRecorded", "boolean"],
  ["lines", "jsonb"],
  ["refundIds", "bigint[]"],
];

/** When a write replaces the stored row. */
type WriteRule = "newer" | "newer-or-tie" | "always";

const quoted = (name: string) => `"${name}"`;
const NAMES = ORDER_COLUMNS.map(([name]) => quoted(name));
const UPSERT_SQL = (rule: WriteRule) => `
  INSERT INTO "Order" AS o ("shopId", "id", ${NAMES.join(", ")}, "syncedAt")
  SELECT $1, x."id", ${NAMES.map((n) => `x.${n}`).join(", ")}, now()
  FROM jsonb_to_recordset($2::jsonb) AS x("id" bigint, ${ORDER_COLUMNS.map(([n, t]) => `${quoted(n)} ${t}`).join(", ")})
  ON CONFLICT ("shopId", "id") DO UPDATE SET ${NAMES.filter((n) => n !== '"refundIds"')
    .map((n) => `${n} = EXCLUDED.${n}`)
    .join(", ")},
    -- Refund ids only accumulate: a state never un-includes a refund.
    "refundIds" = ARRAY(SELECT DISTINCT r FROM unnest(o."refundIds" || EXCLUDED."refundIds") r ORDER BY r),
    "syncedAt" = now()
  -- Newer wins. Shopify's updated_at has one-second precision, so two
  -- changes in the same second tie; then the further-advanced state wins
  -- (cancelled over open, more refunded over less), which never regresses.
  -- A state fetched from the API just now may replace a tie (newer-or-tie).
  -- A row stored before line items were kept takes the same state with them.
  ${
    rule === "always"
      ? ""
      : `WHERE (o."shopifyUpdatedAt", o."cancelledAt" IS NOT NULL, o."refundedMinor")
      ${rule === "newer-or-tie" ? "<=" : "<"} (EXCLUDED."shopifyUpdatedAt", EXCLUDED."cancelledAt" IS NOT NULL, EXCLUDED."refundedMinor")
      OR (o."lines" IS NULL AND EXCLUDED."lines" IS NOT NULL AND (o."shopifyUpdatedAt", o."cancelledAt" IS NOT NULL, o."refundedMinor")
      <= (EXCLUDED."shopifyUpdatedAt", EXCLUDED."cancelledAt" IS NOT NULL, EXCLUDED."refundedMinor"))`
  }
  RETURNING o."id", o."customerId"`;

/**
 * A line as stored in "lines": [id, quantity, productId, productType,
 * unitPriceMinor]. Arrays, not objects: the key names would be most of the
 * bytes of a few million orders' lines.
 */
type StoredLine = [string, number, string | null, string | null, number];

function rowOf(order: OrderRecord) {
  return {
    ...order,
    lines: order.lines.map((l): StoredLine => [l.id, l.quantity, l.productId, l.productType, l.unitPriceMinor]),
  };
}

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
  const rule: WriteRule = options.replaceOnTie ? "newer-or-tie" : "newer";
  return db.$queryRawUnsafe(UPSERT_SQL(rule), shopId, JSON.stringify(orders.map(rowOf)));
}

/** The stored order, or null. */
export function findOrder(db: Db, shopId: string, orderId: string) {
  return db.order.findUnique({ where: { shopId_id: { shopId, id: BigInt(orderId) } } });
}

type OrderRow = NonNullable<Awaited<ReturnType<typeof findOrder>>>;

/** A money or count column as an exact JavaScript number (the mappers never store more than 2^53 - 1). */
function exact(value: bigint, column: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(`Order.${column} holds ${value}, beyond the exact range of a JavaScript number`);
  }
  return Number(value);
}

const optionalExact = (value: bigint | null, column: string) => (value === null ? null : exact(value, column));

/**
 * The stored row as an OrderRecord, or null when the row predates the
 * "lines" column (it cannot be updated from a refund payload alone).
 */
function storedOrderRecord(row: OrderRow): OrderRecord | null {
  if (!Array.isArray(row.lines)) return null;
  return {
    id: String(row.id),
    customerId: row.customerId === null ? null : String(row.customerId),
    processedAt: row.processedAt,
    cancelledAt: row.cancelledAt,
    shopifyUpdatedAt: row.shopifyUpdatedAt,
    currency: row.currency,
    totalMinor: exact(row.totalMinor, "totalMinor"),
    subtotalMinor: optionalExact(row.subtotalMinor, "subtotalMinor"),
    discountMinor: optionalExact(row.discountMinor, "discountMinor"),
    refundedMinor: exact(row.refundedMinor, "refundedMinor"),
    fullyRefunded: row.fullyRefunded,
    discountCodes: row.discountCodes,
    itemQuantity: row.itemQuantity ?? 0,
    lineCount: row.lineCount ?? 0,
    productIds: row.productIds.map(String),
    productTypes: row.productTypes,
    avgUnitPriceMinor: optionalExact(row.avgUnitPriceMinor, "avgUnitPriceMinor"),
    shippingMinor: optionalExact(row.shippingMinor, "shippingMinor"),
    expressShipping: row.expressShipping,
    utmSource: row.utmSource,
    utmMedium: row.utmMedium,
    utmCampaign: row.utmCampaign,
    referrerDomain: row.referrerDomain,
    sourceName: row.sourceName,
    visitRecorded: row.visitRecorded ?? false,
    lines: (row.lines as StoredLine[]).map(([id, quantity, productId, productType, unitPriceMinor]) => ({
      id: String(id),
      quantity,
      productId: productId === null ? null : String(productId),
      productType,
      unitPriceMinor,
    })),
    refundIds: row.refundIds.map(String),
  };
}

/**
 * Read-modify-write of one order under its row lock (SELECT ... FOR UPDATE),
 * so concurrent webhook jobs of the same order apply one after the other.
 * `update` gets the stored record (null when the order is not stored, or
 * stored before lines were kept) and returns the record to write, or null to
 * leave the row as it is.
 */
export async function updateOrderLocked<T>(
  db: PrismaClient,
  shopId: string,
  orderId: string,
  update: (current: OrderRecord | null) => { write: OrderRecord | null; result: T },
): Promise<T> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "Order" WHERE "shopId" = ${shopId} AND "id" = ${BigInt(orderId)} FOR UPDATE`;
    const row = await findOrder(tx, shopId, orderId);
    const { write, result } = update(row ? storedOrderRecord(row) : null);
    if (write) await tx.$queryRawUnsafe(UPSERT_SQL("always"), shopId, JSON.stringify([rowOf(write)]));
    return result;
  });
}

/**
 * The stored order has the record's updated_at but different content: two
 * states in the same second, which payloads alone cannot order.
 */
export async function isConflictingTie(db: Db, shopId: string, order: OrderRecord): Promise<boolean> {
  const stored = await findOrder(db, shopId, order.id);
  if (!stored || stored.shopifyUpdatedAt.getTime() !== order.shopifyUpdatedAt.getTime()) return false;
  return (
    stored.totalMinor !== BigInt(order.totalMinor) ||
    stored.refundedMinor !== BigInt(order.refundedMinor) ||
    (stored.cancelledAt === null) !== (order.cancelledAt === null) ||
    stored.itemQuantity !== order.itemQuantity ||
    String(stored.customerId ?? "") !== String(order.customerId ?? "")
  );
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
  "visitRecorded",
] as const;

const RECOMPUTE_COLUMNS = `id, "customerId", floor(date_part('epoch', "processedAt") * 1000)::bigint, "cancelledAt" IS NOT NULL,
  "fullyRefunded", "totalMinor", "subtotalMinor", "discountMinor", array_to_string("discountCodes", E'\\x1f'), "itemQuantity", "lineCount",
  array_to_string("productIds", E'\\x1f'), array_to_string("productTypes", E'\\x1f'), "avgUnitPriceMinor", "shippingMinor", "expressShipping",
  "utmSource", "utmMedium", "utmCampaign", "referrerDomain", "sourceName", "visitRecorded"`;

/**
 * Every order of the shop (optionally of customers in an id range, inclusive,
 * or of a list of customers: an index scan; and then with the guest orders too
 * if `range.withGuests`) as COPY text rows
 * of RECOMPUTE_ORDER_FIELDS, streamed: one sequential scan in the table's
 * physical order, never all rows in memory. `onRow` gets each row as
 * bytes[start, end), valid during the call.
 */
export function streamRecomputeOrders(
  client: PgClient,
  shopId: string,
  onRow: (bytes: Buffer, start: number, end: number) => void,
  range?: { from: string; to: string; withGuests?: boolean } | { ids: readonly string[]; withGuests?: boolean },
): Promise<number> {
  const shop = client.escapeLiteral(shopId);
  let inRange = "";
  if (range) {
    const selected =
      "ids" in range
        ? `"customerId" = ANY(${bigintArrayLiteral(range.ids)})`
        : `"customerId" BETWEEN ${BigInt(range.from)} AND ${BigInt(range.to)}`;
    inRange = range.withGuests ? ` AND (${selected} OR "customerId" IS NULL)` : ` AND ${selected}`;
  }
  return copyToSpans(
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
