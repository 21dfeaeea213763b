// Segment discounts (app/act): the app's record of each discount
// (SegmentDiscount) and who of its segments was treated or held out, when
// (DiscountGroupMembership). Group rows are written as differences: a
// customer's row stays open (until NULL) while they stay in the same group;
// leaving the discount's segments, or switching group when the hold-out share
// changes, closes it, and a new row opens.
import { Prisma, type PrismaClient } from "@prisma/client";
import type { CombinesWith, DiscountMethod, RewardChoice } from "../act/discount-form";
import type { DiscountNotice } from "../act/discount-display";
import type { DataStore, Tx } from "./data-store";
import { BinaryCopyWriter } from "./pg/binary-copy";
import { copyFromBinary, copyString, copyTo, splitCopyRow } from "./pg/copy.server";
import type { PgClient } from "./pg/pool.server";

type Db = PrismaClient | Tx;

export type DiscountStatus = "active" | "paused" | "deleted";
export type PausedReason = "merchant" | "segments-unavailable";
export type DiscountGroup = "treated" | "holdout";

export interface SegmentDiscountRecord {
  id: string;
  shopId: string;
  shopifyId: string | null;
  method: DiscountMethod;
  code: string | null;
  title: string;
  segments: string[];
  reward: RewardChoice;
  minimumSubtotal: string | null;
  combinesWith: CombinesWith;
  holdoutPercentage: number;
  message: string | null;
  startsAt: Date;
  endsAt: Date | null;
  status: DiscountStatus;
  pausedReason: PausedReason | null;
  notice: DiscountNotice | null;
  configurationHash: string | null;
  createdAt: Date;
  updatedAt: Date;
}

type Row = Prisma.SegmentDiscountGetPayload<object>;

function fromRow(row: Row): SegmentDiscountRecord {
  return {
    id: row.id,
    shopId: row.shopId,
    shopifyId: row.shopifyId,
    method: row.method as DiscountMethod,
    code: row.code,
    title: row.title,
    segments: row.segments,
    reward: row.reward as unknown as RewardChoice,
    minimumSubtotal: row.minimumSubtotal,
    combinesWith: row.combinesWith as unknown as CombinesWith,
    holdoutPercentage: row.holdoutPercentage,
    message: row.message,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    status: row.status as DiscountStatus,
    pausedReason: row.pausedReason as PausedReason | null,
    notice: (row.notice ?? null) as DiscountNotice | null,
    configurationHash: row.configurationHash,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The shop's discount with this id, unless deleted; null for another shop's id. */
export async function findSegmentDiscount(db: Db, shopId: string, id: string): Promise<SegmentDiscountRecord | null> {
  const row = await db.segmentDiscount.findFirst({ where: { id, shopId, status: { not: "deleted" } } });
  return row ? fromRow(row) : null;
}

/** The shop's discounts that are not deleted, newest first. */
export async function listSegmentDiscounts(db: Db, shopId: string): Promise<SegmentDiscountRecord[]> {
  const rows = await db.segmentDiscount.findMany({
    where: { shopId, status: { not: "deleted" } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  return rows.map(fromRow);
}

export type NewSegmentDiscount = Omit<SegmentDiscountRecord, "createdAt" | "updatedAt">;

export async function insertSegmentDiscount(db: Db, record: NewSegmentDiscount): Promise<SegmentDiscountRecord> {
  const row = await db.segmentDiscount.create({ data: toData(record) as Prisma.SegmentDiscountUncheckedCreateInput });
  return fromRow(row);
}

export type SegmentDiscountPatch = Partial<Omit<SegmentDiscountRecord, "id" | "shopId" | "createdAt" | "updatedAt">>;

export async function updateSegmentDiscount(
  db: Db,
  shopId: string,
  id: string,
  patch: SegmentDiscountPatch,
): Promise<void> {
  const { count } = await db.segmentDiscount.updateMany({
    where: { id, shopId },
    data: toData(patch) as Prisma.SegmentDiscountUncheckedUpdateManyInput,
  });
  if (count !== 1) throw new Error(`No segment discount ${id} in shop ${shopId}`);
}

function toData(record: SegmentDiscountPatch & { id?: string; shopId?: string }) {
  const data: Record<string, unknown> = { ...record };
  // A JSON column is cleared with DbNull (a plain null would be refused).
  if ("notice" in record) data.notice = record.notice === null ? Prisma.DbNull : record.notice;
  if (record.status === "deleted") data.deletedAt = new Date();
  return data;
}

// ---------------------------------------------------------------------------
// Hold-out groups.

export interface GroupChanges {
  /** Rows opened: customers who entered a group. */
  entered: number;
  /** Rows closed: customers who left a group. */
  left: number;
}

/** One customer of a discount's segments and the group the hold-out split puts them in. */
export interface GroupAssignment {
  discountId: string;
  customerId: string;
  group: DiscountGroup;
}

/**
 * Brings the open group rows of `discountIds` in line with `current` (the
 * complete current assignment of those discounts): rows that no longer hold
 * are closed at `at`, new ones opened at `at`. Discounts listed but absent
 * from `current` get all their rows closed. One transaction; run twice with
 * the same input, the second run changes nothing.
 */
export async function replaceDiscountGroups(
  client: PgClient,
  shopId: string,
  discountIds: readonly string[],
  current: Iterable<GroupAssignment>,
  at: Date,
): Promise<GroupChanges> {
  if (discountIds.length === 0) return { entered: 0, left: 0 };
  const staged = new BinaryCopyWriter();
  let rows = 0;
  for (const a of current) {
    staged.row(3).text(a.discountId).int8(a.customerId).text(a.group);
    rows++;
  }
  await client.query("BEGIN");
  try {
    await client.query(
      `CREATE TEMP TABLE IF NOT EXISTS discount_group_stage ("discountId" text, "customerId" bigint, "group" text) ON COMMIT DELETE ROWS`,
    );
    // Indexed, so closing rows is a lookup per open row whatever plan the
    // statistics of a young DiscountGroupMembership table lead to.
    await client.query(
      `CREATE INDEX IF NOT EXISTS discount_group_stage_key ON discount_group_stage ("customerId", "discountId")`,
    );
    if (rows > 0) await copyFromBinary(client, `COPY discount_group_stage FROM STDIN (FORMAT binary)`, staged);
    await client.query(`ANALYZE discount_group_stage`);
    const closed = await client.query(
      `UPDATE "DiscountGroupMembership" m SET "until" = $3
       WHERE m."shopId" = $1 AND m."discountId" = ANY($2::text[]) AND m."until" IS NULL
         AND NOT EXISTS (SELECT 1 FROM discount_group_stage s
                         WHERE s."discountId" = m."discountId" AND s."customerId" = m."customerId" AND s."group" = m."group")`,
      [shopId, discountIds, at],
    );
    const opened = await client.query(
      `INSERT INTO "DiscountGroupMembership" ("shopId", "discountId", "customerId", "group", "since")
       SELECT $1, s."discountId", s."customerId", s."group", $2 FROM discount_group_stage s
       WHERE NOT EXISTS (SELECT 1 FROM "DiscountGroupMembership" m
                         WHERE m."shopId" = $1 AND m."discountId" = s."discountId" AND m."customerId" = s."customerId"
                           AND m."group" = s."group" AND m."until" IS NULL)`,
      [shopId, at],
    );
    await client.query("COMMIT");
    return { entered: opened.rowCount ?? 0, left: closed.rowCount ?? 0 };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/** Closes every open group row of a discount (paused, deleted, ended). */
export async function closeDiscountGroups(db: Db, shopId: string, discountId: string, at: Date): Promise<number> {
  const { count } = await db.discountGroupMembership.updateMany({
    where: { shopId, discountId, until: null },
    data: { until: at },
  });
  return count;
}

/** Open rows per discount and group: how many customers are treated and held out now. */
export async function openGroupCounts(
  db: Db,
  shopId: string,
): Promise<Map<string, { treated: number; holdout: number }>> {
  const rows = await db.discountGroupMembership.groupBy({
    by: ["discountId", "group"],
    where: { shopId, until: null },
    _count: { _all: true },
  });
  const out = new Map<string, { treated: number; holdout: number }>();
  for (const row of rows) {
    const counts = out.get(row.discountId) ?? { treated: 0, holdout: 0 };
    if (row.group === "holdout") counts.holdout = row._count._all;
    else counts.treated = row._count._all;
    out.set(row.discountId, counts);
  }
  return out;
}

/** A discount's group rows (open and closed), for readers and tests. */
export function discountGroupRows(db: Db, shopId: string, discountId: string) {
  return db.discountGroupMembership.findMany({
    where: { shopId, discountId },
    orderBy: [{ customerId: "asc" }, { since: "asc" }, { id: "asc" }],
  });
}

/**
 * Streams the customers whose stored memberships include one of `segmentKeys`
 * (SegmentMembership, read-only), with their segment keys.
 */
export async function streamSegmentMembers(
  client: PgClient,
  shopId: string,
  segmentKeys: readonly string[],
  onMember: (customerId: string, segments: string[]) => void,
): Promise<number> {
  if (segmentKeys.length === 0) return 0;
  const escape = (value: string) => (client as { escapeLiteral(v: string): string }).escapeLiteral(value);
  const keys = `ARRAY[${segmentKeys.map(escape).join(",")}]::text[]`;
  const starts = new Int32Array(2);
  const ends = new Int32Array(2);
  return copyTo(
    client,
    `COPY (SELECT "customerId", array_to_string(segments, E'\\x1f') FROM "SegmentMembership"
           WHERE "shopId" = ${escape(shopId)} AND segments && ${keys}) TO STDOUT`,
    (row) => {
      splitCopyRow(row, starts, ends);
      const segments = copyString(row, starts[1], ends[1]) ?? "";
      onMember(copyString(row, starts[0], ends[0])!, segments === "" ? [] : segments.split("\x1f"));
    },
  );
}

export const discountsStore: DataStore = {
  name: "discounts",
  tables: ["SegmentDiscount", "DiscountGroupMembership"],
  async eraseCustomer(tx, { shop, customerId }) {
    // A discount's record names segments, not customers.
    await tx.discountGroupMembership.deleteMany({ where: { shopId: shop.id, customerId } });
  },
  async eraseShop(tx, shop) {
    if (!shop.id) return;
    await tx.discountGroupMembership.deleteMany({ where: { shopId: shop.id } });
    await tx.segmentDiscount.deleteMany({ where: { shopId: shop.id } });
  },
};
