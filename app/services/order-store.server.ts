import type { PrismaClient } from "@prisma/client";
import type { OrderRecord } from "../sync/order-record";

/**
 * Writes orders keyed by (shop, Shopify id). A payload not newer than the
 * stored row (by Shopify's updated_at) is ignored, so duplicate and
 * out-of-order deliveries end in the latest state. Returns the rows that were
 * inserted or changed (a reconciliation counts them as repairs). Batches go through one statement
 * (jsonb_to_recordset) to keep a 50,000-order backfill fast.
 */
export async function upsertOrders(
  db: PrismaClient,
  shopId: string,
  orders: OrderRecord[],
  options: { replaceOnTie?: boolean } = {},
): Promise<Array<{ id: bigint; customerId: bigint | null }>> {
  if (orders.length === 0) return [];
  const rows = orders.map((order) => ({
    ...order,
    processedAt: order.processedAt.toISOString(),
    cancelledAt: order.cancelledAt?.toISOString() ?? null,
    shopifyUpdatedAt: order.shopifyUpdatedAt.toISOString(),
  }));
  return db.$queryRawUnsafe(
    `INSERT INTO "Order" AS o ("shopId","id","customerId","processedAt","cancelledAt","shopifyUpdatedAt","currency",
        "totalMinor","subtotalMinor","discountMinor","refundedMinor","fullyRefunded","discountCodes","itemQuantity",
        "lineCount","productIds","productTypes","avgUnitPriceMinor","shippingMinor","expressShipping","utmSource",
        "utmMedium","utmCampaign","referrerDomain","sourceName","syncedAt")
     SELECT $1, x."id"::bigint, x."customerId"::bigint, x."processedAt", x."cancelledAt", x."shopifyUpdatedAt", x."currency",
        x."totalMinor", x."subtotalMinor", x."discountMinor", x."refundedMinor", x."fullyRefunded",
        ARRAY(SELECT jsonb_array_elements_text(x."discountCodes")), x."itemQuantity", x."lineCount",
        ARRAY(SELECT jsonb_array_elements_text(x."productIds")::bigint), ARRAY(SELECT jsonb_array_elements_text(x."productTypes")),
        x."avgUnitPriceMinor", x."shippingMinor", x."expressShipping", x."utmSource", x."utmMedium", x."utmCampaign",
        x."referrerDomain", x."sourceName", now()
     FROM jsonb_to_recordset($2::jsonb) AS x("id" text, "customerId" text, "processedAt" timestamptz, "cancelledAt" timestamptz,
        "shopifyUpdatedAt" timestamptz, "currency" text, "totalMinor" int, "subtotalMinor" int, "discountMinor" int,
        "refundedMinor" int, "fullyRefunded" boolean, "discountCodes" jsonb, "itemQuantity" int, "lineCount" int,
        "productIds" jsonb, "productTypes" jsonb, "avgUnitPriceMinor" int, "shippingMinor" int, "expressShipping" boolean,
        "utmSource" text, "utmMedium" text, "utmCampaign" text, "referrerDomain" text, "sourceName" text)
     ON CONFLICT ("shopId","id") DO UPDATE SET
        "customerId" = EXCLUDED."customerId", "processedAt" = EXCLUDED."processedAt", "cancelledAt" = EXCLUDED."cancelledAt",
        "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt", "currency" = EXCLUDED."currency", "totalMinor" = EXCLUDED."totalMinor",
        "subtotalMinor" = EXCLUDED."subtotalMinor", "discountMinor" = EXCLUDED."discountMinor",
        "refundedMinor" = EXCLUDED."refundedMinor", "fullyRefunded" = EXCLUDED."fullyRefunded",
        "discountCodes" = EXCLUDED."discountCodes", "itemQuantity" = EXCLUDED."itemQuantity", "lineCount" = EXCLUDED."lineCount",
        "productIds" = EXCLUDED."productIds", "productTypes" = EXCLUDED."productTypes",
        "avgUnitPriceMinor" = EXCLUDED."avgUnitPriceMinor", "shippingMinor" = EXCLUDED."shippingMinor",
        "expressShipping" = EXCLUDED."expressShipping", "utmSource" = EXCLUDED."utmSource", "utmMedium" = EXCLUDED."utmMedium",
        "utmCampaign" = EXCLUDED."utmCampaign", "referrerDomain" = EXCLUDED."referrerDomain",
        "sourceName" = EXCLUDED."sourceName", "syncedAt" = now()
     -- Newer wins. Shopify's updated_at has one-second precision, so two
     -- changes in the same second tie; then the further-advanced state wins
     -- (cancelled over open, more refunded over less), which never regresses.
     -- A state fetched from the API just now may replace a tie (replaceOnTie).
     WHERE (o."shopifyUpdatedAt", o."cancelledAt" IS NOT NULL, o."refundedMinor")
         ${options.replaceOnTie ? "<=" : "<"} (EXCLUDED."shopifyUpdatedAt", EXCLUDED."cancelledAt" IS NOT NULL, EXCLUDED."refundedMinor")
     RETURNING o."id", o."customerId"`,
    shopId,
    JSON.stringify(rows),
  );
}
