// COPY through pg-copy-streams (app/stores/pg/copy.server.ts) against the
// hand-made COPY sub-protocol it replaced (kept below as the reference), on
// the same connection and data: COPY TO of order-like text rows (split into
// rows and fields, as the recompute reads them) and COPY FROM of
// membership-like rows, as text and in the binary format. Each case runs
// alternately, `runs` times per implementation; the median wall time and the
// process's CPU time are reported. Not part of `npm run bench`. Its database,
// segments_bench_copy, is recreated on each run.
// Run: `flock /tmp/bench.lock npx tsx bench/copy.ts [orders] [memberships] [runs]`.
import pg from "pg";
import { scriptEnv } from "../app/config/env.server";
import { BinaryCopyWriter } from "../app/stores/pg/binary-copy";
import {
  copyFrom,
  copyFromBinary,
  copyInt,
  copyText,
  copyTextChunks,
  copyTo,
  splitCopyRow,
} from "../app/stores/pg/copy.server";
import { freshDatabase } from "../scripts/services";
import { runAlone } from "./run-alone";

const SERVER = scriptEnv().BENCH_POSTGRES_URL ?? "postgresql://root@127.0.0.1:5432/postgres";

/** The hand-made copy-in "submittable" (before pg-copy-streams): CopyData chunks, then CopyDone. */
function handMadeCopyIn(client: pg.Client, sql: string, chunks: readonly Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let rowCount = 0;
    const noop = () => undefined;
    (client as any).query({
      submit: (connection: any) => connection.query(sql),
      handleCopyInResponse(connection: any) {
        for (const chunk of chunks) connection.sendCopyFromChunk(chunk);
        connection.endCopyFrom();
      },
      handleCommandComplete(msg: { text?: string }) {
        rowCount = Number(/(\d+)$/.exec(msg.text ?? "")?.[1] ?? 0);
      },
      handleError: reject,
      handleReadyForQuery: () => resolve(rowCount),
      handleRowDescription: noop,
      handleDataRow: noop,
      handleEmptyQuery: noop,
      handleCopyData: noop,
      handlePortalSuspended: noop,
    });
  });
}

/** The hand-made copy-out "submittable": pg's parser hands over one CopyData message (one row) at a time. */
function handMadeCopyTo(client: pg.Client, sql: string, onRow: (row: Buffer) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    const noop = () => undefined;
    (client as any).query({
      submit: (connection: any) => connection.query(sql),
      handleCopyOutResponse: noop,
      handleCopyData(msg: { chunk: Buffer }) {
        const chunk = msg.chunk;
        onRow(chunk.subarray(0, chunk[chunk.length - 1] === 10 ? chunk.length - 1 : chunk.length));
        rows++;
      },
      handleCommandComplete: noop,
      handleError: reject,
      handleReadyForQuery: () => resolve(rows),
      handleRowDescription: noop,
      handleDataRow: noop,
      handleEmptyQuery: noop,
      handleCopyInResponse: (connection: any) => connection.sendCopyFail("unexpected COPY FROM"),
      handlePortalSuspended: noop,
    });
  });
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  const used = process.cpuUsage(cpu);
  return { wallMs: Math.round(performance.now() - start), cpuMs: Math.round((used.user + used.system) / 1000) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function setUp(client: pg.Client, orders: number) {
  await client.query(`
    CREATE UNLOGGED TABLE bench_order AS
      SELECT i::bigint AS id, (i % 400000)::bigint AS "customerId",
             timestamp '2024-01-01' + (i % 100000) * interval '5 minutes' AS "processedAt",
             (i % 50 = 0) AS cancelled, 1000 + i % 9000 AS "totalMinor", 900 + i % 8000 AS "subtotalMinor",
             CASE WHEN i % 7 = 0 THEN ARRAY['SUMMER10'] ELSE '{}'::text[] END AS "discountCodes",
             1 + i % 5 AS "itemQuantity", ARRAY[(i % 1000)::text, (i % 333)::text] AS "productIds",
             ARRAY['Shoes'] AS "productTypes", CASE WHEN i % 3 = 0 THEN 'google' END AS "utmSource",
             'web' AS "sourceName"
      FROM generate_series(1, ${orders}) i`);
  await client.query(`CREATE UNLOGGED TABLE bench_membership (
    "shopId" text, "customerId" bigint, segments text[], reasons text[], "sinceDay" int[], tags text[])`);
}

function membershipRows(count: number) {
  const segments = ["rfm/champions", "lifecycle/active", "discount/seeker"];
  const reasons = ["recency 12 days, 9 orders", "ordered in the last 90 days", "4 of 9 orders discounted"];
  return Array.from({ length: count }, (_, i) => ({
    customerId: String(1_000_000 + i),
    segments: segments.slice(0, 1 + (i % 3)),
    reasons: reasons.slice(0, 1 + (i % 3)),
    sinceDay: [20_000 + (i % 300), 20_100, 20_200].slice(0, 1 + (i % 3)),
    tags: ["seg:champions", "seg:active", "seg:seeker"].slice(0, 1 + (i % 3)),
  }));
}

function binaryWriter(rows: ReturnType<typeof membershipRows>): BinaryCopyWriter {
  const writer = new BinaryCopyWriter();
  for (const r of rows) {
    writer.row(6).text("bench-shop").int8(r.customerId).textArray(r.segments).textArray(r.reasons);
    writer.int4Array(r.sinceDay).textArray(r.tags);
  }
  return writer;
}

export async function benchCopy(orders = 2_000_000, memberships = 1_000_000, runs = 3) {
  // Recreated on each run, like the other benches' databases (the migrated schema is not used).
  const client = new pg.Client({ connectionString: await freshDatabase(SERVER, "segments_bench_copy") });
  try {
    await client.connect();
    await setUp(client, orders);
    const rows = membershipRows(memberships);
    const lines = rows.map(
      (r) =>
        `bench-shop\t${r.customerId}\t${copyText(r.segments)}\t${copyText(r.reasons)}\t{${r.sinceDay.join(",")}}\t${copyText(r.tags)}\n`,
    );
    const starts = new Int32Array(16);
    const ends = new Int32Array(16);
    let idSum = 0;
    const onRow = (row: Buffer) => {
      splitCopyRow(row, starts, ends);
      idSum += copyInt(row, starts[0], ends[0])!;
    };
    const orderSql = `COPY (SELECT * FROM bench_order) TO STDOUT`;
    const textSql = `COPY bench_membership FROM STDIN`;
    const binarySql = `COPY bench_membership FROM STDIN (FORMAT binary)`;

    // Each case: its input, made before the clock starts, and the two implementations.
    type Case = {
      expected: number;
      input: () => unknown;
      handMade: (input: any) => Promise<number>;
      pgCopyStreams: (input: any) => Promise<number>;
    };
    const cases: Record<string, Case> = {
      copyToOrders: {
        expected: orders,
        input: () => undefined,
        handMade: () => handMadeCopyTo(client, orderSql, onRow),
        pgCopyStreams: () => copyTo(client, orderSql, onRow),
      },
      copyFromTextMemberships: {
        expected: memberships,
        input: () => lines,
        handMade: (input: string[]) => handMadeCopyIn(client, textSql, copyTextChunks(input)),
        pgCopyStreams: (input: string[]) => copyFrom(client, textSql, input),
      },
      copyFromBinaryMemberships: {
        expected: memberships,
        input: () => binaryWriter(rows),
        handMade: (writer: BinaryCopyWriter) => handMadeCopyIn(client, binarySql, writer.finish()),
        pgCopyStreams: (writer: BinaryCopyWriter) => copyFromBinary(client, binarySql, writer),
      },
    };
    const result: Record<string, unknown> = { orders, memberships, runs };
    for (const [caseName, bench] of Object.entries(cases)) {
      const timings: Record<string, Timing[]> = { handMade: [], pgCopyStreams: [] };
      for (let run = 0; run < runs; run++) {
        // Alternating, and the other way round every second run, so load drifts hit both.
        const order =
          run % 2 === 0 ? (["handMade", "pgCopyStreams"] as const) : (["pgCopyStreams", "handMade"] as const);
        for (const variant of order) {
          await client.query(`TRUNCATE bench_membership`);
          const input = bench.input();
          let count = 0;
          timings[variant].push(await timed(async () => (count = await bench[variant](input))));
          if (count !== bench.expected) throw new Error(`${caseName} ${variant}: ${count} rows, not ${bench.expected}`);
        }
      }
      result[caseName] = Object.fromEntries(
        Object.entries(timings).map(([variant, list]) => [
          variant,
          {
            medianWallMs: median(list.map((t) => t.wallMs)),
            medianCpuMs: median(list.map((t) => t.cpuMs)),
            wallMs: list.map((t) => t.wallMs),
            cpuMs: list.map((t) => t.cpuMs),
          },
        ]),
      );
    }
    // Each COPY TO run adds every id once (1 + 2 + ... + orders): a check that every row was read whole.
    if (idSum !== runs * 2 * ((orders * (orders + 1)) / 2)) throw new Error(`COPY TO id sum ${idSum} is wrong`);
    return result;
  } finally {
    await client.end().catch(() => undefined);
  }
}

runAlone(import.meta.url, ([orders, memberships, runs]) => benchCopy(orders, memberships, runs));
