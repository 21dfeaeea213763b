// The webhook bench's floor (issue 18): the least a webhook endpoint must do,
// without the app. Bare node:http, the body read, its HMAC-SHA256 checked
// against X-Shopify-Hmac-Sha256 (401 when it differs), and one BullMQ add to
// the same Redis the app uses (job id from the event id, the body as the job's
// data), then 200. One process per core through node:cluster, as `npm start`
// runs the app. Started by bench/webhooks.ts with BENCH_FLOOR_SERVER.
import cluster from "node:cluster";
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import os from "node:os";
import { createQueue } from "../app/queues/backend.server";
import { QUEUE } from "../app/queues/names";
import { scriptEnv } from "../app/config/env.server";

const config: { port: number; secret: string; prefix: string; redisUrl: string } = JSON.parse(
  scriptEnv().BENCH_FLOOR_SERVER!,
);

if (cluster.isPrimary) {
  const workers = os.availableParallelism();
  for (let i = 0; i < workers; i++) cluster.fork();
  let listening = 0;
  cluster.on("listening", () => {
    if (++listening === workers) process.stdout.write("listening\n");
  });
  process.on("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    process.exit(0);
  });
} else {
  const queue = createQueue({ kind: "redis", url: config.redisUrl, prefix: config.prefix }, QUEUE.webhooks);
  await queue.waitUntilReady();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
      const mac = createHmac("sha256", config.secret).update(body).digest();
      if (given.length !== mac.length || !timingSafeEqual(given, mac)) {
        res.writeHead(401).end();
        return;
      }
      const topic = String(req.headers["x-shopify-topic"]);
      const eventId = String(req.headers["x-shopify-event-id"]);
      queue
        .add(
          topic,
          { shop: req.headers["x-shopify-shop-domain"], topic, eventId, body: body.toString() },
          {
            jobId: `wh-${eventId}`,
            attempts: 8,
          },
        )
        .then(
          () => res.writeHead(200).end(),
          () => res.writeHead(503).end(),
        );
    });
  });
  server.listen(config.port, "127.0.0.1");
  process.on("SIGTERM", () => {
    server.close();
    void queue.close().then(() => process.exit(0));
  });
}
