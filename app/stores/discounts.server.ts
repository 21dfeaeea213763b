// Segment discounts (app/act): the app's record of each discount
// (SegmentDiscount) and who of its segments was treated or held out, when
// (DiscountGroupMembership). Group rows are written as differences: a
// customer's row stays open (until NULL) while they stay in the same group;
// leaving the discount's segments, or switching group when the hold-out share
// changes, closes it, and a new row opens. The act step reads the open rows,
// compares them with the current split, and writes only what changed.
import { Prisma, type PrismaClient } from "@prisma/client";
import type { CombinesWith, DiscountMethod, RewardChoice } from "../act/discount-form";
import type { DiscountNotice } from "../act/discount-display";
import type { DataStore, Tx } from "./data-store";
import { BinaryCopyWriter } from "./pg/binary-copy";
import { copyFromBinary, copyString, copyTo, splitCopyRow } from "./pg/copy.server";
import { inTransaction, type PgClient } from "./pg/pool.server";

type Db = PrismaClient | Tx;

export type DiscountStatus = "active" | "paused" | "deleted";
export type PausedReason = "merchant" | "segments-unavailable" | "plan-lapsed";
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

/** A discount's open group rows (until NULL), by customer id: the row's id and group. */
export async function openDiscountGroups(
  client: PgClient,
  shopId: string,
  discountId: string,
): Promise<Map<string, { rowId: string; group: DiscountGroup }>> {
  const escape = (value: string) => client.escapeLiteral(value);
  const open = new Map<string, { rowId: string; group: DiscountGroup }>();
  const starts = new Int32Array(3);
  const ends = new Int32Array(3);
  await copyTo(
    client,
    `COPY (SELECT "customerId", id, "group" FROM "DiscountGroupMembership"
           WHERE "shopId" = ${escape(shopId)} AND "discountId" = ${escape(discountId)} AND "until" IS NULL) TO STDOUT`,
    (row) => {
      splitCopyRow(row, starts, ends);
      open.set(copyString(row, starts[0], ends[0])!, {
        rowId: copyString(row, starts[1], ends[1])!,
        group: copyString(row, starts[2], ends[2]) as DiscountGroup,
      });
    },
  );
  return open;
}

/**
 * Writes the differences the act step found, in one transaction: the rows in
 * `close` (ids of open rows) end at `at`, the `open` assignments start at
 * `at`. Rows are opened only for discounts still active when the transaction
 * starts (their rows are locked meanwhile), so a pause or delete the merchant
 * made during the act step is never undone by it.
 */
export async function applyDiscountGroupChanges(
  client: PgClient,
  shopId: string,
  changes: { close: readonly string[]; open: readonly GroupAssignment[] },
  at: Date,
): Promise<GroupChanges> {
  if (changes.close.length === 0 && changes.open.length === 0) return { entered: 0, left: 0 };
  return inTransaction(client, async () => {
    let left = 0;
    for (let i = 0; i < changes.close.length; i += 50_000) {
      const ids = changes.close.slice(i, i + 50_000);
      const closed = await client.query(
        `UPDATE "DiscountGroupMembership" SET "until" = $3 WHERE "shopId" = $1 AND id = ANY($2::bigint[]) AND "until" IS NULL`,
        [shopId, ids, at],
      );
      left += closed.rowCount ?? 0;
    }
    const discountIds = [...new Set(changes.open.map((a) => a.discountId))];
    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM "SegmentDiscount" WHERE "shopId" = $1 AND id = ANY($2::text[]) AND status = 'active' FOR SHARE`,
      [shopId, discountIds],
    );
    const active = new Set(rows.map((r) => r.id));
    const rowsToOpen = new BinaryCopyWriter();
    let entered = 0;
    for (const a of changes.open) {
      if (!active.has(a.discountId)) continue;
      rowsToOpen.row(5).text(shopId).text(a.discountId).int8(a.customerId).text(a.group).timestamp(at);
      entered++;
    }
    if (entered > 0) {
      await copyFromBinary(
        client,
        `COPY "DiscountGroupMembership" ("shopId", "discountId", "customerId", "group", "since") FROM STDIN (FORMAT binary)`,
        rowsToOpen,
      );
    }
    return { entered, left };
  });
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
  const escape = (value: string) => client.escapeLiteral(value);
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
