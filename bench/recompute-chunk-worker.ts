// One worker process of the recompute bench's chunk step: runs the chunk
// jobs it is given (as a worker process of `npm run worker` takes them from
// the queue, one at a time) and prints what they wrote and its peak memory.
// Started by bench/recompute.ts, one per core, before the recompute's clock
// starts (a worker's processes are running when a recompute is enqueued): it
// loads its modules, connects and prints "ready". Then, on stdin, one JSON
// line: the run (ChunkRun), then one line per chunk as soon as the fit step
// has stored its slice (ChunkWork); it answers each chunk with a line
// {"done": index, "entered": n}. When stdin ends it prints its totals (memberships
// entered, rows written, metafield values queued, peak memory).
// Not a command of its own.
import { createInterface } from "node:readline";
import pg from "pg";
import { chunkSlice, processChunk, sliceOwnerOf, type SliceOwnerData } from "../app/recompute/chunk.server";
import type { CustomerRange } from "../app/recompute/chunk-ranges";
import { loadShopCutoffs } from "../app/stores/memberships.server";
import { shopConfigFrom } from "../app/settings/shop-config";
import { scriptEnv } from "../app/config/env.server";

export interface ChunkRun {
  shopId: string;
  runId: string;
  readAt: string;
  /** The slices' owner when the fit step used the shop's kept read (ADR 051). */
  slices?: SliceOwnerData;
  asOf: string;
  recordTransitions: boolean;
}

export interface ChunkWork {
  index: number;
  range: CustomerRange;
}

const url = scriptEnv().BENCH_CHUNK_DATABASE;
if (!url) {
  console.error("BENCH_CHUNK_DATABASE is not set: this process is started by bench/recompute.ts");
  process.exit(2);
}
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  console.log("ready");
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error("no chunk run on stdin");
  const run = JSON.parse(first.value) as ChunkRun;
  // What a chunk job reads at its start (recomputeChunk): the shop's settings and its stored cut-offs.
  const { rows } = await client.query(`SELECT * FROM "Shop" WHERE id = $1`, [run.shopId]);
  const config = shopConfigFrom(rows[0]);
  const model = await loadShopCutoffs(client, run.shopId);
  if (!model) throw new Error("no stored cut-offs");
  let entered = 0;
  let rowsWritten = 0;
  let metafieldsPending = 0;
  for (let line = await lines.next(); !line.done; line = await lines.next()) {
    const { index, range } = JSON.parse(line.value) as ChunkWork;
    const r = await processChunk(client, {
      config,
      cutoffs: model.cutoffs,
      asOf: new Date(run.asOf),
      range,
      recordTransitions: run.recordTransitions,
      slice: chunkSlice(run.runId, index, new Date(run.readAt), run.slices && sliceOwnerOf(run.slices)),
    });
    entered += r.entered;
    rowsWritten += r.rowsWritten;
    metafieldsPending += r.metafieldsPending;
    console.log(JSON.stringify({ done: index, entered: r.entered }));
  }
  console.log(
    JSON.stringify({
      entered,
      rowsWritten,
      metafieldsPending,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
} finally {
  await client.end();
}
process.stdin.destroy();
