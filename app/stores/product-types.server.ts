// The ProductType table: each product's type, per shop. REST line items (the
// order webhooks) carry no product type while the bulk export's do; the
// webhook path looks a product up once and remembers it here, so an order
// stored from its webhook has the same product types as from the export.
import type { PrismaClient } from "@prisma/client";
import type { DataStore, Tx } from "./data-store";

type Db = PrismaClient | Tx;

/** The known types of these products (product id -> type; "" = the product has no type). */
export async function findProductTypes(
  db: Db,
  shopId: string,
  productIds: readonly string[],
): Promise<Map<string, string>> {
  if (productIds.length === 0) return new Map();
  const rows = await db.productType.findMany({
    where: { shopId, productId: { in: productIds.map((id) => BigInt(id)) } },
    select: { productId: true, productType: true },
  });
  return new Map(rows.map((row) => [String(row.productId), row.productType]));
}

/** Remembers product types (the latest wins: a merchant may change a product's type). */
export async function rememberProductTypes(db: Db, shopId: string, types: ReadonlyMap<string, string>): Promise<void> {
  if (types.size === 0) return;
  await db.$executeRawUnsafe(
    `INSERT INTO "ProductType" ("shopId", "productId", "productType", "updatedAt")
     SELECT $1, x.id, x.type, now() FROM jsonb_to_recordset($2::jsonb) AS x(id bigint, type text)
     ON CONFLICT ("shopId", "productId") DO UPDATE SET "productType" = EXCLUDED."productType", "updatedAt" = now()
     WHERE "ProductType"."productType" IS DISTINCT FROM EXCLUDED."productType"`,
    shopId,
    JSON.stringify([...types].map(([id, type]) => ({ id, type }))),
  );
}

export const productTypesStore: DataStore = {
  name: "product-types",
  tables: ["ProductType"],
  async eraseCustomer() {
    // Product types describe the shop's catalogue, not any customer.
  },
  async eraseShop(tx, shop) {
    if (shop.id) await tx.productType.deleteMany({ where: { shopId: shop.id } });
  },
};
