// One order, two ways in: from its webhooks (the REST payloads, refunds
// applied from their own bodies) and from the bulk export (GraphQL). Both
// must store the same row, whatever the order's shape and whatever order the
// webhooks arrive in. The simulated shop's ids are above 2^53.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { runBackfill } from "../../app/ingest/backfill.server";
import { processWebhook } from "../../app/ingest/process-webhook.server";
import { webhookJobData } from "../../app/ingest/webhook-payloads";
import type { PipelineContext } from "../../app/pipeline";
import { QueueRegistry } from "../../app/queues/registry.server";
import { parseExactJson } from "../../app/utils/exact-json";
import { seededRandom } from "../../app/utils/seeded-random";
import { stringifyExact } from "../../simulator";
import { orderPayload } from "../../simulator/resources/orders/payloads";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";
import { simulatedStore } from "../helpers/sim-app";

const ID_BASE = 10n ** 17n; // every id the shop shows is above 2^53
const redis = testQueueBackends()[0];

let store: Awaited<ReturnType<typeof simulatedStore>>;
let registry: QueueRegistry;
let ctx: PipelineContext;
let bulkShopId: string;
let event = 0;

beforeAll(async () => {
  store = await simulatedStore({
    domain: "paths.myshopify.com",
    idBase: ID_BASE,
    simulator: { restoreRate: 1_000_000, bucketSize: 10_000_000, bulkLatencyMs: 5, webhookRetryDelaysMs: [] },
  });
  registry = new QueueRegistry(redis);
  ctx = { db: prisma, queues: registry, adminApi: async () => store.api(), pollIntervalMs: 20 };
  // The bulk path's rows go to a second shop of ours, read from the same simulated shop.
  bulkShopId = (await prisma.shop.create({ data: { domain: "paths-bulk.myshopify.com" } })).id;
});

afterAll(async () => {
  await registry?.close();
  await store?.sim.close();
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

/** A webhook as the route hands it on: the payload's bytes parsed exactly, mapped, processed. */
async function deliver(topic: string, payload: unknown) {
  const data = webhookJobData(topic, parseExactJson(stringifyExact(payload)));
  return processWebhook(ctx, { shop: store.domain, eventId: `paths-${++event}`, topic, data });
}

const PRODUCTS = [
  { sku: "TEA", productType: "Tea" },
  { sku: "MUG", productType: "Kitchen" },
  { sku: "CARD", productType: "" },
  { sku: "BAG", productType: "Accessories" },
  { sku: "POT", productType: "Kitchen" },
];

const orderShape = fc.record({
  customer: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
  lines: fc.array(
    fc.record({
      product: fc.integer({ min: 0, max: PRODUCTS.length - 1 }),
      quantity: fc.integer({ min: 1, max: 4 }),
      cents: fc.integer({ min: 0, max: 30_000 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  discount: fc.constantFrom(null, { code: "WELCOME10", type: "percentage" as const, amount: 3 }),
  shipping: fc.constantFrom(null, { title: "Standard", price: 4.99 }, { title: "Express", price: 9.99 }),
  journey: fc.constantFrom(
    {},
    {
      utm: { source: "google", medium: "cpc", campaign: "brand" },
      landingSite: "/?utm_source=google&utm_medium=cpc&utm_campaign=brand",
    },
    { referringSite: "https://www.instagram.com/", landingSite: "/products/tea" },
    { landingSite: "/" },
  ),
  sourceName: fc.constantFrom("web" as const, "pos" as const, "shopify_draft_order" as const),
  daysAgo: fc.integer({ min: 0, max: 700 }),
  refunds: fc.array(fc.record({ picks: fc.array(fc.nat(), { minLength: 0, maxLength: 3 }), shipping: fc.boolean() }), {
    maxLength: 3,
  }),
  cancel: fc.boolean(),
  // How its webhooks arrive: the final order payload, or orders/create then each
  // refund's own body (shuffled, some twice), then any cancellation.
  arrival: fc.constantFrom("final-payload" as const, "refund-bodies" as const),
  seed: fc.nat(),
});
type OrderShape = typeof orderShape extends fc.Arbitrary<infer T> ? T : never;

/** Creates the order in the simulated shop, refunds and cancels it; returns what its webhooks would carry. */
function makeOrder(shape: OrderShape) {
  const domain = store.domain;
  const created = store.sim.createOrder(domain, {
    customerId: shape.customer === null ? undefined : ID_BASE + 7_000_000_000n + BigInt(shape.customer),
    lineItems: shape.lines.map((line) => ({
      ...PRODUCTS[line.product],
      quantity: line.quantity,
      price: line.cents / 100,
    })),
    discountCode: shape.discount,
    shippingLine: shape.shipping,
    ...shape.journey,
    sourceName: shape.sourceName,
    processedAt: new Date(Date.now() - shape.daysAgo * 86_400_000).toISOString(),
  });
  const remaining = created.line_items.map((line) => ({ id: line.id, left: line.quantity }));
  for (const refund of shape.refunds) {
    const lineItems: Array<{ lineItemId: unknown; quantity: number }> = [];
    for (const pick of refund.picks) {
      const line = remaining[pick % remaining.length];
      if (line.left === 0 || lineItems.some((l) => l.lineItemId === line.id)) continue;
      const quantity = 1 + (pick % line.left);
      line.left -= quantity;
      lineItems.push({ lineItemId: line.id, quantity });
    }
    if (lineItems.length === 0 && !refund.shipping) continue;
    try {
      store.sim.refundOrder(domain, created.id, { lineItems: lineItems as never, shipping: refund.shipping });
    } catch {
      // Nothing left to refund (shipping already refunded, no lines picked): not a refund.
    }
  }
  if (shape.cancel) store.sim.cancelOrder(domain, created.id);
  const shop = store.sim.shop(domain);
  const index = shop.store.findOrder(Number(BigInt(created.id) - ID_BASE));
  return { created, final: orderPayload(shop, index!) };
}

/** Delivers the order's webhooks to the app in the shape's arrival order. */
async function deliverOrder(shape: OrderShape, order: ReturnType<typeof makeOrder>) {
  if (shape.arrival === "final-payload") {
    await deliver("orders/updated", order.final);
    return;
  }
  const random = seededRandom(shape.seed);
  const refunds = [...order.final.refunds];
  for (const refund of order.final.refunds) if (random() < 0.5) refunds.push(refund); // redelivered
  refunds.sort(() => random() - 0.5);
  await deliver("orders/create", order.created);
  for (const refund of refunds) await deliver("refunds/create", refund);
  if (shape.cancel) await deliver("orders/cancelled", order.final);
}

/** The stored rows of these orders, without what differs by construction (our shop id, our write time). */
async function rows(shopId: string, ids: string[]) {
  const found = await prisma.order.findMany({ where: { shopId, id: { in: ids.map((id) => BigInt(id)) } } });
  return new Map(found.map(({ shopId: _shop, syncedAt: _synced, ...row }) => [String(row.id), row]));
}

describe("an order stored from its webhooks and from the bulk export", () => {
  it("gives identical rows, whatever its shape and the order its webhooks arrive in", async () => {
    let backfills = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(orderShape, { minLength: 1, maxLength: 6 }), async (shapes) => {
        const orders = shapes.map(makeOrder);
        for (let k = 0; k < shapes.length; k++) await deliverOrder(shapes[k], orders[k]);
        const run = await prisma.jobRun.create({ data: { shopId: bulkShopId, kind: "backfill" } });
        await runBackfill({ db: prisma, api: store.api(), shopId: bulkShopId, runId: run.id, pollIntervalMs: 10 });
        backfills++;
        const ids = orders.map((order) => String(order.created.id));
        // The ids are the shop's exact digits, above 2^53.
        for (const id of ids) expect(BigInt(id) > 2n ** 53n).toBe(true);
        const fromWebhooks = await rows(store.shopId, ids);
        const fromExport = await rows(bulkShopId, ids);
        for (const id of ids) {
          expect(fromWebhooks.get(id), `order ${id} from its webhooks`).toBeDefined();
          expect(fromWebhooks.get(id), `order ${id}`).toEqual(fromExport.get(id));
        }
      }),
      { numRuns: 12, seed: 20261202 },
    );
    expect(backfills).toBe(12);
    const stored = await prisma.order.findMany({ where: { shopId: store.shopId } });
    const counts = store.sim.callCounts(store.domain);
    console.log(
      `[order paths] ${stored.length} orders, ${stored.filter((o) => o.refundedMinor > 0n).length} refunded, ` +
        `${stored.filter((o) => o.cancelledAt).length} cancelled, ${stored.filter((o) => o.refundIds.length > 1).length} with several refunds; ` +
        `Admin API: ${JSON.stringify(counts.queriesByField)}`,
    );
    // The shapes did refund and cancel, and every refund was applied from its body: no order refetched.
    expect(stored.filter((o) => o.refundIds.length > 1).length).toBeGreaterThan(0);
    expect(counts.queriesByField.order ?? 0).toBe(0);
    // Product types were looked up once per product (at most one nodes query per product).
    expect(counts.queriesByField.nodes ?? 0).toBeLessThanOrEqual(PRODUCTS.length);
  }, 240_000);
});
