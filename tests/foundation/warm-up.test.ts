// The web process's start-up warm-up (app/ingest/warm-up.server.ts, called by
// server/web.mjs before it listens) goes through the real webhook route and
// authenticate.webhook, and leaves nothing behind: no job, no WebhookEvent row.
import { afterAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { warmUpWebhooks } from "../../app/ingest/warm-up.server";
import { QUEUE } from "../../app/queues/names";
import { queues } from "../../app/queues/registry.server";
import { action } from "../../app/routes/webhooks.orders.create";
import { cleanRedisPrefix } from "../helpers/queue-backends";

afterAll(async () => {
  await (await queues()).close();
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

describe("web process warm-up", () => {
  it("answers its own deliveries through the route (401: wrong signature), queues and stores nothing", async () => {
    const statuses: number[] = [];
    const handle = async (request: Request) => {
      let response: Response;
      try {
        response = await action({ request, params: {}, context: {} });
      } catch (thrown) {
        if (!(thrown instanceof Response)) throw thrown;
        response = thrown;
      }
      statuses.push(response.status);
      return response;
    };
    const result = await warmUpWebhooks(handle, { routeRounds: 200, signedRounds: 100, budgetMs: 120_000 });
    expect(result).toMatchObject({ routeRounds: 200, signedRounds: 100 });
    expect(statuses.length).toBe(200);
    expect(new Set(statuses)).toEqual(new Set([401]));

    const queue = (await queues()).get(QUEUE.webhooks);
    const counts = await queue.getJobCounts("waiting", "active", "delayed", "completed", "failed", "prioritized");
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    expect(await prisma.webhookEvent.count()).toBe(0);
    expect(await prisma.session.count()).toBe(0);
  });
});
