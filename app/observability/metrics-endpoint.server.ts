import { queues } from "../queues/registry.server";
import { ALL_QUEUES } from "../queues/names";
import { logger } from "../utils/logger.server";
import { METRICS_CONTENT_TYPE, processMetricsText, queueMetricsRegistry } from "./metrics.server";
import { checkBearer, logRefused } from "./operator-auth.server";

let queueRegistry: ReturnType<typeof queueMetricsRegistry> | undefined;

/**
 * The /metrics answer: 401 (logged without the credentials) unless the bearer
 * token matches; else the process's (or its cluster's) metrics followed by
 * the queues' depth and oldest waiting job, read from the backend now.
 */
export async function metricsResponse(request: Request, token: string | undefined): Promise<Response> {
  const refused = token ? checkBearer(request.headers.get("authorization"), token) : "missing";
  if (refused) {
    logRefused(logger, "metrics", {
      reason: refused,
      path: new URL(request.url).pathname,
      ip: request.headers.get("x-forwarded-for"),
      requestId: request.headers.get("x-request-id") ?? undefined,
    });
    return new Response("Unauthorized", { status: 401, headers: { "www-authenticate": "Bearer" } });
  }
  queueRegistry ??= queueMetricsRegistry(async () => {
    const registry = await queues();
    return ALL_QUEUES.map((name) => registry.get(name));
  });
  const [processText, queueText] = await Promise.all([processMetricsText(), queueRegistry.metrics()]);
  return new Response(`${processText}\n${queueText}`, {
    headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" },
  });
}
