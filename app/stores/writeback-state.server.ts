// What the write-back has sent to Shopify and what it still has to send:
// CustomerWriteback (per customer: hash of the metafield values last written,
// and the segment tags held back by Shopify's 250-tag cap), PendingMetafields
// (values a recompute computed and the write-back has not written yet), and
// SegmentMirror (segments mirrored as native Shopify customer segments).
import type { PrismaClient } from "@prisma/client";
import { unpackMetafieldValues, type MetafieldValue } from "../writeback/metafields";
import type { DataStore, Tx } from "./data-store";
import { BinaryCopyWriter } from "./pg/binary-copy";
import { copyFromBinary, copyString, copyToSpans, splitCopyRow } from "./pg/copy.server";
import { inTransaction, type PgClient } from "./pg/pool.server";

type Db = PrismaClient | Tx;

export interface PendingMetafieldRow {
  customerId: string;
  values: MetafieldValue[];
  hash: string;
}

/**
 * The values a chunk queues (packedMetafieldValues, with their hash), encoded
 * as COPY rows as they are added: a first recompute queues every customer's,
 * and 50,000 customers' packed strings kept until the chunk's end outlived the
 * young generation and were collected as old objects (docs/performance.md,
 * 2026-12-07 from 23:20 UTC).
 */
export class QueuedMetafieldRows {
  private readonly rows = new BinaryCopyWriter();
  private count = 0;

  constructor(readonly shopId: string) {}

  add(customerId: string, packed: string, hash: string): void {
    this.rows.row(4).text(this.shopId).int8(customerId).text(packed).text(hash);
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** The COPY payload; the rows cannot be added to afterwards. */
  payload(): BinaryCopyWriter {
    return this.rows;
  }
}

/** Metafield hashes last written, for customers with ids in the range (streamed as COPY rows, parsed from their bytes). */
export async function writtenMetafieldHashes(
  client: PgClient,
  shopId: string,
  range: { from: string; to: string },
): Promise<Map<string, string | null>> {
  const shop = client.escapeLiteral(shopId);
  const hashes = new Map<string, string | null>();
  const s = new Int32Array(2);
  const e = new Int32Array(2);
  await copyToSpans(
    client,
    `COPY (SELECT "customerId", "metafieldHash" FROM "CustomerWriteback"
           WHERE "shopId" = ${shop} AND "customerId" BETWEEN ${BigInt(range.from)} AND ${BigInt(range.to)}) TO STDOUT`,
    (row, start, end) => {
      splitCopyRow(row, s, e, start, end);
      hashes.set(row.toString("latin1", s[0], e[0]), copyString(row, s[1], e[1]));
    },
  );
  return hashes;
}

/**
 * Replaces the pending metafield values of `queued`'s shop for the customers
 * in the range (one transaction) with `queued`. The values come packed
 * (packedMetafieldValues) and are stored so, in PostgreSQL's binary COPY
 * format: no escaping on this side, no parsing on its.
 */
export async function replacePendingMetafields(
  client: PgClient,
  range: { from: string; to: string },
  queued: QueuedMetafieldRows,
): Promise<void> {
  return inTransaction(client, async () => {
    await client.query(
      `DELETE FROM "PendingMetafields" WHERE "shopId" = $1 AND "customerId" BETWEEN $2::bigint AND $3::bigint`,
      [queued.shopId, range.from, range.to],
    );
    if (queued.size) {
      await copyFromBinary(
        client,
        `COPY "PendingMetafields" ("shopId", "customerId", "values", hash) FROM STDIN (FORMAT binary)`,
        queued.payload(),
      );
    }
  });
}

/**
 * The pending metafield values (the shop's, or one customer's), by customer
 * id; `page` reads at most `limit` customers after the id `after`.
 */
export async function readPendingMetafields(
  client: PgClient,
  shopId: string,
  customerId?: string,
  page: { after?: string; limit?: number } = {},
): Promise<PendingMetafieldRow[]> {
  const { rows } = await client.query<[string, string, string]>({
    text: `SELECT "customerId"::text, "values", hash FROM "PendingMetafields" WHERE "shopId" = $1 ${
      customerId ? `AND "customerId" = ${BigInt(customerId)}` : ""
    } AND "customerId" > $2::bigint ORDER BY "customerId" ${page.limit ? `LIMIT ${Math.trunc(page.limit)}` : ""}`,
    values: [shopId, page.after ?? "-1"],
    rowMode: "array",
  });
  return rows.map(([id, values, hash]) => ({ customerId: id, values: unpackMetafieldValues(values), hash }));
}

/**
 * Records written metafield values: their hash per customer, and the pending
 * rows removed, but only rows still holding the written values (a newer
 * recompute may have queued others meanwhile).
 */
export async function recordWrittenMetafields(
  client: PgClient,
  shopId: string,
  written: ReadonlyArray<{ customerId: string; hash: string }>,
): Promise<void> {
  if (written.length === 0) return;
  const json = JSON.stringify(written.map((p) => ({ id: p.customerId, hash: p.hash })));
  await client.query(
    `INSERT INTO "CustomerWriteback" ("shopId", "customerId", "metafieldHash", "updatedAt")
     SELECT $1, u.id, u.hash, now() FROM jsonb_to_recordset($2::jsonb) AS u(id bigint, hash text)
     ON CONFLICT ("shopId", "customerId") DO UPDATE SET "metafieldHash" = EXCLUDED."metafieldHash", "updatedAt" = now()`,
    [shopId, json],
  );
  await client.query(
    `DELETE FROM "PendingMetafields" p USING jsonb_to_recordset($2::jsonb) AS u(id bigint, hash text)
     WHERE p."shopId" = $1 AND p."customerId" = u.id AND p.hash = u.hash`,
    [shopId, json],
  );
}

/** The tags held back by the 250-tag cap, per customer (shown to the merchant instead of written). */
export async function recordCappedTags(
  client: PgClient,
  shopId: string,
  rows: ReadonlyArray<{ id: string; capped: string[] }>,
): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO "CustomerWriteback" ("shopId", "customerId", "cappedTags", "updatedAt")
     SELECT $1, u.id, u.capped, now() FROM jsonb_to_recordset($2::jsonb) AS u(id bigint, capped text[])
     ON CONFLICT ("shopId", "customerId") DO UPDATE SET "cappedTags" = EXCLUDED."cappedTags", "updatedAt" = now()`,
    [shopId, JSON.stringify(rows)],
  );
}

export interface MirrorRow {
  segment: string;
  shopifyId: string;
  name: string;
  query: string;
}

export async function segmentMirrors(db: Db, shopId: string): Promise<MirrorRow[]> {
  return db.segmentMirror.findMany({
    where: { shopId },
    select: { segment: true, shopifyId: true, name: true, query: true },
  });
}

export async function saveSegmentMirror(db: Db, shopId: string, mirror: MirrorRow): Promise<void> {
  const { segment, ...rest } = mirror;
  await db.segmentMirror.upsert({
    where: { shopId_segment: { shopId, segment } },
    create: { shopId, segment, ...rest },
    update: rest,
  });
}

export async function deleteSegmentMirror(db: Db, shopId: string, segment: string): Promise<void> {
  await db.segmentMirror.deleteMany({ where: { shopId, segment } });
}

export const writebackStateStore: DataStore = {
  name: "writeback-state",
  tables: ["CustomerWriteback", "PendingMetafields", "SegmentMirror"],
  async eraseCustomer(tx, { shop, customerId }) {
    await tx.pendingMetafields.deleteMany({ where: { shopId: shop.id, customerId } });
    await tx.customerWriteback.deleteMany({ where: { shopId: shop.id, customerId } });
    // Segment mirrors are per segment, not per customer.
  },
  async eraseShop(tx, shop) {
    if (!shop.id) return;
    const where = { shopId: shop.id };
    await tx.pendingMetafields.deleteMany({ where });
    await tx.customerWriteback.deleteMany({ where });
    await tx.segmentMirror.deleteMany({ where });
  },
};
