import type { Prisma } from "@prisma/client";

/** A shop as the privacy work sees it: its row may already be gone (shop/redact after a failed install). */
export interface ShopRef {
  /** Shop.id, or null when the shop has no row. */
  id: string | null;
  domain: string;
}

export interface CustomerRef {
  shop: { id: string; domain: string };
  customerId: bigint;
  /** Orders Shopify names in customers/redact (orders_to_redact), which may no longer carry the customer. */
  orderIds: readonly bigint[];
}

export type Tx = Prisma.TransactionClient;

/**
 * One store per table family. A store owns every statement on its tables
 * (through Prisma or COPY) and knows how to erase a customer's and a shop's
 * data from them. The privacy service (app/privacy) erases by looping over
 * every store, in one transaction; tests/privacy/catalog.test.ts fails when a
 * table that holds shop or customer data is owned by no store.
 */
export interface DataStore {
  name: string;
  /** The tables this store owns, as PostgreSQL names them ("Order"). */
  tables: readonly string[];
  /** customers/redact: nothing left that mentions the customer (orders may stay, anonymised). */
  eraseCustomer(tx: Tx, customer: CustomerRef): Promise<void>;
  /** shop/redact: nothing left of the shop. */
  eraseShop(tx: Tx, shop: ShopRef): Promise<void>;
}

/** Rows one retention statement deletes at most: each DELETE is its own short transaction. */
export const PRUNE_BATCH = 5_000;

/**
 * Runs a batched delete until it deletes fewer rows than a batch; returns the
 * total. Each call of `deleteBatch` is one statement, so no lock is held for
 * longer than one batch takes.
 */
export async function deleteInBatches(deleteBatch: (limit: number) => Promise<number>, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deleteBatch(batch);
    total += n;
    if (n < batch) return total;
  }
}
