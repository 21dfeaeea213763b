// The Customer table: what the app keeps of a customer (Shopify id, dates,
// email-marketing consent state, and the app's own tags with the count of all
// tags, which the write-back diff needs). Never names, emails or addresses.
import type { PrismaClient } from "@prisma/client";
import type { DataStore, Tx } from "./data-store";
import { bigintArrayLiteral, copyToSpans } from "./pg/copy.server";
import type { PgClient } from "./pg/pool.server";
import { TAG_WRITER_SETTING } from "./tag-sync.server";

type Db = PrismaClient | Tx;

/** A customer as the ingest mappers give it. */
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
  db: Db,
  shopId: string,
  tagPrefix: string,
  customers: readonly CustomerRecord[],
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
     SELECT $1, x."id", x."createdAt", x."updatedAt", x."appTags", x."tagCount", x."emailMarketing", now()
     FROM jsonb_to_recordset($2::jsonb) AS x("id" bigint, "createdAt" timestamptz, "updatedAt" timestamptz, "hasTags" boolean,
            "appTags" text[], "tagCount" int, "emailMarketing" text)
     ON CONFLICT ("shopId","id") DO UPDATE SET
       "shopifyCreatedAt" = COALESCE(EXCLUDED."shopifyCreatedAt", c."shopifyCreatedAt"),
       "shopifyUpdatedAt" = GREATEST(EXCLUDED."shopifyUpdatedAt", c."shopifyUpdatedAt"),
       "appTags" = CASE WHEN (SELECT x2."hasTags" FROM jsonb_to_recordset($2::jsonb) AS x2("id" bigint, "hasTags" boolean) WHERE x2."id" = EXCLUDED."id" LIMIT 1)
                   THEN EXCLUDED."appTags" ELSE c."appTags" END,
       "tagCount" = CASE WHEN (SELECT x2."hasTags" FROM jsonb_to_recordset($2::jsonb) AS x2("id" bigint, "hasTags" boolean) WHERE x2."id" = EXCLUDED."id" LIMIT 1)
                   THEN EXCLUDED."tagCount" ELSE c."tagCount" END,
       "emailMarketing" = COALESCE(EXCLUDED."emailMarketing", c."emailMarketing"),
       "deletedAt" = NULL,
       "updatedAt" = now()`,
    shopId,
    JSON.stringify(rows),
  );
}

/** customers/delete: the customer is kept as deleted (its orders stay), without the app's tags. */
export async function markCustomerDeleted(db: Db, shopId: string, customerId: bigint): Promise<void> {
  await db.customer.updateMany({ where: { shopId, id: customerId }, data: { deletedAt: new Date(), appTags: [] } });
}

/** The app tags and tag count after a write-back, per customer (rows created if missing). */
export async function recordAppliedTags(
  client: PgClient,
  shopId: string,
  rows: ReadonlyArray<{ id: string; tags: string[]; count: number }>,
): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    // The write-back's own record leaves the customers in sync: the tag sync log's triggers skip it (ADR 066). The
    // setting is local to the transaction: this statement's own when it runs alone.
    `INSERT INTO "Customer" ("shopId", id, "appTags", "tagCount", "updatedAt")
     SELECT $1, u.id, u.tags, u.count, now()
     FROM jsonb_to_recordset($2::jsonb) AS u(id bigint, tags text[], count int),
       (SELECT set_config('${TAG_WRITER_SETTING}', 'on', true)) AS writer
     ON CONFLICT ("shopId", id) DO UPDATE SET "appTags" = EXCLUDED."appTags", "tagCount" = EXCLUDED."tagCount", "updatedAt" = now()`,
    [shopId, JSON.stringify(rows)],
  );
}

/** True while some customer still carries a tag under one of `prefixes` (compared without case). */
export async function anyCustomerTagUnder(
  client: PgClient,
  shopId: string,
  prefixes: readonly string[],
): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM "Customer", unnest("appTags") t WHERE "shopId" = $1
       AND EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE lower(t) LIKE lower(p) || '%') LIMIT 1`,
    [shopId, prefixes],
  );
  return rows.length > 0;
}

/**
 * Live customers' app tags (joined by U+001F, as memberships.server's keyOf
 * joins a list: cheaper than pg's array parser) and tag counts (settings dry run).
 */
export async function customerTagRows(client: PgClient, shopId: string): Promise<Array<[string, string, number]>> {
  const { rows } = await client.query<[string, string, number]>({
    text: `SELECT id::text, array_to_string("appTags", E'\\x1f'), "tagCount" FROM "Customer" WHERE "shopId" = $1 AND "deletedAt" IS NULL`,
    values: [shopId],
    rowMode: "array",
  });
  return rows;
}

export function findCustomer(db: Db, shopId: string, customerId: bigint) {
  return db.customer.findUnique({ where: { shopId_id: { shopId, id: customerId } } });
}

/** Live customer ids (sizing hint for a recompute). */
export async function countLiveCustomers(client: PgClient, shopId: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::float8 AS n FROM "Customer" WHERE "shopId" = $1 AND "deletedAt" IS NULL`,
    [shopId],
  );
  return rows[0].n;
}

/**
 * The ids of the live customers at these ranks (0-based, in id order): split
 * points for reading a shop in customer ranges. Each is one walk of the
 * primary key (an index-only scan), no sort.
 */
export async function customerIdsAtRanks(
  client: PgClient,
  shopId: string,
  ranks: readonly number[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const rank of ranks) {
    const { rows } = await client.query<[string]>({
      text: `SELECT id::text FROM "Customer" WHERE "shopId" = $1 AND "deletedAt" IS NULL ORDER BY id OFFSET $2 LIMIT 1`,
      values: [shopId, Math.trunc(rank)],
      rowMode: "array",
    });
    if (rows.length) ids.push(rows[0][0]);
  }
  return ids;
}

/**
 * Live customers' ids in id order (the primary key's order, no sort), one
 * COPY row of digits each (bytes[start, end), valid during the call),
 * optionally within an id range (inclusive).
 */
export function streamCustomerIds(
  client: PgClient,
  shopId: string,
  onRow: (bytes: Buffer, start: number, end: number) => void,
  range?: { from: string; to: string } | { ids: readonly string[] },
): Promise<number> {
  const shop = client.escapeLiteral(shopId);
  const inRange = !range
    ? ""
    : "ids" in range
      ? ` AND id = ANY(${bigintArrayLiteral(range.ids)})`
      : ` AND id BETWEEN ${BigInt(range.from)} AND ${BigInt(range.to)}`;
  return copyToSpans(
    client,
    `COPY (SELECT id FROM "Customer" WHERE "shopId" = ${shop} AND "deletedAt" IS NULL${inRange} ORDER BY id) TO STDOUT`,
    onRow,
  );
}

export const customersStore: DataStore = {
  name: "customers",
  tables: ["Customer"],
  async eraseCustomer(tx, { shop, customerId }) {
    await tx.customer.deleteMany({ where: { shopId: shop.id, id: customerId } });
  },
  async eraseShop(tx, shop) {
    if (shop.id) await tx.customer.deleteMany({ where: { shopId: shop.id } });
  },
};
