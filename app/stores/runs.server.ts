// Background work as the merchant sees it and as the pipeline resumes it:
// JobRun (kind, step, progress, error, per shop), WebhookEvent (deliveries
// seen, for deduplication on X-Shopify-Event-Id) and RecomputeSlice (a
// running recompute's feature slices, deleted when it ends; ADR 010).
import type { JobRun, PrismaClient } from "@prisma/client";
import { BinaryCopyWriter } from "./pg/binary-copy";
import { copyFromBinary, copyToBinary } from "./pg/copy.server";
import { inTransaction, type PgClient } from "./pg/pool.server";
import { deleteInBatches, PRUNE_BATCH, type DataStore, type Tx } from "./data-store";
import { expireFeatureReads } from "./feature-reads.server";

type Db = PrismaClient | Tx;

export type RunKind = "install" | "backfill" | "recompute" | "reconcile";

// ---------------------------------------------------------------------------
// JobRun

export function startRun(
  db: Db,
  input: { shopId: string; kind: RunKind; step?: string; progress?: Record<string, unknown> },
): Promise<JobRun> {
  return db.jobRun.create({
    data: {
      shopId: input.shopId,
      kind: input.kind,
      status: "running",
      step: input.step ?? null,
      progress: (input.progress ?? {}) as never,
    },
  });
}

/** A run that happened at once (an install recorded). */
export function recordCompletedRun(
  db: Db,
  input: { shopId: string; kind: RunKind; step: string; startedAt: Date },
): Promise<JobRun> {
  return db.jobRun.create({
    data: { ...input, status: "completed", finishedAt: new Date() },
  });
}

export function findRun(db: Db, runId: string): Promise<JobRun> {
  return db.jobRun.findUniqueOrThrow({ where: { id: runId } });
}

/** Back to running (a retried job resumes its run). */
export function resumeRun(db: Db, runId: string): Promise<JobRun> {
  return db.jobRun.update({ where: { id: runId }, data: { status: "running", error: null } });
}

export async function saveRunProgress(db: Db, runId: string, step: string, progress: object): Promise<void> {
  await db.jobRun.update({ where: { id: runId }, data: { step, progress: progress as never } });
}

export async function completeRun(db: Db, runId: string, progress?: object): Promise<void> {
  await db.jobRun.update({
    where: { id: runId },
    data: { status: "completed", finishedAt: new Date(), ...(progress ? { progress: progress as never } : {}) },
  });
}

export async function failRun(
  db: Db,
  runId: string,
  error: unknown,
  options: { finished?: boolean } = {},
): Promise<void> {
  await db.jobRun.update({
    where: { id: runId },
    data: {
      status: "failed",
      error: error instanceof Error ? error.message : String(error),
      ...(options.finished ? { finishedAt: new Date() } : {}),
    },
  });
}

// The recompute's bookkeeping goes through the recompute's own pg client:
// parallel chunk jobs update the same row with atomic JSON merges.

/** Merges `patch` into the run's progress and sets the step (atomic, safe from parallel chunks). */
export async function updateRecomputeRun(
  client: PgClient,
  runId: string,
  patch: { step?: string; progress?: Record<string, unknown> },
) {
  await client.query(
    `UPDATE "JobRun" SET progress = progress || $2::jsonb, step = coalesce($3, step), status = 'running', error = NULL WHERE id = $1`,
    [runId, JSON.stringify(patch.progress ?? {}), patch.step ?? null],
  );
}

/**
 * Records one finished chunk in the progress counters, in one statement.
 * Idempotent per chunk index: a chunk that ran twice (its job lost its lock
 * while the event loop was busy and another worker took it) counts once.
 */
export async function recordChunkDone(client: PgClient, runId: string, index: number, customers: number) {
  await client.query(
    `UPDATE "JobRun" SET progress = progress || jsonb_build_object(
       'doneChunks', d.chunks,
       'chunksDone', (SELECT count(*) FROM jsonb_object_keys(d.chunks)),
       'customersDone', (SELECT coalesce(sum(v::int), 0) FROM jsonb_each_text(d.chunks) AS e(k, v)))
     FROM (SELECT coalesce(progress->'doneChunks', '{}'::jsonb) || jsonb_build_object($2::text, $3::int) AS chunks
           FROM "JobRun" WHERE id = $1) d
     WHERE id = $1`,
    [runId, String(index), customers],
  );
}

export async function completeRecomputeRun(client: PgClient, runId: string, progress: Record<string, unknown>) {
  await client.query(
    `UPDATE "JobRun" SET progress = progress || $2::jsonb, step = 'done', status = 'completed', error = NULL, "finishedAt" = now() WHERE id = $1`,
    [runId, JSON.stringify(progress)],
  );
}

/** Recomputes of the shop whose memberships are stored and wait for the write-back to send them. */
export async function recomputeRunsAwaitingWriteback(client: PgClient, shopId: string): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM "JobRun" WHERE "shopId" = $1 AND kind = 'recompute' AND status = 'running' AND step = 'writeback'`,
    [shopId],
  );
  return rows.map((r) => r.id);
}

/** Marks the run failed with the step and message, for the UI; `final` false records a retrying error. */
export async function recordRecomputeError(
  client: PgClient,
  runId: string,
  step: string,
  message: string,
  final: boolean,
) {
  await client.query(
    `UPDATE "JobRun" SET step = $2, error = $3, status = CASE WHEN $4 THEN 'failed' ELSE status END,
       "finishedAt" = CASE WHEN $4 THEN now() ELSE "finishedAt" END WHERE id = $1`,
    [runId, step, message, final],
  );
}

/**
 * Retention: deletes the shop's runs that ended (or, never ended, started)
 * before `before`, but the latest run of each kind (the overview and the
 * activity page show it), with their feature slices; `batch` per statement.
 */
export function pruneRuns(db: Db, shopId: string, before: Date, batch = PRUNE_BATCH): Promise<number> {
  return deleteInBatches(async (limit) => {
    const [row] = await db.$queryRaw<Array<{ n: number }>>`
      WITH latest AS (
        SELECT DISTINCT ON (kind) id FROM "JobRun" WHERE "shopId" = ${shopId} ORDER BY kind, "startedAt" DESC, id DESC
      ),
      gone AS (
        DELETE FROM "JobRun" WHERE id IN (
          SELECT id FROM "JobRun"
          WHERE "shopId" = ${shopId} AND coalesce("finishedAt", "startedAt") < (${before.toISOString()}::timestamptz AT TIME ZONE 'UTC')
            AND id NOT IN (SELECT id FROM latest)
          LIMIT ${limit})
        RETURNING id
      ),
      slices AS (DELETE FROM "RecomputeSlice" WHERE "runId" IN (SELECT id FROM gone))
      SELECT count(*)::int AS n FROM gone`;
    return row?.n ?? 0;
  }, batch);
}

// ---------------------------------------------------------------------------
// WebhookEvent

/**
 * The privacy topics (Shopify's, and the job kinds they map to): their
 * deliveries are the shop's log of compliance requests (the Privacy page),
 * kept as long as the data requests.
 */
export const COMPLIANCE_TOPIC_SQL = `replace(lower(topic), '_', '/') IN
  ('customers/data/request', 'customers/redact', 'shop/redact', 'customers/delete', 'data-request', 'customer-redact', 'customer-delete')`;

/**
 * Retention: deletes the shop's webhook deliveries received before
 * `before`: the compliance ones (`compliance: true`) or all the others;
 * `batch` per statement. A redelivery after that (Shopify retries for 48
 * hours) would be processed again, as any delivery seen for the first time.
 */
export function pruneWebhookEvents(
  db: Db,
  shopDomain: string,
  before: Date,
  options: { compliance: boolean; batch?: number },
): Promise<number> {
  const which = options.compliance ? COMPLIANCE_TOPIC_SQL : `NOT (${COMPLIANCE_TOPIC_SQL})`;
  return deleteInBatches(
    (limit) =>
      db.$executeRawUnsafe(
        `DELETE FROM "WebhookEvent" WHERE ("shopDomain", "eventId") IN (
          SELECT "shopDomain", "eventId" FROM "WebhookEvent"
          WHERE "shopDomain" = $1 AND "receivedAt" < ($2::timestamptz AT TIME ZONE 'UTC') AND ${which}
          LIMIT $3)`,
        shopDomain,
        before.toISOString(),
        limit,
      ),
    options.batch ?? PRUNE_BATCH,
  );
}

/** Retention: deliveries before `before` for shops the app has no row of (refused or never installed). */
export function pruneOrphanWebhookEvents(db: Db, before: Date, batch = PRUNE_BATCH): Promise<number> {
  return deleteInBatches(
    (limit) => db.$executeRaw`
      DELETE FROM "WebhookEvent" WHERE ("shopDomain", "eventId") IN (
        SELECT w."shopDomain", w."eventId" FROM "WebhookEvent" w
        WHERE w."receivedAt" < (${before.toISOString()}::timestamptz AT TIME ZONE 'UTC')
          AND NOT EXISTS (SELECT 1 FROM "Shop" s WHERE s.domain = w."shopDomain")
        LIMIT ${limit})`,
    batch,
  );
}

/**
 * Records a delivery (once per shop and event id) and tells whether it was
 * already processed: a redelivery after its job was removed is skipped; a
 * retry of a job that failed midway goes on.
 */
export async function recordWebhookEvent(
  db: Db,
  event: { shop: string; eventId: string; topic: string; webhookId: string | null },
): Promise<{ alreadyProcessed: boolean }> {
  await db.$executeRaw`
    INSERT INTO "WebhookEvent" ("shopDomain", "eventId", "topic", "webhookId", "receivedAt", "status")
    VALUES (${event.shop}, ${event.eventId}, ${event.topic}, ${event.webhookId}, now(), 'queued')
    ON CONFLICT DO NOTHING`;
  const seen = await db.webhookEvent.findUnique({
    where: { shopDomain_eventId: { shopDomain: event.shop, eventId: event.eventId } },
    select: { status: true },
  });
  return { alreadyProcessed: seen?.status === "processed" };
}

export async function markWebhookProcessed(db: Db, shop: string, eventId: string): Promise<void> {
  await db.webhookEvent.updateMany({ where: { shopDomain: shop, eventId }, data: { status: "processed" } });
}

/** A delivery refused with 400 (kept for the UI's sync health; the body is not kept). */
export async function recordRejectedWebhook(
  db: Db,
  event: { shop: string; eventId: string; topic: string; webhookId: string | null; error: string },
): Promise<void> {
  await db.webhookEvent.create({
    data: {
      shopDomain: event.shop,
      eventId: event.eventId,
      topic: event.topic,
      webhookId: event.webhookId,
      status: "rejected",
      error: event.error,
    },
  });
}

// ---------------------------------------------------------------------------
// RecomputeSlice

/** Slices are stored in parts of this size (see RecomputeSlice's migration). */
const SLICE_PART_BYTES = 1 << 20;

/**
 * Whose slices: a recompute's run and the instant its fit step read the
 * orders. A retried fit step reads again and may cut the customers into other
 * ranges, while a chunk job enqueued by the earlier attempt can still be
 * waiting: it finds no slice of its read and reads its own range's orders.
 */
export interface SliceOwner {
  runId: string;
  readAt: Date;
}

/** Stores each chunk's feature slice (bytes), replacing any of the same run. */
export async function writeRecomputeSlices(
  client: PgClient,
  owner: SliceOwner,
  slices: Iterable<Uint8Array>,
  onWritten?: (index: number) => Promise<void>,
) {
  await clearRecomputeSlices(client, owner.runId);
  await writeRecomputeSlicesAt(client, owner, 0, slices, onWritten);
}

/** Removes a run's slices (before a retried fit step writes them again). */
export async function clearRecomputeSlices(client: PgClient, runId: string): Promise<void> {
  await client.query(`DELETE FROM "RecomputeSlice" WHERE "runId" = $1`, [runId]);
}

/**
 * Stores chunk slices as the run's chunks firstIndex, firstIndex + 1, …: each
 * read thread of a recompute writes its own part's chunks (ADR 040).
 */
export async function writeRecomputeSlicesAt(
  client: PgClient,
  owner: SliceOwner,
  firstIndex: number,
  slices: Iterable<Uint8Array>,
  /** Called once each slice is stored (committed), before the next is encoded. */
  onWritten?: (index: number) => Promise<void>,
) {
  // Binary COPY: the bytes go in as they are (a bytea parameter would travel
  // as hex), in parts of SLICE_PART_BYTES.
  let index = firstIndex;
  for (const bytes of slices) {
    const writer = new BinaryCopyWriter();
    for (let part = 0; part * SLICE_PART_BYTES < bytes.length || part === 0; part++) {
      writer
        .row(5)
        .text(owner.runId)
        .timestamp(owner.readAt)
        .int4(index)
        .int4(part)
        .bytes(bytes.subarray(part * SLICE_PART_BYTES, (part + 1) * SLICE_PART_BYTES));
    }
    await copyFromBinary(
      client,
      `COPY "RecomputeSlice" ("runId", "readAt", index, part, features) FROM STDIN (FORMAT binary)`,
      writer,
    );
    await onWritten?.(index);
    index++;
  }
}

/** The chunk's slice bytes, or null if it is gone (crash, expired) or belongs to another read of the run. */
export async function readRecomputeSlice(client: PgClient, owner: SliceOwner, index: number): Promise<Buffer | null> {
  const escape = client.escapeLiteral.bind(client);
  const rows = await copyToBinary(
    client,
    `COPY (SELECT features FROM "RecomputeSlice" WHERE "runId" = ${escape(owner.runId)}
             AND "readAt" = ${escape(owner.readAt.toISOString())}::timestamptz AT TIME ZONE 'UTC'
             AND index = ${Math.trunc(index)} ORDER BY part) TO STDOUT (FORMAT binary)`,
  );
  return rows.length ? Buffer.concat(rows.map((row) => row[0]!)) : null;
}

/**
 * Replaces one stored slice with new bytes (a kept read's slice patched with
 * the customers that changed, ADR 065), in one transaction: a reader finds
 * the old slice or the new one, never none.
 */
export async function replaceRecomputeSlice(
  client: PgClient,
  owner: SliceOwner,
  index: number,
  bytes: Uint8Array,
): Promise<void> {
  await inTransaction(client, async () => {
    await client.query(
      `DELETE FROM "RecomputeSlice" WHERE "runId" = $1 AND "readAt" = $2::timestamptz AT TIME ZONE 'UTC' AND index = $3`,
      [owner.runId, owner.readAt.toISOString(), index],
    );
    await writeRecomputeSlicesAt(client, owner, index, [bytes]);
  });
}

/**
 * Deletes the feature slices of a recompute (when it ends) and any slices a
 * day old (of runs that died long ago), unless they are a shop's kept read
 * (FeatureRead, ADR 051), after forgetting the kept reads that expired.
 */
export async function dropRecomputeSlices(client: PgClient, runId: string): Promise<void> {
  await expireFeatureReads(client);
  await client.query(
    `DELETE FROM "RecomputeSlice" WHERE ("runId" = $1 OR "createdAt" < now() - interval '1 day')
       AND "runId" NOT IN (SELECT "runId" FROM "FeatureRead")`,
    [runId],
  );
}

export const runsStore: DataStore = {
  name: "runs",
  tables: ["JobRun", "WebhookEvent", "RecomputeSlice"],
  async eraseCustomer(tx, customer) {
    // Feature slices hold every customer of a running recompute's chunk: the
    // shop's running recomputes lose them (their chunks then read the orders
    // again, without this customer).
    await tx.$executeRaw`
      DELETE FROM "RecomputeSlice" WHERE "runId" IN (SELECT id FROM "JobRun" WHERE "shopId" = ${customer.shop.id})`;
    // A run's summary names a few customers Shopify refused a change for
    // (writeback.failedExamples), and an error message may quote an id.
    const id = customer.customerId.toString();
    await tx.$executeRaw`
      UPDATE "JobRun" SET progress = jsonb_set(progress, '{writeback,failedExamples}', coalesce(
          (SELECT jsonb_agg(e) FROM jsonb_array_elements(progress->'writeback'->'failedExamples') e
            WHERE e->>'customerId' IS DISTINCT FROM ${id}), '[]'::jsonb))
      WHERE "shopId" = ${customer.shop.id} AND jsonb_typeof(progress->'writeback'->'failedExamples') = 'array'`;
    await tx.$executeRaw`
      UPDATE "JobRun" SET error = regexp_replace(error, ${`(?<![0-9])${id}(?![0-9])`}, '[redacted]', 'g')
      WHERE "shopId" = ${customer.shop.id} AND error LIKE ${`%${id}%`}`;
    // Webhook events keep topic and event ids, never payloads.
  },
  async eraseShop(tx, shop) {
    if (shop.id) {
      await tx.$executeRaw`
        DELETE FROM "RecomputeSlice" WHERE "runId" IN (SELECT id FROM "JobRun" WHERE "shopId" = ${shop.id})`;
      await tx.jobRun.deleteMany({ where: { shopId: shop.id } });
    }
    await tx.webhookEvent.deleteMany({ where: { shopDomain: shop.domain } });
  },
};
