// One worker process of the recompute bench's chunk step: runs the chunk
// jobs it is given (as a worker process of `npm run worker` would take them
// from the queue) and prints what they wrote and its peak memory.
// Started by bench/recompute.ts, one per core, before the recompute's clock
// starts (a worker's processes are running when a recompute is enqueued): it
// loads its modules, connects, prints "ready", then reads its work as one
// JSON line on stdin. Not a command of its own.
import { createInterface } from "node:readline";
import pg from "pg";
import { processChunk } from "../app/recompute/chunk.server";
import type { CustomerRange } from "../app/recompute/chunk-ranges";
import { loadShopCutoffs } from "../app/stores/memberships.server";
import { shopConfigFrom } from "../app/settings/shop-config";
import { scriptEnv } from "../app/config/env.server";

export interface ChunkWork {
  shopId: string;
  runId: string;
  readAt: string;
  asOf: string;
  recordTransitions: boolean;
  chunks: Array<{ index: number; range: CustomerRange }>;
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
  const line = await lines.next();
  if (line.done) throw new Error("no chunk work on stdin");
  const work = JSON.parse(line.value) as ChunkWork;
  // What a chunk job reads at its start (recomputeChunk): the shop's settings and its stored cut-offs.
  const { rows } = await client.query(`SELECT * FROM "Shop" WHERE id = $1`, [work.shopId]);
  const config = shopConfigFrom(rows[0]);
  const model = await loadShopCutoffs(client, work.shopId);
  if (!model) throw new Error("no stored cut-offs");
  let entered = 0;
  for (const { index, range } of work.chunks) {
    const r = await processChunk(client, {
      config,
      cutoffs: model.cutoffs,
      asOf: new Date(work.asOf),
      range,
      recordTransitions: work.recordTransitions,
      slice: { runId: work.runId, index, readAt: new Date(work.readAt) },
    });
    entered += r.entered;
  }
  console.log(JSON.stringify({ entered, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
} finally {
  await client.end();
}
process.stdin.destroy();
