// One worker process of the recompute bench's chunk step: runs the chunk
// jobs it is given (as a worker process of `npm run worker` would take them
// from the queue) and prints what they wrote and its peak memory.
// Started by bench/recompute.ts, one per core; not a command of its own.
import pg from "pg";
import { processChunk } from "../app/recompute/chunk.server";
import type { CustomerRange } from "../app/recompute/chunk-ranges";
import { loadShopCutoffs } from "../app/stores/memberships.server";
import { shopConfigFrom } from "../app/settings/shop-config";
import { scriptEnv } from "../app/config/env.server";

interface ChunkWork {
  url: string;
  shopId: string;
  runId: string;
  readAt: string;
  asOf: string;
  recordTransitions: boolean;
  chunks: Array<{ index: number; range: CustomerRange }>;
}

const work = JSON.parse(scriptEnv().BENCH_CHUNK_WORK ?? "null") as ChunkWork | null;
if (!work) {
  console.error("BENCH_CHUNK_WORK is not set: this process is started by bench/recompute.ts");
  process.exit(2);
}
const client = new pg.Client({ connectionString: work.url });
await client.connect();
try {
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
