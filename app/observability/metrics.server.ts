import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import client from "prom-client";
import type { Queue } from "bullmq";

/**
 * The app's Prometheus metrics (prom-client), one registry per process.
 * Counters and histograms are observed where the work happens (webhook route,
 * worker runtime, recompute, Admin API client); queue gauges are read from
 * the queue backend at scrape time. Labels carry queue, job and topic names
 * and shop-size buckets, never a shop domain or customer (unbounded
 * cardinality, and the shop list is the merchants' business).
 */
export const registry = client.register;

// In a process of a cluster (the web processes of server/cluster.mjs, the worker
// supervisor's children), prom-client answers its primary's AggregatorRegistry
// only once this process has created one too: that is what adds its listener.
if (cluster.isWorker) new client.AggregatorRegistry();

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

export const webhookRequests = new client.Counter({
  name: "segments_webhook_requests_total",
  help: "Webhook deliveries answered, by topic and HTTP status",
  labelNames: ["topic", "status"] as const,
});

export const webhookDuration = new client.Histogram({
  name: "segments_webhook_duration_seconds",
  help: "Time to verify, map and enqueue a webhook delivery",
  labelNames: ["topic"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
});

export const jobDuration = new client.Histogram({
  name: "segments_job_duration_seconds",
  help: "Processing time of jobs, by queue, job name and outcome",
  labelNames: ["queue", "name", "outcome"] as const,
  buckets: DURATION_BUCKETS,
});

export const jobFailures = new client.Counter({
  name: "segments_job_failures_total",
  help: "Failed job attempts, by queue and job name",
  labelNames: ["queue", "name"] as const,
});

export const recomputeDuration = new client.Histogram({
  name: "segments_recompute_duration_seconds",
  help: "Full recompute of a shop from start to write-back enqueued, by shop size (customers)",
  labelNames: ["shop_size"] as const,
  buckets: DURATION_BUCKETS,
});

export const adminApiCost = new client.Counter({
  name: "segments_admin_api_cost_total",
  help: "Actual query cost of successful Admin GraphQL calls",
});

export const adminApiCalls = new client.Counter({
  name: "segments_admin_api_calls_total",
  help: "Admin GraphQL calls, by outcome (ok, throttled, error)",
  labelNames: ["outcome"] as const,
});

export const adminApiThrottleAvailable = new client.Gauge({
  name: "segments_admin_api_throttle_available_ratio",
  help: "Share of the cost bucket available after the last call (per process, last shop called)",
  aggregator: "min",
});

/** A shop-size bucket label: customers rounded up to a power of ten. */
export function shopSizeLabel(customers: number): string {
  if (customers <= 1_000) return "<=1k";
  if (customers <= 10_000) return "<=10k";
  if (customers <= 100_000) return "<=100k";
  if (customers <= 1_000_000) return "<=1M";
  return ">1M";
}

const QUEUE_STATES = ["waiting", "prioritized", "active", "delayed", "waiting-children", "failed"] as const;

/**
 * A registry of the queues' depth and the age of the oldest waiting job, read
 * from the backend when scraped. Kept apart from the process registry so a
 * cluster's aggregated metrics (summed over processes) do not count the same
 * queue once per process.
 */
export function queueMetricsRegistry(queues: () => Promise<Queue[]>, now: () => number = Date.now): client.Registry {
  const queueRegistry = new client.Registry();
  new client.Gauge({
    name: "segments_queue_depth",
    help: "Jobs in each queue by state",
    labelNames: ["queue", "state"] as const,
    registers: [queueRegistry],
    async collect() {
      this.reset();
      for (const queue of await queues()) {
        const counts = await queue.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
  new client.Gauge({
    name: "segments_queue_oldest_waiting_seconds",
    help: "Age of the oldest job waiting to run in each queue (0 when none waits)",
    labelNames: ["queue"] as const,
    registers: [queueRegistry],
    async collect() {
      this.reset();
      for (const queue of await queues()) {
        const oldest = await queue.getJobs(["waiting", "prioritized"], 0, 0, true);
        const timestamps = oldest.filter(Boolean).map((job) => job.timestamp);
        const age = timestamps.length ? Math.max(0, (now() - Math.min(...timestamps)) / 1000) : 0;
        this.set({ queue: queue.name }, age);
      }
    },
  });
  return queueRegistry;
}

const REQUEST = "segments:metrics-request";
const REPLY = "segments:metrics-reply";

/**
 * This process's metrics, or, in a process of a cluster whose primary answers
 * (server/cluster.mjs, the worker's supervisor), those of every process of
 * the cluster summed by prom-client's AggregatorRegistry.
 */
export async function processMetricsText(timeoutMs = 5_000): Promise<string> {
  if (!cluster.isWorker || !process.send) return registry.metrics();
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off("message", onMessage);
      reject(new Error("cluster metrics timed out"));
    }, timeoutMs);
    function onMessage(message: any) {
      if (message?.type !== REPLY || message.id !== id) return;
      clearTimeout(timer);
      process.off("message", onMessage);
      if (message.error) reject(new Error(message.error));
      else resolve(message.text);
    }
    process.on("message", onMessage);
    process.send!({ type: REQUEST, id });
  });
}

export const METRICS_CONTENT_TYPE = registry.contentType;
