// The web process's start-up warm-up (app/ingest/warm-up.server.ts, called by
// server/web.mjs before it listens) goes through the webhook answer's real code
// (signature check, exact parse, mapping) and leaves nothing behind: no job, no
// WebhookEvent row, no session, no metric but the refused deliveries'.
import { afterAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { warmUpWebhooks } from "../../app/ingest/warm-up.server";
import { QUEUE } from "../../app/queues/names";
import { queues } from "../../app/queues/registry.server";
import { registry } from "../../app/observability/metrics.server";
import { cleanRedisPrefix } from "../helpers/queue-backends";

afterAll(async () => {
  await (await queues()).close();
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

describe("web process warm-up", () => {
  it("answers its own deliveries (401: wrong signature), maps signed ones, queues and stores nothing", async () => {
    const result = await warmUpWebhooks({ routeRounds: 200, signedRounds: 100, budgetMs: 120_000 });
    expect(result).toMatchObject({ routeRounds: 200, signedRounds: 100 });
    const counted = (await registry.getSingleMetric("segments_webhook_requests_total")!.get()).values;
    expect(counted.map((v) => [v.labels.status, v.value])).toEqual([["401", 200]]);

    const queue = (await queues()).get(QUEUE.webhooks);
    const counts = await queue.getJobCounts("waiting", "active", "delayed", "completed", "failed", "prioritized");
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    expect(await prisma.webhookEvent.count()).toBe(0);
    expect(await prisma.session.count()).toBe(0);
  });
});
