import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { metricsResponse } from "../../app/observability/metrics-endpoint.server";
import { handleOpsRequest } from "../../app/observability/ops-dashboard.server";
import { webhookRequests } from "../../app/observability/metrics.server";
import { queues } from "../../app/queues/registry.server";
import { QUEUE } from "../../app/queues/names";
import { setProcessEnv } from "../../app/config/env.server";
import { logger } from "../../app/utils/logger.server";
import { loader as readyz } from "../../app/routes/readyz";
import { cleanRedisPrefix } from "../helpers/queue-backends";

const TOKEN = "a-metrics-token-for-tests";
setProcessEnv({
  REDIS_URL: "redis://127.0.0.1:6379",
  METRICS_TOKEN: TOKEN,
  OPS_USERNAME: "operator",
  OPS_PASSWORD: "operator-password-1",
});

/** Every warning the logger writes during `fn`, as objects. */
async function capturedWarnings(fn: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const original = logger.warn.bind(logger);
  (logger as any).warn = (obj: Record<string, unknown>, msg: string) => {
    lines.push({ ...obj, msg });
    return original(obj, msg);
  };
  try {
    await fn();
  } finally {
    (logger as any).warn = original;
  }
  return lines;
}

afterAll(async () => {
  await (await queues()).close();
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

describe("/metrics", () => {
  it("answers 401 without the token or with a wrong one, logging the refusal without the credentials", async () => {
    const warnings = await capturedWarnings(async () => {
      expect((await metricsResponse(new Request("http://app/metrics"), TOKEN)).status).toBe(401);
      const wrong = new Request("http://app/metrics", { headers: { authorization: "Bearer not-the-token-at-all" } });
      expect((await metricsResponse(wrong, TOKEN)).status).toBe(401);
    });
    expect(warnings.map((line) => line.reason)).toEqual(["missing", "wrong"]);
    expect(JSON.stringify(warnings)).not.toContain("not-the-token-at-all");
  });

  it("refuses everyone when no token is configured", async () => {
    const request = new Request("http://app/metrics", { headers: { authorization: "Bearer anything-at-all-here" } });
    expect((await metricsResponse(request, undefined)).status).toBe(401);
  });

  it("answers Prometheus text with each queue's depth and oldest waiting job", async () => {
    const registry = await queues();
    await registry.get(QUEUE.act).add("act.shop", { shop: "metrics-test.myshopify.com" }, { jobId: "metrics-test-1" });
    webhookRequests.inc({ topic: "orders/create", status: "200" });
    const response = await metricsResponse(
      new Request("http://app/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }),
      TOKEN,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('segments_queue_depth{queue="act",state="waiting"} 1');
    expect(text).toContain('segments_queue_depth{queue="webhook-events",state="waiting"} 0');
    const age = Number(/segments_queue_oldest_waiting_seconds\{queue="act"\} ([\d.e-]+)/.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);
    expect(text).toContain('segments_webhook_requests_total{topic="orders/create",status="200"} 1');
    expect(text).toContain("# TYPE segments_job_duration_seconds histogram");
  });
});

describe("/ops/queues", () => {
  const server = http.createServer((req, res) => void handleOpsRequest(req, res));
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  const base = new Promise<string>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

  it("answers 401 without credentials and with wrong ones, never logging them", async () => {
    const wrong = `Basic ${Buffer.from("operator:guessed-password").toString("base64")}`;
    const warnings = await capturedWarnings(async () => {
      const none = await fetch(`${await base}/ops/queues`);
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toMatch(/^Basic/);
      expect((await fetch(`${await base}/ops/queues`, { headers: { authorization: wrong } })).status).toBe(401);
    });
    expect(warnings.map((line) => line.reason)).toEqual(["missing", "wrong"]);
    expect(JSON.stringify(warnings)).not.toMatch(/guessed-password|b3BlcmF0b3I6Z3Vlc3NlZC1wYXNzd29yZA/);
  });

  it("shows bull-board over the app's queues to the operator", async () => {
    const authorization = `Basic ${Buffer.from("operator:operator-password-1").toString("base64")}`;
    const page = await fetch(`${await base}/ops/queues`, { headers: { authorization } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const api = await fetch(`${await base}/ops/queues/api/queues?activeQueue=act&page=1`, {
      headers: { authorization },
    });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: Array<{ name: string }> };
    expect(body.queues.map((queue) => queue.name).sort()).toEqual(Object.values(QUEUE).sort());
  });
});

describe("/readyz", () => {
  it("is ready when the database and the queue answer", async () => {
    const response = await readyz();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok", queue: "ok" });
  });
});
