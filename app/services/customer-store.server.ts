import type { PrismaClient } from "@prisma/client";

/** What the app keeps of a customer: id, dates, consent state, and its own tags. */
export interface CustomerRecord {
  id: string;
  shopifyCreatedAt: Date | null;
  shopifyUpdatedAt: Date | null;
  /** All of the customer's tags as Shopify reports them; only those under the app's prefix are stored. */
  tags?: string[];
  emailMarketing: string | null;
}

/**
 * Upserts customers. Only tags under the app's prefix are stored (plus the
 * count of all tags, for Shopify's 250-tag cap); when `tags` is absent (the
 * customer webhooks of API 2025-01+ carry none) the stored tags are kept.
 */
export async function upsertCustomers(
  db: PrismaClient,
  shopId: string,
  tagPrefix: string,
  customers: CustomerRecord[],
): Promise<number> {
  if (customers.length === 0) return 0;
  const rows = customers.map((customer) => ({
    id: customer.id,
    createdAt: customer.shopifyCreatedAt?.toISOString() ?? null,
    updatedAt: customer.shopifyUpdatedAt?.toISOString() ?? null,
    hasTags: customer.tags !== undefined,
    appTags: (customer.tags ?? []).filter((tag) => tag.startsWith(tagPrefix)),
    tagCount: customer.tags?.length ?? 0,
    emailMarketing: customer.emailMarketing,
  }));
  return db.$executeRawUnsafe(
    `INSERT INTO "Customer" AS c ("shopId","id","shopifyCreatedAt","shopifyUpdatedAt","appTags","tagCount","emailMarketing","updatedAt")
     SELECT $1, x."id"::bigint, x."createdAt", x."updatedAt", ARRAY(SELECT jsonb_array_elements_text(x."appTags")),
            x."tagCount", x."emailMarketing", now()
     FROM jsonb_to_recordset($2::jsonb) AS x("id" text, "createdAt" timestamptz, "updatedAt" timestamptz, "hasTags" boolean,
            "appTags" jsonb, "tagCount" int, "emailMarketing" text)
     ON CONFLICT ("shopId","id") DO UPDATE SET
       "shopifyCreatedAt" = COALESCE(EXCLUDED."shopifyCreatedAt", c."shopifyCreatedAt"),
       "shopifyUpdatedAt" = GREATEST(EXCLUDED."shopifyUpdatedAt", c."shopifyUpdatedAt"),
       "appTags" = CASE WHEN (SELECT x2."hasTags" FROM jsonb_to_recordset($2::jsonb) AS x2("id" text, "hasTags" boolean) WHERE x2."id"::bigint = EXCLUDED."id" LIMIT 1)
                   THEN EXCLUDED."appTags" ELSE c."appTags" END,
       "tagCount" = CASE WHEN (SELECT x2."hasTags" FROM jsonb_to_recordset($2::jsonb) AS x2("id" text, "hasTags" boolean) WHERE x2."id"::bigint = EXCLUDED."id" LIMIT 1)
                   THEN EXCLUDED."tagCount" ELSE c."tagCount" END,
       "emailMarketing" = COALESCE(EXCLUDED."emailMarketing", c."emailMarketing"),
       "deletedAt" = NULL,
       "updatedAt" = now()`,
    shopId,
    JSON.stringify(rows),
  );
}
