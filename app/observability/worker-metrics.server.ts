import http from "node:http";
import client from "prom-client";
import type { Logger } from "../utils/logger.server";
import { METRICS_CONTENT_TYPE, registry } from "./metrics.server";
import { checkBearer, logRefused } from "./operator-auth.server";

/**
 * The worker's Prometheus endpoint: GET /metrics on `port`, with the same
 * bearer token as the web app's. In the supervisor of several worker
 * processes it reports all of them (prom-client's AggregatorRegistry asks
 * each over the cluster channel); a single process reports its own.
 */
export function startWorkerMetricsServer(options: {
  port: number;
  token: string | undefined;
  logger: Logger;
  aggregate: boolean;
}): http.Server {
  const aggregator = options.aggregate ? new client.AggregatorRegistry() : undefined;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0];
    if (path !== "/metrics") return void res.writeHead(404).end();
    const refused = options.token ? checkBearer(req.headers.authorization, options.token) : "missing";
    if (refused) {
      logRefused(options.logger, "metrics", { reason: refused, path, ip: req.socket.remoteAddress });
      return void res.writeHead(401, { "www-authenticate": "Bearer" }).end("Unauthorized");
    }
    (aggregator ? aggregator.clusterMetrics() : registry.metrics()).then(
      (text) => res.writeHead(200, { "content-type": METRICS_CONTENT_TYPE }).end(text),
      (error: Error) => {
        options.logger.error({ err: error }, "worker metrics failed");
        res.writeHead(500).end();
      },
    );
  });
  server.on("error", (error) =>
    options.logger.error({ err: error, port: options.port }, "worker metrics server error"),
  );
  server.listen(options.port, () => options.logger.info({ port: options.port }, "worker metrics listening"));
  server.unref();
  return server;
}
