// The BulkExportLine table: the lines of one bulk export, staged while it is
// imported. Since API 2026-04 a bulk export writes child lines (LineItem,
// ShippingLine with `__parentId`) anywhere in the file, even before their
// parent; joining them in the app would mean holding the file in memory.
// Here the file streams into PostgreSQL with COPY and comes back sorted by
// parent, each parent followed by its children, through a cursor: memory stays
// bounded whatever the export's size (PostgreSQL sorts on disk beyond
// work_mem). The rows are deleted when the import ends.
import type { PrismaClient } from "@prisma/client";
import type { DataStore, Tx } from "./data-store";
import { copyFromStream } from "./pg/copy.server";
import type { PgClient } from "./pg/pool.server";

type Db = PrismaClient | Tx;

/**
 * COPY in CSV mode with two control characters as delimiter and quote: valid
 * JSON never contains a raw control character, so each line goes in verbatim
 * (no escaping of backslashes or quotes, as text mode would need).
 */
const DELIMITER = "\x02";
const COPY_IN = `COPY "BulkExportLine" ("runId", "shopId", "body") FROM STDIN (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')`;
const NEWLINE = Buffer.from("\n");
const CHUNK = 1 << 16;

export interface StagingProgress {
  /** Non-blank lines read from the export so far. */
  lines: number;
}

/**
 * The export's lines as COPY rows ("<run>\x02<shop>\x02<line>\n"), in chunks
 * of about 64 KB: split on newlines across chunk boundaries, CR stripped,
 * blank lines skipped.
 */
async function* copyRows(
  source: AsyncIterable<Uint8Array>,
  prefix: Buffer,
  progress: StagingProgress,
): AsyncGenerator<Buffer> {
  let carry: Buffer | null = null;
  let out: Buffer[] = [];
  let size = 0;
  const emit = (chunk: Buffer, start: number, end: number) => {
    while (end > start && (chunk[end - 1] === 13 || chunk[end - 1] === 32 || chunk[end - 1] === 9)) end--;
    while (start < end && (chunk[start] === 32 || chunk[start] === 9)) start++;
    if (end <= start) return;
    out.push(prefix, chunk.subarray(start, end), NEWLINE);
    size += prefix.length + end - start + 1;
    progress.lines++;
  };
  for await (const piece of source) {
    let chunk = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    if (carry) {
      chunk = Buffer.concat([carry, chunk]);
      carry = null;
    }
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
      emit(chunk, start, nl);
      start = nl + 1;
    }
    if (start < chunk.length) carry = Buffer.from(chunk.subarray(start)); // the source may reuse its buffer
    if (size >= CHUNK) {
      yield Buffer.concat(out, size);
      out = [];
      size = 0;
    }
  }
  if (carry) emit(carry, 0, carry.length);
  if (size > 0) yield Buffer.concat(out, size);
}

/**
 * Streams an export's JSONL into the staging table under `runId`, after
 * deleting whatever the shop had staged (an import interrupted by a crash
 * stages its export again). Returns the number of lines staged. A line that
 * is not JSON fails the whole COPY (nothing staged) with its line number.
 */
export async function stageBulkLines(
  client: PgClient,
  run: { runId: string; shopId: string },
  source: AsyncIterable<Uint8Array>,
  progress: StagingProgress = { lines: 0 },
): Promise<number> {
  if (run.runId.includes(DELIMITER) || run.shopId.includes(DELIMITER)) throw new Error("invalid run or shop id");
  await clearStagedLines(client, run.shopId);
  const prefix = Buffer.from(`${run.runId}${DELIMITER}${run.shopId}${DELIMITER}`);
  try {
    return await copyFromStream(client, COPY_IN, copyRows(source, prefix, progress));
  } catch (error) {
    // PostgreSQL's context names the COPY line ("COPY BulkExportLine, line 3, column body: ...").
    const where = (error as { where?: string }).where ?? "";
    const line = /COPY "?BulkExportLine"?, line (\d+)/.exec(where)?.[1];
    if (line) {
      const detail = (error as { detail?: string }).detail;
      throw new Error(
        `Bulk result line ${line} is not JSON: ${(error as Error).message}${detail ? ` (${detail})` : ""}`,
      );
    }
    throw error;
  }
}

/** A staged line: the parent's id it groups under, whether it is a child line, and its JSON text. */
export type StagedLine = [group: string, child: boolean, body: string];

/**
 * The staged lines of a run, each parent followed by its children, in pages
 * of `pageSize`, through a cursor (one sort in PostgreSQL, then streamed).
 * The client holds a transaction while the generator runs; stopping early
 * closes it.
 */
export async function* streamStagedLines(
  client: PgClient,
  runId: string,
  pageSize = 2_000,
): AsyncGenerator<StagedLine[]> {
  await client.query("BEGIN");
  let done = false;
  try {
    await client.query(
      `DECLARE staged NO SCROLL CURSOR FOR
       SELECT coalesce(body->>'__parentId', body->>'id') COLLATE "C" AS "group", body ? '__parentId' AS child, body::text AS body
       FROM "BulkExportLine" WHERE "runId" = $1
       ORDER BY 1, 2, "line"`,
      [runId],
    );
    for (;;) {
      const page = await client.query<{ group: string | null; child: boolean; body: string }>(
        `FETCH ${Math.max(1, Math.floor(pageSize))} FROM staged`,
      );
      if (page.rows.length === 0) break;
      yield page.rows.map((row): StagedLine => [row.group ?? "", row.child, row.body]);
    }
    done = true;
  } finally {
    await client.query(done ? "COMMIT" : "ROLLBACK").catch(() => undefined);
  }
}

/** Deletes a run's staged lines (the import ended, well or not). */
export async function dropStagedLines(client: PgClient, runId: string): Promise<number> {
  const result = await client.query(`DELETE FROM "BulkExportLine" WHERE "runId" = $1`, [runId]);
  return result.rowCount ?? 0;
}

/** Deletes everything the shop has staged (left by an import that never finished). */
async function clearStagedLines(client: PgClient, shopId: string): Promise<number> {
  const result = await client.query(`DELETE FROM "BulkExportLine" WHERE "shopId" = $1`, [shopId]);
  return result.rowCount ?? 0;
}

/** Parent lines (no __parentId) staged for a run: the orders of an orders export, for the import's progress. */
export async function stagedRootCount(client: PgClient, runId: string): Promise<number> {
  const { rows } = await client.query(
    `SELECT count(*)::int AS n FROM "BulkExportLine" WHERE "runId" = $1 AND NOT (body ? '__parentId')`,
    [runId],
  );
  return rows[0].n;
}

/** Lines staged for a shop (tests, the admin's progress). */
export function stagedLineCount(db: Db, shopId: string): Promise<number> {
  return db.bulkExportLine.count({ where: { shopId } });
}

export const bulkStagingStore: DataStore = {
  name: "bulk-staging",
  tables: ["BulkExportLine"],
  async eraseCustomer(tx, { shop, customerId }) {
    // A running import must not bring the customer back: its own line (a
    // customers export) goes, and staged orders lose their customer link,
    // as stored orders do.
    const gid = `gid://shopify/Customer/${customerId}`;
    await tx.$executeRaw`DELETE FROM "BulkExportLine" WHERE "shopId" = ${shop.id} AND body->>'id' = ${gid}`;
    await tx.$executeRaw`UPDATE "BulkExportLine" SET body = body - 'customer'
      WHERE "shopId" = ${shop.id} AND body->'customer'->>'id' = ${gid}`;
  },
  async eraseShop(tx, shop) {
    if (shop.id) await tx.bulkExportLine.deleteMany({ where: { shopId: shop.id } });
  },
};
