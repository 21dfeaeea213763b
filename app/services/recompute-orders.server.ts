// Stored orders -> the engine's EngineOrder, read straight from PostgreSQL in
// big keyset-paginated batches (array rows, no per-row objects from pg).
import type { EngineOrder } from "../segmentation";
import type { PgClient } from "./recompute-pg.server";

const COLUMNS = `id, "customerId", (extract(epoch from "processedAt") * 1000)::float8, "cancelledAt" IS NOT NULL,
  "fullyRefunded", "totalMinor", "subtotalMinor", "discountMinor", array_to_string("discountCodes", E'\x1f'), "itemQuantity", "lineCount",
  array_to_string("productIds", E'\x1f'), array_to_string("productTypes", E'\x1f'), "avgUnitPriceMinor", "shippingMinor", "expressShipping",
  "utmSource", "utmMedium", "utmCampaign", "referrerDomain", "sourceName"`;

// Arrays come joined with the unit separator (U+001F): splitting a string is
// much cheaper than pg's array parser, and most arrays are empty.
type OrderRow = [
  string, string | null, number, boolean, boolean, number, number | null, number | null, string,
  number | null, number | null, string, string, number | null, number | null, boolean | null,
  string | null, string | null, string | null, string | null, string | null,
];

const SEPARATOR = "\x1f";

/** Maps one stored order; null numeric columns mean "not provided by the source". */
export function engineOrderFromRow(r: OrderRow): EngineOrder {
  const journey = r[16] !== null || r[17] !== null || r[18] !== null || r[19] !== null || r[20] !== null;
  return {
    id: r[0],
    customerId: r[1],
    processedAt: r[2],
    cancelled: r[3],
    fullyRefunded: r[4],
    totalMinor: r[5],
    subtotalMinor: r[6] ?? undefined,
    discountMinor: r[7] ?? undefined,
    discountCodes: r[8] === "" ? [] : r[8].split(SEPARATOR),
    itemQuantity: r[9] ?? undefined,
    lineCount: r[10] ?? undefined,
    productIds: r[11] === "" ? undefined : r[11].split(SEPARATOR),
    productTypes: r[12] === "" ? undefined : r[12].split(SEPARATOR),
    avgUnitPriceMinor: r[13] ?? undefined,
    shippingMinor: r[14] ?? undefined,
    expressShipping: r[15] ?? undefined,
    ...(journey
      ? { utmSource: r[16], utmMedium: r[17], utmCampaign: r[18], referrerDomain: r[19], sourceName: r[20] }
      : {}),
  };
}

/** Every order of the shop, in batches of `batchSize`, by order id. */
export async function forEachShopOrderBatch(
  client: PgClient,
  shopId: string,
  onBatch: (orders: EngineOrder[]) => void | Promise<void>,
  batchSize = 50_000,
): Promise<number> {
  let after = "-1";
  let total = 0;
  for (;;) {
    const { rows } = await client.query<OrderRow>({
      text: `SELECT ${COLUMNS} FROM "Order" WHERE "shopId" = $1 AND id > $2::bigint ORDER BY id LIMIT ${batchSize}`,
      values: [shopId, after],
      rowMode: "array",
    });
    if (rows.length === 0) return total;
    total += rows.length;
    await onBatch(rows.map(engineOrderFromRow));
    after = rows[rows.length - 1][0];
    if (rows.length < batchSize) return total;
  }
}

/** Orders of the customers whose ids are in [fromId, toId] (inclusive), grouped by customer. */
export async function ordersOfCustomerRange(client: PgClient, shopId: string, fromId: string, toId: string): Promise<EngineOrder[]> {
  const { rows } = await client.query<OrderRow>({
    text: `SELECT ${COLUMNS} FROM "Order" WHERE "shopId" = $1 AND "customerId" BETWEEN $2::bigint AND $3::bigint`,
    values: [shopId, fromId, toId],
    rowMode: "array",
  });
  return rows.map(engineOrderFromRow);
}

export async function ordersOfCustomer(client: PgClient, shopId: string, customerId: string): Promise<EngineOrder[]> {
  return ordersOfCustomerRange(client, shopId, customerId, customerId);
}
