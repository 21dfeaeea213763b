// One worker thread of readShopFeaturesOnCores (./read-features-on-cores.server.ts):
// reads its customer range's customers and orders on its own connection,
// accumulates their features and sends the table back encoded (its buffer
// transferred, not copied), or the message of the error that stopped it.
import { parentPort, workerData } from "node:worker_threads";
import pg from "pg";
import { encodeFeatureTable } from "../segmentation";
import type { RangeReadReply, RangeReadRequest } from "./read-features-on-cores.server";
import { readShopFeatures } from "./read-features.server";

const request = workerData as RangeReadRequest;
const client = new pg.Client(request.connection);
let reply: RangeReadReply;
const transfer: ArrayBuffer[] = [];
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
  const bytes = encodeFeatureTable(table);
  reply = { bytes, orders };
  transfer.push(bytes.buffer as ArrayBuffer);
} catch (error) {
  reply = { error: (error as Error).message };
} finally {
  await client.end().catch(() => undefined);
}
parentPort!.postMessage(reply, transfer);
