// Segmentation results: current memberships (SegmentMembership: one row per
// customer with its segments and entry dates as parallel arrays, its RFM
// scores and the instant they were computed as of; the reasons are written
// out when read, ADR 060; the app tags they give are derived by the
// write-back, ADR 046), their history
// (SegmentTransition), and each shop's fitted cut-offs (ShopModel). Each batch
// of customers is compared with what is stored and only changed rows are
// written, through a staging table and one INSERT ... ON CONFLICT, plus one
// transition row per entry or exit; a range with nothing stored (a shop's
// first computation) is streamed straight in.
// docs/decisions/012-memberships-as-differences.md
import type { PrismaClient } from "@prisma/client";
import type { CustomerAssignment, RfmScores, ShopCutoffs } from "../segmentation";
import { deleteInBatches, PRUNE_BATCH, type DataStore, type Tx } from "./data-store";
import { BinaryCopyWriter } from "./pg/binary-copy";
import { copyFromBinary, copyFromStream, copyInt, copyString, copyToSpans, splitCopyRow } from "./pg/copy.server";
import { analyzeIfStale, inTransaction, type PgClient } from "./pg/pool.server";
import { isLoggedTagCustomer, logTagSyncChanges, logTagSyncRange } from "./tag-sync.server";

type Db = PrismaClient | Tx;

/** How the queries here join a text array into one field (array_to_string(…, E'\\x1f')): cheaper than pg's array parser. */
const LIST_SEPARATOR = "\x1f";

const COPY_MEMBERSHIPS = `COPY "SegmentMembership" ("shopId", "customerId", segments, "sinceDay", "computedAt", "rfmScores", "asOf") FROM STDIN (FORMAT binary)`;

const COPY_TRANSITIONS = `COPY "SegmentTransition" ("shopId", "customerId", segment, change, at, reason) FROM STDIN (FORMAT binary)`;

/** A new customer's row, in COPY_MEMBERSHIPS' columns. */
function writeMembershipRow(
  writer: BinaryCopyWriter,
  shopId: string,
  m: CustomerMemberships,
  sinceDay: ArrayLike<number>,
  times: { computedAt: Date; asOf: Date },
): void {
  writer
    .row(7)
    .text(shopId)
    .int8(m.customerId)
    .textArray(m.segments)
    .int4Array(sinceDay)
    .timestamp(times.computedAt)
    .int2(m.rfmScores)
    .timestamp(times.asOf);
}

/** One entry or exit, in COPY_TRANSITIONS' columns. */
function writeTransitionRow(
  writer: BinaryCopyWriter,
  shopId: string,
  customerId: string,
  segment: string,
  change: "entered" | "left",
  at: Date,
  reason: string | null,
): void {
  writer.row(6).text(shopId).int8(customerId).text(segment).text(change).timestamp(at).text(reason);
}

export interface CustomerMemberships {
  customerId: string;
  /** Segment keys ("family/handle"), in the engine's order. */
  segments: string[];
  /**
   * reasons()[i] explains segments[i]: written to the transitions of entries, not to the row (ADR 060), so
   * asked for only when a transition is recorded (a recompute's chunk writes them for those customers only, ADR 067).
   */
  reasons(): readonly string[];
  /** The scores of the customer's RFM segment as stored (packRfmScores); null without one (no orders). */
  rfmScores: number | null;
}

/**
 * R, F and M (each 1 to 5) as one number, r·100 + f·10 + m: the column the
 * RFM grid and the members' RFM filter read (not the reason's text, ADR 060).
 */
function packRfmScores(scores: RfmScores | null): number | null {
  return scores ? scores.recency * 100 + scores.frequency * 10 + scores.monetary : null;
}

/**
 * One assignment as stored: segment keys, the RFM scores, and the reasons an
 * entry's transition keeps (the app tags they give are derived by the
 * write-back, ADR 046): the assignment's own, or `reasons` when it was
 * assigned without them (ADR 067).
 */
export function storedMemberships(
  assignment: CustomerAssignment,
  reasons: () => readonly string[] = () => assignment.memberships.map((m) => m.reason),
): CustomerMemberships {
  const n = assignment.memberships.length;
  const segments = new Array<string>(n);
  for (let i = 0; i < n; i++) segments[i] = assignment.memberships[i].key;
  return { customerId: assignment.customerId, segments, reasons, rfmScores: packRfmScores(assignment.scores) };
}

export interface MembershipChanges {
  entered: number;
  left: number;
  /** Customers whose set of segments changed. */
  customersChanged: number;
  /** Rows written (new, or changed segments or scores). */
  rowsWritten: number;
}

/**
 * A customer's stored memberships as loaded for a comparison: each list still
 * joined by LIST_SEPARATOR (as the query gives it), so an unchanged customer
 * (every customer of a nightly recompute on unchanged data) is recognised by
 * comparing two strings, without splitting anything (splitting a million
 * customers' lists was a third of such a chunk's time, most of it garbage
 * collection); lists are split only for the customers that changed.
 */
interface StoredJoined {
  segments: string;
  /** UTC day numbers (days since 1970-01-01), parallel to segments. */
  sinceDay: string;
  rfmScores: number | null;
}

/** Stored memberships of customers with ids in [fromId, toId]. */
async function loadMemberships(
  client: PgClient,
  shopId: string,
  fromId: string,
  toId: string,
): Promise<Map<string, StoredJoined>> {
  // Streamed as COPY rows and parsed from their bytes (no pg row objects), the
  // arrays as strings joined by U+001F (cheaper than pg's array parser).
  const shop = client.escapeLiteral(shopId);
  const out = new Map<string, StoredJoined>();
  const s = new Int32Array(4);
  const e = new Int32Array(4);
  await copyToSpans(
    client,
    `COPY (SELECT "customerId", array_to_string(segments, E'\\x1f'), array_to_string("sinceDay", E'\\x1f'), "rfmScores"
           FROM "SegmentMembership" WHERE "shopId" = ${shop} AND "customerId" BETWEEN ${BigInt(fromId)} AND ${BigInt(toId)}) TO STDOUT`,
    (row, start, end) => {
      splitCopyRow(row, s, e, start, end);
      out.set(row.toString("latin1", s[0], e[0]), {
        segments: copyString(row, s[1], e[1]) ?? "",
        sinceDay: copyString(row, s[2], e[2]) ?? "",
        rfmScores: copyInt(row, s[3], e[3]),
      });
    },
  );
  return out;
}

/** Whether `list` is the list `joined` holds (no element contains the separator). */
function sameJoined(joined: string, list: readonly string[]): boolean {
  return joined === keyOf(list);
}

type Transitions = Map<string, Array<[segment: string, change: "entered" | "left", reason: string | null]>>;

/** The entries and exits of the customers whose rows were written (others were kept: a newer row won). */
async function writeTransitions(
  client: PgClient,
  shopId: string,
  at: Date,
  transitions: Transitions,
  written: ReadonlySet<string>,
): Promise<void> {
  const history = new BinaryCopyWriter();
  let historyRows = 0;
  for (const [customerId, list] of transitions) {
    if (!written.has(customerId)) continue;
    for (const [segment, change, reason] of list) {
      writeTransitionRow(history, shopId, customerId, segment, change, at, reason);
      historyRows++;
    }
  }
  if (historyRows) {
    await copyFromBinary(client, COPY_TRANSITIONS, history);
  }
}

/**
 * The sinceDay list of a customer entering each of n segments on `at`'s UTC
 * day, by n: one array per length, shared by every such row.
 */
function entryDaysAllOn(at: Date): (n: number) => Int32Array {
  const today = utcDayOf(at);
  const byLength: Int32Array[] = [];
  return (n) => (byLength[n] ??= new Int32Array(n).fill(today));
}

/** Customers whose rows are sent to a streamed COPY at a time: enough to fill a few of the writer's chunks. */
const STREAM_BATCH = 1_000;

/** The memberships of the customers with ids in [fromId, toId] a chunk (or a re-segmentation) writes. */
interface RangeMemberships {
  shopId: string;
  fromId: string;
  toId: string;
  next: Iterable<CustomerMemberships>;
  /** When entries and exits happened (transitions, and the day of new segments). */
  at: Date;
  computedAt: Date;
  /** The instant the segments were computed as of (reasons are written out as of it when read, ADR 060). */
  asOf: Date;
  recordTransitions: boolean;
}

/**
 * The rows of a range with no stored row (every range of a shop's first
 * computation): each customer's row is written as it is computed and
 * streamed to one COPY, so PostgreSQL stores rows while the next ones are
 * computed instead of waiting for the whole range (a chunk process then
 * keeps both cores busy: bench/recompute.ts's 20 chunks on one process took
 * 9.7 s instead of 14.0). Every row is written or none (a row inserted
 * meanwhile by a re-segmentation fails the COPY on the primary key: the
 * caller's transaction rolls back and the retried chunk compares with it), so
 * every customer's entries are its transitions.
 */
async function copyFreshMemberships(
  client: PgClient,
  shopId: string,
  input: RangeMemberships,
): Promise<MembershipChanges> {
  const changes: MembershipChanges = { entered: 0, left: 0, customersChanged: 0, rowsWritten: 0 };
  const sinceAllToday = entryDaysAllOn(input.at);
  const writer = new BinaryCopyWriter();
  const history = new BinaryCopyWriter();
  let historyRows = 0;
  async function* rows(): AsyncGenerator<Buffer> {
    let batch = 0;
    for (const m of input.next) {
      changes.entered += m.segments.length;
      changes.customersChanged++;
      writeMembershipRow(writer, shopId, m, sinceAllToday(m.segments.length), input);
      if (input.recordTransitions) {
        const reasons = m.reasons();
        for (let i = 0; i < m.segments.length; i++) {
          writeTransitionRow(history, shopId, m.customerId, m.segments[i], "entered", input.at, reasons[i]);
          historyRows++;
        }
      }
      if (++batch === STREAM_BATCH) {
        batch = 0;
        yield* writer.take();
      }
    }
    yield* writer.finish();
  }
  changes.rowsWritten = await copyFromStream(client, COPY_MEMBERSHIPS, rows());
  if (historyRows) await copyFromBinary(client, COPY_TRANSITIONS, history);
  // Every row is new: the tag write-back compares them all (ADR 066; a first recompute turned its log off).
  await logTagSyncRange(client, shopId, input.fromId, input.toId);
  return changes;
}

/**
 * Replaces the stored memberships of the customers with ids in [fromId,
 * toId] by `next` (customers of the range missing from `next` lose theirs).
 * `computedAt` is when the orders behind `next` were read: a stored row
 * computed later (a per-customer re-segmentation that saw newer orders) is
 * kept. One transaction, so a retried chunk sees the old or the new state,
 * never half of it; run twice, the second run writes nothing.
 */
export async function replaceMembershipsInRange(client: PgClient, input: RangeMemberships): Promise<MembershipChanges> {
  const { shopId, at } = input;
  return inTransaction(client, async () => {
    const stored = await loadMemberships(client, shopId, input.fromId, input.toId);
    if (stored.size === 0) return copyFreshMemberships(client, shopId, input);
    // Customers without a stored row (new customers of a range that has stored
    // rows) are copied straight into the table; rows that exist go through a
    // staging table and a conditional update. Both in PostgreSQL's binary COPY format.
    const fresh = new BinaryCopyWriter();
    const freshIds: string[] = [];
    const staged = new BinaryCopyWriter();
    let stagedRows = 0;
    // Per customer: kept only if the customer's row is really written below.
    const transitions: Transitions = new Map();
    const gone: string[] = [];
    const changes: MembershipChanges = { entered: 0, left: 0, customersChanged: 0, rowsWritten: 0 };
    // Customers whose segments this writes (new, changed, gone): what the tag write-back compares next (ADR 066).
    const segmentsChanged: string[] = [];
    const transition = (customerId: string, segment: string, change: "entered" | "left", reason: string | null) => {
      if (!input.recordTransitions) return;
      let list = transitions.get(customerId);
      if (!list) transitions.set(customerId, (list = []));
      list.push([segment, change, reason]);
    };
    const today = utcDayOf(at);
    const sinceAllToday = entryDaysAllOn(at);
    let freshRows = 0;
    for (const m of input.next) {
      const { customerId, segments, rfmScores } = m;
      const before = stored.get(customerId);
      if (!before) {
        // A new customer in a range that has stored rows.
        changes.entered += segments.length;
        changes.customersChanged++;
        if (input.recordTransitions) {
          const reasons = m.reasons();
          for (let i = 0; i < segments.length; i++) transition(customerId, segments[i], "entered", reasons[i]);
          freshIds.push(customerId);
        }
        freshRows++;
        segmentsChanged.push(customerId);
        writeMembershipRow(fresh, shopId, m, sinceAllToday(segments.length), input);
        continue;
      }
      // What stays in `stored` after the loop has no assignment: its customer is gone.
      stored.delete(customerId);
      const sameSegments = sameJoined(before.segments, segments);
      // A row holds the segments and the scores, not the reasons (ADR 060): a customer whose reasons alone moved
      // (a nightly run's common case: day counts and the models' numbers change daily for nearly every customer,
      // segments for about 2%) keeps its row, and its reasons are written out when read, as of the newer model.
      if (sameSegments && before.rfmScores === rfmScores) continue;
      if (sameSegments) {
        // Only the scores moved: no entry, no exit; the stored segments and entry days stay (staged as NULL,
        // kept by the update).
        staged.row(4).int8(customerId).null().null().int2(rfmScores);
        stagedRows++;
        continue;
      }
      const beforeSegments = listOf(before.segments);
      const beforeSince = listOf(before.sinceDay);
      const beforeIndex = new Map(beforeSegments.map((segment, i) => [segment, i]));
      const sinceDay: number[] = [];
      let changed = false;
      // Written only for a customer that enters a segment and only when transitions are recorded.
      let reasons: readonly string[] | undefined;
      segments.forEach((segment, i) => {
        const k = beforeIndex.get(segment);
        if (k === undefined) {
          changed = true;
          changes.entered++;
          sinceDay.push(today);
          if (input.recordTransitions) reasons ??= m.reasons();
          transition(customerId, segment, "entered", reasons?.[i] ?? null);
        } else sinceDay.push(Number(beforeSince[k]));
      });
      const now = new Set(segments);
      for (const segment of beforeSegments) {
        if (!now.has(segment)) {
          changed = true;
          changes.left++;
          transition(customerId, segment, "left", null);
        }
      }
      if (changed) {
        changes.customersChanged++;
        segmentsChanged.push(customerId);
      }
      staged.row(4).int8(customerId).textArray(segments).int4Array(sinceDay).int2(rfmScores);
      stagedRows++;
    }
    for (const [customerId, before] of stored) {
      gone.push(customerId);
      segmentsChanged.push(customerId);
      changes.customersChanged++;
      for (const segment of listOf(before.segments)) {
        changes.left++;
        transition(customerId, segment, "left", null);
      }
    }
    const written = new Set<string>();
    if (gone.length) {
      const { rows: deleted } = await client.query<[string]>({
        text: `DELETE FROM "SegmentMembership" WHERE "shopId" = $1 AND "customerId" = ANY($2::bigint[]) AND "computedAt" <= $3 RETURNING "customerId"::text`,
        values: [shopId, gone, input.computedAt],
        rowMode: "array",
      });
      for (const [id] of deleted) written.add(id);
    }
    if (freshRows) {
      // A row inserted meanwhile by a per-customer re-segmentation makes this
      // fail on the primary key: the transaction rolls back and the retried
      // chunk takes the staged path for that customer.
      await copyFromBinary(client, COPY_MEMBERSHIPS, fresh);
      changes.rowsWritten += freshRows;
      for (const id of freshIds) written.add(id); // only when transitions are recorded
    }
    if (stagedRows) {
      // Staged, then updated where the stored row is not newer: a row a
      // re-segmentation wrote after computedAt wins, and a row deleted meanwhile
      // (a customer's data redacted) stays deleted. An update rather than an
      // upsert (every staged customer had a row): about 1.2 s less of a nightly
      // run's chunk step at 1M customers (docs/performance.md, 2026-12-06).
      await client.query(
        `CREATE TEMP TABLE IF NOT EXISTS membership_stage ("customerId" bigint, segments text[], "sinceDay" int[], "rfmScores" smallint) ON COMMIT DELETE ROWS`,
      );
      await copyFromBinary(client, `COPY membership_stage FROM STDIN (FORMAT binary)`, staged);
      const { rows: updated } = await client.query<[string]>({
        text: `UPDATE "SegmentMembership" m
         SET segments = coalesce(s.segments, m.segments),
           "sinceDay" = coalesce(s."sinceDay", m."sinceDay"), "rfmScores" = s."rfmScores", "computedAt" = $2,
           "asOf" = $5
         FROM membership_stage s
         WHERE m."shopId" = $1 AND m."customerId" = s."customerId" AND m."customerId" BETWEEN $3::bigint AND $4::bigint
           AND m."computedAt" <= $2
         RETURNING m."customerId"::text`,
        values: [shopId, input.computedAt, input.fromId, input.toId, input.asOf],
        rowMode: "array",
      });
      changes.rowsWritten += updated.length;
      if (transitions.size) for (const [id] of updated) written.add(id);
    }
    await writeTransitions(client, shopId, at, transitions, written);
    await logTagSyncChanges(client, shopId, segmentsChanged);
    return changes;
  });
}

/** Memberships as (customer, segment, since) rows, for readers that want them one by one. */
export interface MembershipRow {
  customerId: string;
  segment: string;
  since: Date;
  /** The instant the row's segments were computed as of (null: the shop model's; ADR 060). */
  asOf: Date | null;
}

/** Each customer's membership row as stored: segments, their entry days, the instant they were computed as of. */
export interface StoredCustomerMemberships {
  customerId: string;
  segments: string[];
  /** since[i]: the start of the UTC day the customer entered segments[i]. */
  since: Date[];
  /** The instant the row's segments were computed as of (null: the shop model's; ADR 060). */
  asOf: Date | null;
}

/** The shop's (or one customer's) membership rows, in customer id order. */
export async function storedCustomerMemberships(
  db: Db,
  shopId: string,
  customerId?: bigint,
): Promise<StoredCustomerMemberships[]> {
  const rows = await db.segmentMembership.findMany({
    where: { shopId, ...(customerId === undefined ? {} : { customerId }) },
    orderBy: { customerId: "asc" },
  });
  return rows.map((row) => ({
    customerId: String(row.customerId),
    segments: row.segments,
    since: row.sinceDay.map(dayStart),
    asOf: row.asOf,
  }));
}

export async function membershipRows(db: Db, shopId: string, customerId?: bigint): Promise<MembershipRow[]> {
  return (await storedCustomerMemberships(db, shopId, customerId)).flatMap((row) =>
    row.segments.map((segment, i) => ({ customerId: row.customerId, segment, since: row.since[i], asOf: row.asOf })),
  );
}

/** Customers per segment. */
export async function segmentSizes(db: Db, shopId: string): Promise<Map<string, number>> {
  const rows = await db.$queryRaw<Array<{ segment: string; n: number }>>`
    SELECT s AS segment, count(*)::int AS n FROM "SegmentMembership", unnest(segments) s WHERE "shopId" = ${shopId} GROUP BY s`;
  return new Map(rows.map((r) => [r.segment, r.n]));
}

/** Customers with a stored membership: the segmented customers a plan is measured against (app/billing). */
export function countSegmentedCustomers(db: Db, shopId: string): Promise<number> {
  return db.segmentMembership.count({ where: { shopId } });
}

/** The UTC day number (days since 1970-01-01) of an instant, as sinceDay stores it. */
function utcDayOf(at: Date): number {
  return Math.floor(at.getTime() / 86_400_000);
}

/** The start (00:00 UTC) of a day number. */
function dayStart(day: number): Date {
  return new Date(day * 86_400_000);
}

/** A customer's entries and exits, oldest first. */
export function customerTransitions(db: Db, shopId: string, customerId: bigint) {
  return db.segmentTransition.findMany({ where: { shopId, customerId }, orderBy: { at: "asc" } });
}

/**
 * Retention: deletes the shop's segment entries and exits before `before`,
 * oldest first, `batch` rows per statement. Memberships at any later moment
 * stay exact: they are the current ones with the later transitions undone.
 */
export function pruneTransitions(db: Db, shopId: string, before: Date, batch = PRUNE_BATCH): Promise<number> {
  return deleteInBatches(
    (limit) => db.$executeRaw`
      DELETE FROM "SegmentTransition" WHERE id IN (
        SELECT id FROM "SegmentTransition"
        WHERE "shopId" = ${shopId} AND at < (${before.toISOString()}::timestamptz AT TIME ZONE 'UTC')
        ORDER BY at LIMIT ${limit})`,
    batch,
  );
}

/** Whether the shop has any stored memberships (a first recompute records no transitions). */
export async function hasMemberships(client: PgClient, shopId: string): Promise<boolean> {
  const { rows } = await client.query(`SELECT 1 FROM "SegmentMembership" WHERE "shopId" = $1 LIMIT 1`, [shopId]);
  return rows.length > 0;
}

/** Every customer's segment keys (settings dry run). */
export async function segmentsByCustomer(client: PgClient, shopId: string): Promise<Map<string, string>> {
  const { rows } = await client.query<[string, string]>({
    text: `SELECT "customerId"::text, array_to_string(segments, E'\\x1f') FROM "SegmentMembership" WHERE "shopId" = $1`,
    values: [shopId],
    rowMode: "array",
  });
  return new Map(rows);
}

// ---------------------------------------------------------------------------
// ShopModel: the cut-offs of the last full recompute (quintile edges, fitted
// model parameters), used by chunks and per-customer re-segmentation.

export async function saveShopCutoffs(client: PgClient, shopId: string, cutoffs: ShopCutoffs, asOf: Date) {
  await client.query(
    `INSERT INTO "ShopModel" ("shopId", cutoffs, "fittedAt", "asOf") VALUES ($1, $2, now(), $3)
     ON CONFLICT ("shopId") DO UPDATE SET cutoffs = EXCLUDED.cutoffs, "fittedAt" = EXCLUDED."fittedAt", "asOf" = EXCLUDED."asOf"`,
    [shopId, JSON.stringify(cutoffs), asOf],
  );
}

export async function loadShopCutoffs(
  client: PgClient,
  shopId: string,
): Promise<{ cutoffs: ShopCutoffs; asOf: Date } | null> {
  const { rows } = await client.query<{ cutoffs: ShopCutoffs; asOf: Date }>(
    `SELECT cutoffs, "asOf" FROM "ShopModel" WHERE "shopId" = $1`,
    [shopId],
  );
  return rows[0] ?? null;
}

// ---------------------------------------------------------------------------
// Tag differences: the write-back's candidates. This reads Customer.appTags
// beside the memberships' segments (a read-only join; the Customer table's
// writes stay in the customers store); the tags the segments give are
// derived by the write-back (app/writeback/tag-changes.server.ts, ADR 046).

export interface TagCandidate {
  customerId: string;
  /**
   * SegmentMembership.segments ("" without a row), as one string: equal
   * strings give equal desired tags, so callers derive them once per
   * distinct list (a shop has a few thousand).
   */
  segmentsKey: string;
  /** Customer.appTags ("" when the customer has none), joined the same way; see listOf. */
  currentKey: string;
  tagCount: number;
}

/** A list joined by LIST_SEPARATOR (a candidate's key, a stored list as loadMemberships gives it) as a list. */
export function listOf(key: string): string[] {
  return key === "" ? [] : key.split(LIST_SEPARATOR);
}

/** A list as the key the candidates carry: equal lists, equal keys. */
export function keyOf(list: readonly string[]): string {
  return list.join(LIST_SEPARATOR);
}

/**
 * Every customer with memberships or app tags, with both, streamed through
 * COPY (a customer with neither has nothing to send). Optionally limited to
 * one customer or to those the shop's tag sync log names (in the caller's
 * snapshot: a repeatable-read transaction sees the log and the rows alike).
 */
export async function streamTagCandidates(
  client: PgClient,
  shopId: string,
  onCandidate: (candidate: TagCandidate) => void,
  /** One customer, the customers the shop's tag sync log names (ADR 066), or (default) every customer. */
  only: { customerId: string } | { logged: true } | Record<string, never> = {},
): Promise<void> {
  const shop = client.escapeLiteral(shopId);
  let onlyM = "";
  let onlyC = "";
  if ("customerId" in only) {
    onlyM = `AND "customerId" = ${BigInt(only.customerId)}`;
    onlyC = `AND id = ${BigInt(only.customerId)}`;
  } else if ("logged" in only) {
    onlyM = `AND ${isLoggedTagCustomer(`"customerId"`, shop)}`;
    onlyC = `AND ${isLoggedTagCustomer("id", shop)}`;
  } else {
    // After a full recompute rewrote the memberships, fresh statistics: with
    // stale ones the planner hashes the big side of the join (measured for a
    // million customers: 13 s instead of 1.2 s for ANALYZE + 2.5 s). The row
    // count and the join's columns are what the plan needs; the array columns'
    // statistics (most common elements of 30,000 sampled rows' segments and,
    // then, reasons) took four fifths of the ANALYZE (200,000 customers: 0.4 s
    // instead of 2.0 s) and are left to autovacuum. Only when stale: right
    // after a first recompute's full ANALYZE (ADR 056) a second one cost
    // 0.4-0.5 s at a million customers for nothing.
    await analyzeIfStale(client, "SegmentMembership", ["shopId", "customerId"]);
  }
  const s = new Int32Array(5);
  const e = new Int32Array(5);
  // The candidate object is reused: callers copy what they keep.
  const candidate: TagCandidate = { customerId: "", segmentsKey: "", currentKey: "", tagCount: 0 };
  await copyToSpans(
    client,
    `COPY (
      SELECT coalesce(m."customerId", c.id), array_to_string(m.segments, E'\\x1f'), array_to_string(c."appTags", E'\\x1f'), c."tagCount"
      FROM (SELECT "customerId", segments FROM "SegmentMembership" WHERE "shopId" = ${shop} ${onlyM}) m
      FULL JOIN (SELECT id, "appTags", "tagCount" FROM "Customer" WHERE "shopId" = ${shop} AND "deletedAt" IS NULL ${onlyC}) c ON c.id = m."customerId"
      WHERE m."customerId" IS NOT NULL OR c."appTags" <> '{}'
    ) TO STDOUT`,
    (row, start, end) => {
      splitCopyRow(row, s, e, start, end);
      candidate.customerId = copyString(row, s[0], e[0])!;
      candidate.segmentsKey = copyString(row, s[1], e[1]) ?? "";
      candidate.currentKey = copyString(row, s[2], e[2]) ?? "";
      candidate.tagCount = copyInt(row, s[3], e[3]) ?? listOf(candidate.currentKey).length;
      onCandidate(candidate);
    },
  );
}

export const membershipsStore: DataStore = {
  name: "memberships",
  tables: ["SegmentMembership", "SegmentTransition", "ShopModel"],
  async eraseCustomer(tx, { shop, customerId }) {
    await tx.segmentTransition.deleteMany({ where: { shopId: shop.id, customerId } });
    await tx.segmentMembership.deleteMany({ where: { shopId: shop.id, customerId } });
  },
  async eraseShop(tx, shop) {
    if (!shop.id) return;
    const where = { shopId: shop.id };
    await tx.segmentTransition.deleteMany({ where });
    await tx.segmentMembership.deleteMany({ where });
    await tx.shopModel.deleteMany({ where });
  },
};
