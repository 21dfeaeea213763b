// DataRequest: the answer to a customers/data_request (everything the app
// holds for one customer), kept for the merchant to download.
import type { PrismaClient } from "@prisma/client";
import { deleteInBatches, PRUNE_BATCH, type DataStore, type Tx } from "./data-store";

type Db = PrismaClient | Tx;

export async function saveDataRequest(
  db: Db,
  input: { shopDomain: string; customerId: bigint; record: object },
): Promise<string> {
  const row = await db.dataRequest.create({ data: { ...input, record: input.record as never } });
  return row.id;
}

/** Retention: the shop's data requests received before `before`, `batch` per statement. */
export function pruneDataRequests(db: Db, shopDomain: string, before: Date, batch = PRUNE_BATCH): Promise<number> {
  return deleteInBatches(
    (limit) => db.$executeRaw`
      DELETE FROM "DataRequest" WHERE id IN (
        SELECT id FROM "DataRequest"
        WHERE "shopDomain" = ${shopDomain} AND "requestedAt" < (${before.toISOString()}::timestamptz AT TIME ZONE 'UTC')
        LIMIT ${limit})`,
    batch,
  );
}

export const dataRequestsStore: DataStore = {
  name: "data-requests",
  tables: ["DataRequest"],
  async eraseCustomer(tx, { shop, customerId }) {
    await tx.dataRequest.deleteMany({ where: { shopDomain: shop.domain, customerId } });
  },
  async eraseShop(tx, shop) {
    await tx.dataRequest.deleteMany({ where: { shopDomain: shop.domain } });
  },
};
