// One worker thread of readShopFeaturesOnCores (./read-features-on-cores.server.ts):
// reads its customer range's customers and orders on its own connection,
// accumulates their features, cuts its range into chunks and sends the
// table's fit columns (encoded, the buffer transferred, not copied) and the
// chunks' ranges back.
// Told the index of its first chunk, it writes its chunks' slices for the
// chunk jobs (when the recompute has a run) and says so. Any error is sent
// back as its message.
import { parentPort, workerData } from "node:worker_threads";
import pg from "pg";
import { encodeFitColumns } from "../segmentation/features/fit-columns";
import { writeRecomputeSlicesAt } from "../stores/runs.server";
import { chunksOf } from "./chunk-ranges";
import type { RangeReadReply, RangeReadRequest, SlicesReply } from "./read-features-on-cores.server";
import { readShopFeatures } from "./read-features.server";

const request = workerData as RangeReadRequest;
const port = parentPort!;
const client = new pg.Client(request.connection);

async function readAndSlice(): Promise<void> {
  let chunks: ReturnType<typeof chunksOf>;
  try {
    await client.connect();
    // The range's orders in the table's physical order: a sequential (or bitmap)
    // scan, never a walk of the (shopId, customerId) index with a heap fetch per row.
    await client.query(`SET enable_indexscan = off`);
    const { table, orders } = await readShopFeatures(
      client,
      request.shopId,
      request.timeZone,
      request.range,
      request.hints,
    );
    chunks = chunksOf(table, request.chunkSize, request.range.from, request.range.to);
    // The fitting thread needs only the columns the fit reads; this thread keeps the
    // whole table for its chunks' slices (ADR 044).
    const bytes = encodeFitColumns(table);
    port.postMessage({ bytes, orders, ranges: chunks.ranges } satisfies RangeReadReply, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ error: (error as Error).message } satisfies RangeReadReply);
    return;
  }
  const { firstIndex } = await new Promise<{ firstIndex: number }>((resolve) => port.once("message", resolve));
  try {
    if (request.slices) await writeRecomputeSlicesAt(client, request.slices, firstIndex, chunks.slices());
    port.postMessage({ written: true } satisfies SlicesReply);
  } catch (error) {
    port.postMessage({ error: (error as Error).message } satisfies SlicesReply);
  }
}

try {
  await readAndSlice();
} finally {
  await client.end().catch(() => undefined);
}
