// Benchmark of a full recompute on a synthetic store already in PostgreSQL:
// stored orders -> features -> fit (cut-offs stored) -> chunked assignment
// with memberships written as differences -> tag differences. No Admin API
// writes. Compared with the floor (issue 18): the fastest plain SQL
// aggregation of the same orders (a hash aggregate over a sequential scan with
// work_mem 256MB, streamed out with COPY), measured in the same run before and
// after the first recompute (the faster of the two counts), so the floor and
// the recompute see the same load. The old floor, the default plan of the same
// GROUP BY returned to Node as pg row objects, is reported as
// sqlDefaultPlanMs. The chunk jobs run in one worker process per core
// (bench/recompute-chunk-worker.ts), as `npm run worker` runs them, started
// before the clock (a worker's processes are up before a recompute is enqueued),
// each taking one chunk at a time as soon as the fit step has stored its slice
// (ADR 049). The shop has the default settings (customer metafields on, so
// every chunk queues the metafield values that changed). After the first run
// its tag changes and queued metafield values are recorded as the write-back
// records what it applied (no Admin API call), so the customers
// start the next runs in sync, as after a shop's first write-back. Then it
// recomputes the same data twice more: as of the same instant (nothing
// changes) and as of a day later (the nightly case). Memory is what the
// run's processes hold at once (bench/summed-rss.ts, ADR 057). Run alone under
// the worker's flags and environment, as `npm run bench` runs it:
// `MALLOC_MMAP_THRESHOLD_=131072 node --max-semi-space-size=32 --expose-gc
// --import tsx bench/recompute.ts [customers] [orders]` (the chunk processes
// get both from workerExecArgv and workerEnv).
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { copyTo } from "../app/stores/pg/copy.server";
import { analyzeAfterBulkWrite } from "../app/stores/pg/pool.server";
import { applyMigrations } from "../scripts/migrate";
import { databaseOn } from "../scripts/services";
import { sliceOwnerData } from "../app/recompute/chunk.server";
import { fitShopStep, type ChunkHandOver, type ChunkPlan } from "../app/recompute/fit.server";
import { dropRecomputeSlices } from "../app/stores/runs.server";
import { endShopTagPass, startShopTagPass, type ShopTagPass } from "../app/writeback/tag-changes.server";
import { recordAppliedTags } from "../app/writeback/tags.server";
import { shopConfigFrom } from "../app/settings/shop-config";
import { workerEnv, workerExecArgv } from "../app/workers/node-flags";
import { runAlone } from "./run-alone";
import { sampleSummedRss } from "./summed-rss";
import type { ChunkRun, ChunkWork } from "./recompute-chunk-worker";
import { childProcessEnv, runtimeEnv, scriptEnv } from "../app/config/env.server";

export interface RecomputeBenchResult {
  customers: number;
  orders: number;
  /** Full recompute (fit + chunks + tag differences), first run: every membership is new. */
  ms: number;
  /** Fastest plain SQL aggregation of the same orders: hash aggregate over a seq scan, COPY out. */
  sqlFloorMs: number;
  /** The old floor: the default plan of the GROUP BY, returned as pg row objects. */
  sqlDefaultPlanMs: number;
  /** ms / sqlFloorMs. */
  ratio: number;
  /**
   * The most the first run's processes (the fit step's and the chunk
   * processes) held at once (summedPeakRssMb[0], the run ms measures);
   * without /proc to sample, the highest single process's peak.
   */
  peakRssMb: number;
  /** Load average (1 min) at the start and the end of the bench: the machine is shared. */
  loadAverage: number[];
  details: {
    loadAndFeaturesMs: number;
    fitMs: number;
    /** Writing each chunk's feature slice for the chunk jobs (the chunks run meanwhile). */
    slicesMs: number;
    /** The fit step's garbage collection once its features are dropped (ADR 057; the chunks run meanwhile). */
    collectMs: number;
    /** From the cut-offs stored (the first slice about to be written) to the last chunk done (and, on a first run, its rows analysed). */
    chunksMs: number;
    /** Whether the first run's membership rows were analysed after its chunks, as the recompute job does. */
    analyzed: boolean;
    tagDiffMs: number;
    chunks: number;
    /** Worker processes the chunk jobs ran in (one per core). */
    chunkProcesses: number;
    memberships: number;
    customersWithTagChanges: number;
    /** Customers whose metafield values the first run queued for the write-back (every customer). */
    metafieldsPending: number;
    /**
     * The same recompute again on unchanged data (memberships compared,
     * nothing written), as after a settings change: it fits from the first
     * run's kept read instead of reading the orders (ADR 051).
     */
    secondRunMs: number;
    /** Its steps, as above (loadAndFeaturesMs: the change log's lookup and the kept slices' fit columns). */
    secondRunSteps: RunSteps;
    /** 0: the kept read was used. */
    secondRunReadThreads: number;
    /** Membership rows it wrote (none: nothing changed). */
    secondRunRowsWritten: number;
    /** None: the first run's values were recorded as written before it. */
    secondRunMetafieldsPending: number;
    /** None: the first run's tag changes were recorded as applied (as the write-back does) before it. */
    secondRunCustomersWithTagChanges: number;
    /**
     * The nightly case as a shop sees it: recomputed as of a day later, after
     * a day's orders (the kept read is patched with their customers, ADR
     * 065). Recency, P(alive) and the reasons' day counts move, so rows are
     * rewritten.
     */
    nextDayRunMs: number;
    /** The day's orders added before it (addNextDayOrders). */
    nextDayOrders: number;
    /** nextDayRunMs / sqlFloorMs. */
    nextDayRatio: number;
    /** The customers re-read and slices rewritten when the kept read was patched with the day's changes (ADR 065). */
    nextDayPatched: { customers: number; guests: boolean; slices: number } | null;
    nextDayRunSteps: RunSteps;
    /** Threads the orders were read on (0: none, the kept read was patched). */
    nextDayReadThreads: number;
    nextDayRowsWritten: number;
    /** Customers whose metafield values the nightly run queued (those that differ from the written values). */
    nextDayMetafieldsPending: number;
    /** Customers whose tags a day changes (those whose segments changed). */
    nextDayCustomersWithTagChanges: number;
    /** Recording the first run's tag changes as applied and its metafield values as written (not timed in the runs). */
    recordWriteBackMs: number;
    generateMs: number;
    /** Both measurements of the floor (before and after the first recompute) and its plan's top node. */
    sqlFloorRunsMs: number[];
    sqlFloorPlan: string;
    /** Peak RSS of this process (read, fit, slices, tag differences) and of the chunk processes. */
    mainPeakRssMb: number;
    chunkPeakRssMb: number;
    /**
     * The highest sum of the fit step's process's and the chunk processes'
     * resident memory in the first, the same-instant and the next-day run
     * (sampled every 25 ms; null without /proc): what the recompute holds on
     * the machine at once. mainPeakRssMb and chunkPeakRssMb are each
     * process's own peak.
     */
    summedPeakRssMb: Array<number | null>;
    /** Threads the fit step read the orders on (RECOMPUTE_READ_THREADS, else one). */
    readThreads: number;
    /** The server's settings the figures were measured under (README: PostgreSQL in production). */
    postgres: Record<string, string>;
  };
}

const SERVER = scriptEnv().BENCH_POSTGRES_URL ?? "postgresql://root@127.0.0.1:5432/postgres";
const SHOP_ID = "bench-shop";
const AS_OF = new Date("2026-06-30T12:00:00Z");

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates (or reuses, when it already holds this size) the bench database and store. */
async function prepare(customers: number, orders: number): Promise<{ url: string; generateMs: number }> {
  const name = "segments_bench";
  const url = databaseOn(SERVER, name);
  const t0 = performance.now();
  const exists = await withClient(
    SERVER,
    async (c) => (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount! > 0,
  );
  if (exists) {
    const same = await withClient(url, async (c) => {
      try {
        const { rows } = await c.query(
          // The orders a previous run added as its next day's do not count (benchRecompute deletes them).
          `SELECT (SELECT count(*) FROM "Customer" WHERE "shopId" = $1)::int AS c,
             (SELECT count(*) FROM "Order" WHERE "shopId" = $1 AND id < $2)::int AS o`,
          [SHOP_ID, NEXT_DAY_FIRST_ORDER],
        );
        return rows[0].c === customers && rows[0].o === orders;
      } catch {
        return false;
      }
    });
    if (same) {
      await applyMigrations(url); // the bench database outlives schema changes
      return { url, generateMs: 0 };
    }
    await withClient(SERVER, (c) => c.query(`DROP DATABASE "${name}" WITH (FORCE)`));
  }
  await withClient(SERVER, (c) => c.query(`CREATE DATABASE "${name}"`));
  await applyMigrations(url);
  await withClient(url, async (c) => {
    await c.query(`SELECT setseed(0.42)`);
    await c.query(
      `INSERT INTO "Shop" (id, domain, timezone, currency, settings, "updatedAt")
       VALUES ($1, 'bench.myshopify.com', 'UTC', 'USD', '{}', now())`,
      [SHOP_ID],
    );
    await c.query(
      `INSERT INTO "Customer" ("shopId", id, "appTags", "tagCount", "updatedAt")
       SELECT $1, 7000000000 + g, '{}', g % 4, now() FROM generate_series(1, $2::int) g`,
      [SHOP_ID, customers],
    );
    // Skewed: low customer numbers order much more often; some customers never order.
    await c.query(
      `INSERT INTO "Order" ("shopId", id, "customerId", "processedAt", "shopifyUpdatedAt", currency, "totalMinor",
         "subtotalMinor", "discountMinor", "discountCodes", "itemQuantity", "lineCount", "shippingMinor", "sourceName", "syncedAt")
       SELECT $1, 5000000000 + g, 7000000000 + 1 + floor($2::int * power(random(), 1.6))::bigint,
         t, t, 'USD', total, total + disc, disc, CASE WHEN disc > 0 THEN '{SAVE10}'::text[] ELSE '{}' END,
         1 + (g % 5), 1 + (g % 3), CASE WHEN total > 5000 THEN 0 ELSE 499 END, 'web', now()
       FROM (SELECT g, timestamptz '2026-06-30 12:00:00+00' - random() * interval '1095 days' AS t,
               500 + floor(random() * random() * 30000)::int AS total,
               CASE WHEN random() < 0.3 THEN floor(random() * 1500)::int ELSE 0 END AS disc
             FROM generate_series(1, $3::int) g) s`,
      [SHOP_ID, customers, orders],
    );
    await c.query(`VACUUM ANALYZE`);
  });
  return { url, generateMs: performance.now() - t0 };
}

/** Order ids from here on are the next day's (the generated ones are 5000000001 + …). */
const NEXT_DAY_FIRST_ORDER = 9_000_000_000;

/**
 * A day's orders after AS_OF: the generated history's daily average (its
 * orders over its 1,095 days), for customers drawn as the generator draws
 * them. Returns how many.
 */
async function addNextDayOrders(url: string, customers: number, orders: number): Promise<number> {
  const count = Math.round(orders / 1095);
  await withClient(url, (c) =>
    c.query(
      `INSERT INTO "Order" ("shopId", id, "customerId", "processedAt", "shopifyUpdatedAt", currency, "totalMinor",
         "subtotalMinor", "discountMinor", "discountCodes", "itemQuantity", "lineCount", "shippingMinor", "sourceName", "syncedAt")
       SELECT $1, $4::bigint + g, 7000000000 + 1 + floor($2::int * power(random(), 1.6))::bigint,
         t, t, 'USD', total, total, 0, '{}', 1 + (g % 5), 1 + (g % 3), CASE WHEN total > 5000 THEN 0 ELSE 499 END, 'web', now()
       FROM (SELECT g, timestamptz '2026-06-30 12:00:00+00' + random() * interval '1 day' AS t,
               500 + floor(random() * random() * 30000)::int AS total
             FROM generate_series(1, $3::int) g) s`,
      [SHOP_ID, customers, count, NEXT_DAY_FIRST_ORDER],
    ),
  );
  return count;
}

const FLOOR_AGGREGATE = `SELECT "customerId", count(*), sum("totalMinor"), min("processedAt"), max("processedAt")
  FROM "Order" WHERE "shopId" = '${SHOP_ID}' GROUP BY 1`;

/**
 * The floor: the same aggregation as a hash aggregate over a sequential scan
 * (index scans off, enough work_mem for the hash table), its rows streamed out
 * with COPY and counted. Returns the time and the plan's top nodes.
 */
async function sqlFloor(url: string): Promise<{ ms: number; plan: string; rows: number }> {
  return withClient(url, async (c) => {
    await c.query(`SET work_mem = '256MB'`);
    await c.query(`SET enable_indexscan = off`);
    await c.query(`SET enable_indexonlyscan = off`);
    await c.query(`SET enable_bitmapscan = off`);
    const { rows: explain } = await c.query(`EXPLAIN ${FLOOR_AGGREGATE}`);
    const plan = explain
      .map((r) =>
        String(r["QUERY PLAN"])
          .trim()
          .replace(/^->\s*/, "")
          .replace(/\s*\(cost.*$/, ""),
      )
      .filter((line) => /^(Hash|Group|Sort|Seq|Index|Bitmap|Parallel|Gather|Finalize|Partial|Mixed)/.test(line))
      .join(" <- ");
    let rows = 0;
    const t0 = performance.now();
    await copyTo(c, `COPY (${FLOOR_AGGREGATE}) TO STDOUT`, () => rows++);
    return { ms: performance.now() - t0, plan, rows };
  });
}

/** The old floor: the default plan of the GROUP BY, every row returned as a pg row object. */
async function sqlDefaultPlan(url: string): Promise<number> {
  const t0 = performance.now();
  await withClient(url, (c) => c.query(FLOOR_AGGREGATE));
  return performance.now() - t0;
}

/** Settings that bear on the recompute's reads and bulk writes, as the server runs with them. */
const POSTGRES_SETTINGS = [
  "server_version",
  "shared_buffers",
  "work_mem",
  "maintenance_work_mem",
  "max_wal_size",
  "checkpoint_timeout",
  "wal_compression",
  "synchronous_commit",
  "max_parallel_workers_per_gather",
];

async function postgresSettings(url: string): Promise<Record<string, string>> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ name: string; value: string }>(
      `SELECT name, current_setting(name) AS value FROM pg_settings WHERE name = ANY($1) ORDER BY name`,
      [POSTGRES_SETTINGS],
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.value]));
  });
}

/** What the chunk processes did: memberships entered, membership rows written, metafield values queued, the higher peak RSS. */
interface ChunkTotals {
  entered: number;
  rowsWritten: number;
  metafieldsPending: number;
  peakRssMb: number;
}

/** A chunk worker process, started and connected before the recompute's clock starts. */
interface ChunkProcess {
  /** Tells the process its run (it then reads the shop's settings and cut-offs, as a chunk job does). */
  begin(run: ChunkRun): void;
  /** Runs one chunk; resolves once it is done. */
  run(work: ChunkWork): Promise<void>;
  /** No more chunks: resolves with the process's totals once it has exited. */
  finish(): Promise<ChunkTotals>;
  /** Ends the process if it is still running (the recompute failed before its chunks). */
  stop(): void;
  pid: number;
}

/**
 * Starts `processes` chunk worker processes (one per core, with the node
 * flags `npm run worker` gives its processes) and resolves once each has
 * loaded its modules and connected: a worker's processes are running before a
 * recompute is enqueued, so booting them is not part of the recompute.
 */
async function startChunkProcesses(url: string, processes: number): Promise<ChunkProcess[]> {
  return Promise.all(
    Array.from({ length: processes }, () => {
      const child = spawn(
        process.execPath,
        [
          ...workerExecArgv([], undefined),
          "--import",
          "tsx",
          path.join(import.meta.dirname, "recompute-chunk-worker.ts"),
        ],
        {
          env: childProcessEnv({ BENCH_CHUNK_DATABASE: url, ...workerEnv(runtimeEnv()) }),
          stdio: ["pipe", "pipe", "inherit"],
        },
      );
      const exited = new Promise<void>((resolve, reject) => {
        child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`chunk worker exited with ${code}`))));
      });
      // Reported through the line it interrupts (nextLine), not as an unhandled rejection.
      exited.catch(() => undefined);
      // Each line the process prints, in order: "ready", one per chunk, then its totals.
      const waiting: Array<(line: string) => void> = [];
      createInterface({ input: child.stdout }).on("line", (line) => waiting.shift()?.(line));
      const nextLine = () =>
        Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), exited.then(() => "")]);
      return nextLine().then((line): ChunkProcess => {
        if (line !== "ready") throw new Error(`chunk worker said ${JSON.stringify(line)} instead of ready`);
        return {
          begin(run) {
            child.stdin.write(`${JSON.stringify(run)}\n`);
          },
          async run(work) {
            const answer = nextLine();
            child.stdin.write(`${JSON.stringify(work)}\n`);
            const { done } = JSON.parse(await answer) as { done: number };
            if (done !== work.index) throw new Error(`chunk worker answered chunk ${done} for ${work.index}`);
          },
          async finish() {
            const totals = nextLine();
            child.stdin.end();
            const line = await totals;
            await exited;
            return JSON.parse(line) as ChunkTotals;
          },
          stop() {
            if (child.exitCode === null) child.kill();
          },
          pid: child.pid!,
        };
      });
    }),
  );
}

/**
 * The chunk step as the queue runs it: each chunk is handed to an idle
 * process as soon as the fit step has stored its slice (ChunkHandOver), one
 * chunk at a time per process, like workers taking jobs from one queue.
 */
class ChunkDispatcher implements ChunkHandOver {
  private readonly idle: ChunkProcess[];
  private readonly waiting: ChunkWork[] = [];
  private plan: ChunkPlan | null = null;
  private done = 0;
  private failure: Error | null = null;
  private allDone: (() => void) | null = null;
  private finished: Promise<void> | null = null;
  startedAt = 0;

  constructor(
    private readonly workers: ChunkProcess[],
    private readonly runId: string,
    private readonly asOf: Date,
  ) {
    this.idle = [...workers];
  }

  async planned(plan: ChunkPlan): Promise<void> {
    this.plan = plan;
    this.startedAt = performance.now();
    this.finished = new Promise<void>((resolve) => (this.allDone = resolve));
    if (plan.ranges.length === 0) this.allDone!();
    for (const worker of this.workers) {
      worker.begin({
        shopId: SHOP_ID,
        runId: this.runId,
        readAt: plan.readAt.toISOString(),
        ...(plan.slices ? { slices: sliceOwnerData(plan.slices) } : {}),
        asOf: this.asOf.toISOString(),
        recordTransitions: !plan.firstRun,
      });
    }
  }

  async ready(index: number): Promise<void> {
    this.waiting.push({ index, range: this.plan!.ranges[index] });
    this.pump();
  }

  private pump(): void {
    while (this.idle.length && this.waiting.length) {
      const worker = this.idle.shift()!;
      const work = this.waiting.shift()!;
      worker.run(work).then(
        () => {
          this.idle.push(worker);
          if (++this.done === this.plan!.ranges.length) this.allDone!();
          this.pump();
        },
        (error: Error) => {
          this.failure = error;
          this.allDone!();
        },
      );
    }
  }

  /** Waits for every chunk, then for the processes' totals. */
  async finish(): Promise<ChunkTotals> {
    if (!this.finished) throw new Error("the fit step planned no chunks");
    await this.finished;
    if (this.failure) throw this.failure;
    const results = await Promise.all(this.workers.map((worker) => worker.finish()));
    return {
      entered: results.reduce((a, r) => a + r.entered, 0),
      rowsWritten: results.reduce((a, r) => a + r.rowsWritten, 0),
      metafieldsPending: results.reduce((a, r) => a + r.metafieldsPending, 0),
      peakRssMb: Math.max(...results.map((r) => r.peakRssMb)),
    };
  }
}

async function recomputeOnce(url: string, processes: number, asOf: Date) {
  const main = new pg.Client({ connectionString: url });
  await main.connect();
  let workers: ChunkProcess[] = [];
  let summed: ReturnType<typeof sampleSummedRss> | undefined;
  try {
    const { rows } = await main.query(`SELECT * FROM "Shop" WHERE id = $1`, [SHOP_ID]);
    const config = shopConfigFrom(rows[0]);
    workers = await startChunkProcesses(url, processes);
    summed = sampleSummedRss([process.pid, ...workers.map((w) => w.pid)]);
    const t0 = performance.now();
    const runId = `bench-${Date.now()}`;
    // Read threads and chunk size as the recompute job takes them (RECOMPUTE_READ_THREADS, RECOMPUTE_CHUNK_SIZE).
    const dispatcher = new ChunkDispatcher(workers, runId, asOf);
    const chunkSize = runtimeEnv().RECOMPUTE_CHUNK_SIZE;
    const fit = await fitShopStep(main, config, asOf, {
      runId,
      handOver: dispatcher,
      ...(chunkSize ? { chunkSize } : {}),
    });
    const chunks = await dispatcher.finish();
    // As the recompute job does once its chunks are done: a first run's rows analysed (analyzeAfterBulkWrite).
    const analyzed = fit.firstRun ? await analyzeAfterBulkWrite(main, "SegmentMembership", fit.customers) : false;
    const t2 = performance.now();
    // The write-back's comparison: every customer after a first run, the customers logged since on the next (ADR 066).
    const tagPass = await startShopTagPass(main, config);
    const t3 = performance.now();
    const summedPeakRssMb = await summed.stop();
    await dropRecomputeSlices(main, runId);
    return {
      ms: t3 - t0,
      loadAndFeaturesMs: fit.timings.loadMs,
      fitMs: fit.timings.fitMs,
      slicesMs: fit.timings.slicesMs,
      collectMs: fit.timings.collectMs,
      chunksMs: t2 - dispatcher.startedAt,
      analyzed,
      tagDiffMs: t3 - t2,
      chunks: fit.ranges.length,
      readThreads: fit.readThreads,
      patched: fit.patched ?? null,
      memberships: chunks.entered,
      rowsWritten: chunks.rowsWritten,
      metafieldsPending: chunks.metafieldsPending,
      chunkPeakRssMb: chunks.peakRssMb,
      summedPeakRssMb,
      tagChanges: tagPass.changes,
      tagPass,
      customers: fit.customers,
      orders: fit.orders,
    };
  } finally {
    void summed?.stop();
    for (const worker of workers) worker.stop();
    await main.end();
  }
}

interface RunSteps {
  loadAndFeaturesMs: number;
  fitMs: number;
  slicesMs: number;
  collectMs: number;
  chunksMs: number;
  tagDiffMs: number;
}

/** A run's steps, as the first run's are reported (chunksMs overlaps slicesMs). */
function steps(run: Awaited<ReturnType<typeof recomputeOnce>>): RunSteps {
  return {
    loadAndFeaturesMs: Math.round(run.loadAndFeaturesMs),
    fitMs: Math.round(run.fitMs),
    slicesMs: Math.round(run.slicesMs),
    collectMs: Math.round(run.collectMs),
    chunksMs: Math.round(run.chunksMs),
    tagDiffMs: Math.round(run.tagDiffMs),
  };
}

/**
 * Records tag changes with the write-back's own record of the tags it applied
 * (Customer.appTags and tagCount), and the queued metafield values as written
 * (their hash per customer, the pending rows removed, as recordWrittenMetafields
 * does for the values it sent), without sending either to a store: the next
 * recompute then finds every customer in sync, as a shop's nightly run does
 * after its first write-back.
 */
async function recordWriteBackAsDone(url: string, pass: ShopTagPass): Promise<number> {
  const t0 = performance.now();
  await withClient(url, async (c) => {
    await recordAppliedTags(c, SHOP_ID, pass.changes);
    await endShopTagPass(c, SHOP_ID, pass, []);
    await c.query(
      `INSERT INTO "CustomerWriteback" ("shopId", "customerId", "metafieldHash", "updatedAt")
       SELECT "shopId", "customerId", hash, now() FROM "PendingMetafields" WHERE "shopId" = $1
       ON CONFLICT ("shopId", "customerId") DO UPDATE SET "metafieldHash" = EXCLUDED."metafieldHash", "updatedAt" = now()`,
      [SHOP_ID],
    );
    await c.query(`DELETE FROM "PendingMetafields" WHERE "shopId" = $1`, [SHOP_ID]);
    await c.query(`VACUUM ANALYZE "Customer", "CustomerWriteback", "PendingMetafields"`);
  });
  return performance.now() - t0;
}

/** Ends a run's tag pass without recording its changes (nothing sent): the log rows it saw are consumed. */
async function endTagPassUnsent(url: string, pass: ShopTagPass): Promise<void> {
  await withClient(url, (c) => endShopTagPass(c, SHOP_ID, pass, []));
}

export async function benchRecompute(
  opts: { customers?: number; orders?: number } = {},
): Promise<RecomputeBenchResult> {
  const customers = opts.customers ?? 1_000_000;
  const orders = opts.orders ?? 5_000_000;
  const { url, generateMs } = await prepare(customers, orders);
  await withClient(url, async (c) => {
    await c.query(
      `TRUNCATE "SegmentMembership", "SegmentTransition", "ShopModel", "PendingMetafields", "CustomerWriteback", "RecomputeSlice", "FeatureRead", "FeatureChange", "TagSyncChange"`,
    );
    // The orders a previous bench run added as its next day's.
    await c.query(`DELETE FROM "Order" WHERE "shopId" = $1 AND id >= $2`, [SHOP_ID, NEXT_DAY_FIRST_ORDER]);
    // The shop's settings as installed: every default, customer metafields on.
    await c.query(`UPDATE "Shop" SET settings = '{}' WHERE id = $1`, [SHOP_ID]);
    // As after an install's backfill: the shop's change log not on yet (the first recompute turns it on, ADR 064).
    await c.query(`UPDATE "Shop" SET "logsFeatureChanges" = false WHERE id = $1`, [SHOP_ID]);
    // As a first recompute does: the tag sync log off, the write-back after it compares every customer (ADR 066).
    await c.query(`UPDATE "Shop" SET "tagLogKey" = NULL, "tagLogComplete" = false WHERE id = $1`, [SHOP_ID]);
    // The customers as generated: no app tags (a previous bench run recorded its first run's).
    const { rowCount } = await c.query(
      `UPDATE "Customer" SET "appTags" = '{}', "tagCount" = (id - 7000000000) % 4 WHERE "shopId" = $1 AND "appTags" <> '{}'`,
      [SHOP_ID],
    );
    await c.query(`VACUUM ANALYZE "SegmentMembership"`);
    if (rowCount) await c.query(`VACUUM ANALYZE "Customer"`);
  });
  const loadAverage = [os.loadavg()[0]];
  // The floor, just before and just after the first recompute: the faster counts.
  const floorBefore = await sqlFloor(url);
  const processes = os.availableParallelism();
  const first = await recomputeOnce(url, processes, AS_OF);
  const floorAfter = await sqlFloor(url);
  const sqlFloorMs = Math.min(floorBefore.ms, floorAfter.ms);
  const firstTagChanges = first.tagChanges.length;
  // Emptied here: a million changes kept through the next runs would count in their peak.
  const recordWriteBackMs = await recordWriteBackAsDone(url, first.tagPass);
  first.tagChanges.splice(0);
  // The same instant again, nothing changed (a settings change, a manual recompute): the first run's read is kept (ADR 051).
  const second = await recomputeOnce(url, processes, AS_OF);
  await endTagPassUnsent(url, second.tagPass);
  // The nightly case as a shop sees it: a day later, after a day's orders
  // (the generated history's daily average, for its customers as skewed), which
  // the kept read is patched with (ADR 065).
  const dayOrders = await addNextDayOrders(url, customers, orders);
  const nextDay = await recomputeOnce(url, processes, new Date(AS_OF.getTime() + 86_400_000));
  loadAverage.push(os.loadavg()[0]);
  // This process's own peak (the fit step's, and the bench's between runs).
  const mainPeakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  // Last: its million pg row objects would otherwise grow this process's heap
  // before the recompute and count in the recompute's peak.
  const sqlDefaultPlanMs = await sqlDefaultPlan(url);
  const chunkPeakRssMb = Math.max(first.chunkPeakRssMb, second.chunkPeakRssMb, nextDay.chunkPeakRssMb);
  const summedPeakRssMb = [first.summedPeakRssMb, second.summedPeakRssMb, nextDay.summedPeakRssMb];
  const peakRssMb = first.summedPeakRssMb ?? Math.max(mainPeakRssMb, chunkPeakRssMb);
  return {
    customers: first.customers,
    orders: first.orders,
    ms: Math.round(first.ms),
    sqlFloorMs: Math.round(sqlFloorMs),
    sqlDefaultPlanMs: Math.round(sqlDefaultPlanMs),
    ratio: Number((first.ms / sqlFloorMs).toFixed(2)),
    peakRssMb,
    loadAverage: loadAverage.map((l) => Number(l.toFixed(1))),
    details: {
      ...steps(first),
      analyzed: first.analyzed,
      chunks: first.chunks,
      readThreads: first.readThreads,
      chunkProcesses: processes,
      memberships: first.memberships,
      customersWithTagChanges: firstTagChanges,
      metafieldsPending: first.metafieldsPending,
      secondRunMs: Math.round(second.ms),
      secondRunSteps: steps(second),
      secondRunReadThreads: second.readThreads,
      secondRunRowsWritten: second.rowsWritten,
      secondRunMetafieldsPending: second.metafieldsPending,
      secondRunCustomersWithTagChanges: second.tagChanges.length,
      nextDayOrders: dayOrders,
      nextDayRunMs: Math.round(nextDay.ms),
      nextDayRatio: Number((nextDay.ms / sqlFloorMs).toFixed(2)),
      nextDayPatched: nextDay.patched,
      nextDayRunSteps: steps(nextDay),
      nextDayReadThreads: nextDay.readThreads,
      nextDayRowsWritten: nextDay.rowsWritten,
      nextDayMetafieldsPending: nextDay.metafieldsPending,
      nextDayCustomersWithTagChanges: nextDay.tagChanges.length,
      recordWriteBackMs: Math.round(recordWriteBackMs),
      generateMs: Math.round(generateMs),
      sqlFloorRunsMs: [Math.round(floorBefore.ms), Math.round(floorAfter.ms)],
      sqlFloorPlan: floorBefore.plan,
      mainPeakRssMb,
      chunkPeakRssMb,
      summedPeakRssMb,
      postgres: await postgresSettings(url),
    },
  };
}

runAlone(import.meta.url, ([customers, orders]) => benchRecompute({ customers, orders }));
