// The privacy scenario, run on each queue backend (one test file each, since
// the webhook routes resolve the backend from the environment once per
// process): install, backfill, recompute and write-back through the real
// jobs; a data request; then customers/redact and shop/redact delivered by the
// simulator to the app's routes. After each, every table of every schema the
// app owns and every queue trace is searched for the customer or the shop.
import { Redis } from "ioredis";
import { expect } from "vitest";
import prisma from "../../app/db.server";
import type { QueueBackend } from "../../app/queues/backend.server";
import { enqueueShopInstalled } from "../../app/queues/shop-lifecycle.server";
import { useWebhookRoutes } from "../helpers/route-server";
import { startAppWorkers, waitFor } from "../helpers/sim-app";
import { recomputeFinished } from "../writeback/helpers";

/** `value` as a whole token: not part of a longer id, domain or word. */
function tokenRegex(value: string): string {
  return `(^|[^0-9A-Za-z.-])${value.replace(/[.]/g, "\\.")}([^0-9A-Za-z-]|$)`;
}

/** Rows of every table in the app's schemas (public, and the queue's) whose text mentions `value`. */
async function rowsMentioning(value: string): Promise<Record<string, number>> {
  const tables = await prisma.$queryRaw<Array<{ schema: string; name: string }>>`
    SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`;
  const found: Record<string, number> = {};
  for (const { schema, name } of tables) {
    const [{ count }] = await prisma.$queryRawUnsafe<Array<{ count: bigint }>>(
      `SELECT count(*) FROM "${schema}"."${name}" t WHERE t::text ~ $1`,
      tokenRegex(value),
    );
    if (count > 0n) found[`${schema}.${name}`] = Number(count);
  }
  return found;
}

/** Redis keys under the queue prefix whose name or content mentions `value`. */
async function redisKeysMentioning(prefix: string, value: string): Promise<string[]> {
  const redis = new Redis("redis://127.0.0.1:6379", { lazyConnect: true });
  await redis.connect();
  const pattern = new RegExp(tokenRegex(value));
  const found: string[] = [];
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      for (const key of keys) {
        const type = await redis.type(key);
        let content: unknown = null;
        if (type === "string") content = await redis.get(key);
        else if (type === "hash") content = await redis.hgetall(key);
        else if (type === "list") content = await redis.lrange(key, 0, -1);
        else if (type === "set") content = await redis.smembers(key);
        else if (type === "zset") content = await redis.zrange(key, 0, -1);
        else if (type === "stream") content = await redis.xrange(key, "-", "+");
        if (pattern.test(key) || pattern.test(JSON.stringify(content))) found.push(key);
      }
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return found;
}

async function mentions(backend: QueueBackend, value: string): Promise<string[]> {
  const tables = Object.keys(await rowsMentioning(value));
  const keys = backend.kind === "redis" ? await redisKeysMentioning(backend.prefix, value) : [];
  return [...tables, ...keys.map((k) => `redis:${k}`)];
}

export async function privacyScenario(routes: ReturnType<typeof useWebhookRoutes>, backend: QueueBackend) {
  const store = await routes.store({
    domain: `privacy-${backend.kind}.myshopify.com`,
    simulator: { restoreRate: 1_000_000, bucketSize: 10_000_000, bulkLatencyMs: 20 },
  });
  store.sim.generate(store.domain, {
    seed: 3,
    customers: 150,
    orders: 1_000,
    startDate: "2024-01-01",
    endDate: "2025-12-31",
    discountShare: 0.2,
    seasonality: 0.3,
  });
  const app = startAppWorkers(backend, store);
  try {
    // Install -> backfill -> recompute -> write-back, through the real jobs.
    const started = new Date();
    await enqueueShopInstalled(app.registry, { shop: store.domain, scopes: "read_orders,read_customers" });
    await recomputeFinished(store.shopId, started);

    const [{ customerId }] = await prisma.$queryRaw<Array<{ customerId: bigint }>>`
      SELECT o."customerId" FROM "Order" o JOIN "SegmentMembership" m
        ON m."shopId" = o."shopId" AND m."customerId" = o."customerId" AND cardinality(m.segments) > 0
      WHERE o."shopId" = ${store.shopId} GROUP BY 1 HAVING count(*) >= 3 ORDER BY 1 LIMIT 1`;
    const id = String(customerId);
    // A new order of the customer: its webhook, re-segmentation and write-back jobs mention it too.
    const newOrder = store.sim.createOrder(store.domain, {
      customerId: id,
      lineItems: [{ title: "Tea", quantity: 2, price: 9.5 }],
    });
    // That order itself (the customer may have had four orders already).
    await waitFor(
      () =>
        prisma.order.findUnique({ where: { shopId_id: { shopId: store.shopId, id: BigInt(String(newOrder.id)) } } }),
      "the new order to be stored",
      30_000,
    );
    const before = await mentions(backend, id);
    expect(before).toEqual(expect.arrayContaining(["public.Order", "public.Customer", "public.SegmentMembership"]));
    if (backend.kind === "postgres") expect(before.some((t) => t.endsWith(".job"))).toBe(true);
    else expect(before.some((k) => k.startsWith("redis:"))).toBe(true);

    store.sim.requestCustomerData(store.domain, id);
    const request = await waitFor(
      () => prisma.dataRequest.findFirst({ where: { shopDomain: store.domain, customerId } }),
      "the data request record",
      30_000,
    );
    const record = request.record as {
      orders: unknown[];
      memberships: Array<{ segment: string; reason: string | null }>;
      customerId: string;
    };
    expect(record.customerId).toBe(id);
    expect(record.orders.length).toBeGreaterThanOrEqual(4);
    expect(record.memberships.length).toBeGreaterThan(0);
    // Each membership with its reason, written out when read (ADR 060: not stored); the customer's RFM group explained
    // from its orders (a segment its new order has not re-segmented yet says so: REASON_PENDING).
    for (const m of record.memberships) expect(m.reason, m.segment).toMatch(/\w/);
    expect(record.memberships.find((m) => m.segment.startsWith("rfm/"))?.reason).toMatch(/^R \d F \d M \d /);
    const keys = new Set<string>();
    JSON.stringify(record, (key, value) => (keys.add(key), value));
    for (const personal of ["email", "first_name", "last_name", "name", "phone", "address1", "zip"]) {
      expect(keys.has(personal), personal).toBe(false);
    }
    expect(JSON.stringify(record)).not.toContain("@");

    // customers/redact: no row and no queued job mentions the customer.
    const ordersBefore = await prisma.order.count({ where: { shopId: store.shopId } });
    store.sim.redactCustomer(store.domain, id);
    let left: string[] = [];
    await waitFor(
      async () => {
        left = await mentions(backend, id);
        return left.length === 0 || undefined;
      },
      "the customer's redaction",
      30_000,
    ).catch((error) => {
      throw new Error(`${(error as Error).message}; still mentioned in ${left.join(", ")}`);
    });
    // The shop's anonymous aggregates stay: the orders remain, without the customer.
    expect(await prisma.order.count({ where: { shopId: store.shopId } })).toBe(ordersBefore);

    // shop/redact: nothing of the shop remains, in the database or the queue.
    const shopTokens = [store.domain, store.shopId];
    expect((await mentions(backend, store.domain)).length).toBeGreaterThan(0);
    store.sim.uninstall(store.domain);
    store.sim.redactShop(store.domain);
    await waitFor(
      async () => {
        left = (await Promise.all(shopTokens.map((t) => mentions(backend, t)))).flat();
        return left.length === 0 || undefined;
      },
      "the shop's redaction",
      30_000,
    ).catch((error) => {
      throw new Error(`${(error as Error).message}; still mentioned in ${left.join(", ")}`);
    });
  } finally {
    await app.close();
    await store.sim.close();
  }
}
