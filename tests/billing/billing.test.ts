import "../writeback/isolated-database";
import { API_KEY } from "@shopify/shopify-api/test-helpers";
import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultFormValues } from "../../app/act/discount-form";
import { createSegmentDiscount, loadDiscountShop } from "../../app/act/discounts.server";
import { SEGMENT_DISCOUNT_FUNCTION_HANDLE } from "../../app/act/segment-discount-function";
import { FREE_CUSTOMER_LIMIT } from "../../app/billing/plans";
import prisma from "../../app/db.server";
import { runBackfill } from "../../app/ingest/backfill.server";
import { QUEUE, type QueueName } from "../../app/queues/names";
import { QueueRegistry } from "../../app/queues/registry.server";
import { enqueueShopRecompute } from "../../app/queues/segments.server";
import { findSegmentDiscount } from "../../app/stores/discounts.server";
import { writeBackCustomer, writeBackShop } from "../../app/writeback/writeback.server";
import { appScopes, appWebhookSubscriptions } from "../../scripts/lib/app-config";
import { expectValidAgainstSchema, type SentRequest } from "../act/helpers";
import { signedInAdmin, type AdminRequests } from "../helpers/admin-routes";
import { testQueueBackends } from "../helpers/queue-backends";
import { useWebhookRoutes } from "../helpers/route-server";
import { simulatedStore, startAppWorkers, waitFor } from "../helpers/sim-app";
import { recomputeFinished } from "../writeback/helpers";

/**
 * Billing against the simulator, real PostgreSQL and Redis: the app's
 * routes (plan page, billing callback, a guarded page, the webhook route)
 * with session tokens, the library's billing calls routed to the simulator,
 * and the app's workers (webhooks, segments, write-back, act).
 */
const STORE = "billing-shop";
const DOMAIN = `${STORE}.myshopify.com`;
const redis = testQueueBackends()[0];
const routes = useWebhookRoutes();

let store: Awaited<ReturnType<typeof simulatedStore>>;
let app: ReturnType<typeof startAppWorkers>;
let registry: QueueRegistry;
let plan: typeof import("../../app/routes/app.plan");
let privacy: typeof import("../../app/routes/app.privacy");
let layout: typeof import("../../app/routes/app");
let admin: AdminRequests;
let discountId: string;
/** Every Admin API request the library's billing helpers sent (through abstractFetch). */
const librarySent: SentRequest[] = [];

beforeAll(async () => {
  store = await simulatedStore({
    domain: DOMAIN,
    scopes: appScopes(),
    timezone: "UTC",
    webhookUrl: routes.url(),
    subscriptions: appWebhookSubscriptions(),
    simulator: { restoreRate: 100_000, bucketSize: 1_000_000, webhookRetryDelaysMs: [] },
  });
  store.sim.registerAppFunction({ handle: SEGMENT_DISCOUNT_FUNCTION_HANDLE, title: "Segment discount" });
  // 700 customers: over the free plan's 500.
  store.sim.generate(DOMAIN, {
    seed: 37,
    customers: 700,
    orders: 2_800,
    startDate: "2025-01-01",
    endDate: "2025-12-31",
    discountShare: 0.1,
    seasonality: 0.3,
  });
  const backfillRun = await prisma.jobRun.create({ data: { shopId: store.shopId, kind: "backfill" } });
  await runBackfill({ db: prisma, api: store.api(), shopId: store.shopId, runId: backfillRun.id, pollIntervalMs: 50 });

  process.env.SHOPIFY_ADMIN_API_ORIGIN = store.sim.url;
  admin = await signedInAdmin(DOMAIN, store.accessToken);
  // Record what the library sends (after app/shopify.server routed it to the simulator).
  const routed = abstractFetch;
  setAbstractFetchFunc((async (input: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body ?? "{}")) as { query?: string; variables?: Record<string, unknown> };
    if (body.query) {
      const operation = /(?:mutation|query)\s+(\w+)/.exec(body.query)?.[1] ?? "anonymous";
      librarySent.push({ operation, query: body.query, variables: body.variables ?? {} });
    }
    return routed(input as never, init as never);
  }) as typeof fetch);
  plan = await import("../../app/routes/app.plan");
  privacy = await import("../../app/routes/app.privacy");
  layout = await import("../../app/routes/app");
  app = startAppWorkers(redis, store, [QUEUE.webhooks, QUEUE.segments, QUEUE.writeback, QUEUE.act]);
  registry = new QueueRegistry(redis);
}, 240_000);

afterAll(async () => {
  await app?.close();
  await registry?.close();
  await store?.sim.close();
});

const request = (path: string, init?: { method?: string; body?: FormData }) => admin.request(path, init);

async function answer(work: () => Promise<unknown>): Promise<Response | Record<string, any>> {
  try {
    return (await work()) as Record<string, any>;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const loadPlan = (query = "") =>
  answer(() => plan.loader({ request: request(`/app/plan${query}`), params: {}, context: {} }));
const loadPrivacy = () => answer(() => privacy.loader({ request: request("/app/privacy"), params: {}, context: {} }));

function planAction(fields: Record<string, string>) {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.set(key, value);
  return answer(() =>
    plan.action({ request: request("/app/plan", { method: "POST", body }), params: {}, context: {} }),
  );
}

/** Chooses a plan as the merchant does: the action sends them to Shopify's confirmation page. */
async function choose(name: string): Promise<string> {
  const sent = (await planAction({ intent: "choose", plan: name })) as Response;
  // A fetch from inside admin: App Bridge follows the header to the confirmation page.
  expect(sent.status).toBe(401);
  const confirmationUrl = sent.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url")!;
  expect(confirmationUrl).toMatch(/confirm_recurring_application_charge/);
  return confirmationUrl;
}

const stored = () =>
  prisma.appSubscription.findMany({ where: { shopId: store.shopId }, orderBy: { createdAt: "asc" } });
const billingRow = () => prisma.shopBilling.findUnique({ where: { shopId: store.shopId } });

async function webhooksDone() {
  await store.sim.webhooksIdle();
  await waitFor(async () => {
    const counts = await registry.get(QUEUE.webhooks).getJobCounts("waiting", "active", "delayed", "prioritized");
    return Object.values(counts).every((n) => n === 0);
  }, "the webhook jobs");
}

async function queueIdle(name: QueueName) {
  await waitFor(async () => {
    const counts = await registry.get(name).getJobCounts("waiting", "active", "delayed", "prioritized");
    return Object.values(counts).every((n) => n === 0);
  }, `the ${name} queue to drain`);
}

function simDiscount(shopifyId: string) {
  return store.sim.discounts(DOMAIN).find((d) => `gid://shopify/DiscountAutomaticNode/${d.id}` === shopifyId)!;
}

const running = (shopifyId: string) => {
  const d = simDiscount(shopifyId);
  return d.endsAt === null || d.endsAt > store.sim.now() / 1000;
};

describe("billing: choosing, confirming and changing a plan", () => {
  it("writes back during the install grace, counts the customers, and sends the merchant to the plan page", async () => {
    const started = new Date();
    await enqueueShopRecompute(registry, { shop: DOMAIN, reason: "backfill" });
    await recomputeFinished(store.shopId, started);
    await queueIdle(QUEUE.writeback);
    const counted = (await billingRow())!;
    expect(counted.segmentedCustomers).toBeGreaterThan(FREE_CUSTOMER_LIMIT);
    expect(counted.lapsedAt).toBeNull();
    // Never subscribed, within the install grace: the tags were written.
    const tagged = await prisma.customer.count({
      where: { shopId: store.shopId, NOT: { appTags: { isEmpty: true } } },
    });
    expect(tagged).toBeGreaterThan(FREE_CUSTOMER_LIMIT);

    const guarded = (await loadPrivacy()) as Response;
    expect(guarded.status).toBe(302);
    expect(new URL(guarded.headers.get("location")!, "https://x").pathname).toBe("/app/plan");
    // The frame's loader and the page's get one Request (a document request) and ask Shopify about the plan once.
    const asked = librarySent.length;
    const shared = request("/app/privacy");
    const both = await Promise.all([
      answer(() => layout.loader({ request: shared, params: {}, context: {} })),
      answer(() => privacy.loader({ request: shared, params: {}, context: {} })),
    ]);
    expect(both.map((r) => (r as Response).status)).toEqual([302, 302]);
    expect(librarySent.slice(asked).map((sent) => sent.operation)).toHaveLength(1);

    const page = (await loadPlan()) as Record<string, any>;
    expect(page).toMatchObject({ plan: "Free", recommended: "Starter", needsPlan: true, lapsed: null });
    expect(page.graceEndsAt).not.toBeNull();
    expect(page.plans.map((p: { name: string }) => p.name)).toEqual(["Free", "Starter", "Growth", "Scale"]);

    const created = await createSegmentDiscount(
      {
        db: prisma,
        shop: (await loadDiscountShop(prisma, DOMAIN))!,
        adminApi: async () => store.api(),
      },
      { ...defaultFormValues("2025-01-01", "rfm/champions"), title: "Champions", rewardValue: "10" },
    );
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    discountId = created.discount.id;
    expect(running(created.discount.shopifyId!)).toBe(true);
  }, 300_000);

  it("chooses a plan: a test charge with the trial, confirmed through the billing callback", async () => {
    const confirmationUrl = await choose("Starter");
    const [pending] = store.sim.subscriptions(DOMAIN);
    expect(pending).toMatchObject({ name: "Starter", status: "PENDING", test: true, trialDays: 14 });
    expect(pending.returnUrl).toBe(`https://admin.shopify.com/store/${STORE}/apps/${API_KEY}/app/plan`);
    expect(confirmationUrl).toContain(`/${pending.id}/`);

    // The merchant approves; Shopify sends them back to the returnUrl with charge_id.
    const { redirectUrl } = store.sim.approveSubscription(DOMAIN);
    const chargeId = new URL(redirectUrl).searchParams.get("charge_id")!;
    const page = (await loadPlan(`?charge_id=${chargeId}`)) as Record<string, any>;
    expect(page.confirmation).toEqual({ plan: "Starter", status: "ACTIVE" });
    expect(page).toMatchObject({ plan: "Starter", needsPlan: false, withinPlan: true });
    await webhooksDone();
    expect((await stored()).map((s) => [s.name, s.status, s.test])).toEqual([["Starter", "ACTIVE", true]]);

    const open = (await loadPrivacy()) as Record<string, any>;
    expect(open).not.toBeInstanceOf(Response);
  });

  it("refuses a billing callback for an unknown charge with a message", async () => {
    const unknown = (await loadPlan("?charge_id=987654321")) as Response;
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe("Unknown charge 987654321: this store has no such subscription.");
    const malformed = (await loadPlan("?charge_id=abc")) as Response;
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toMatch(/charge_id must be a number/);
    const badPlan = (await planAction({ intent: "choose", plan: "Platinum" })) as Response;
    expect(badPlan.status).toBe(400);
    expect(await badPlan.json()).toEqual({ ok: false, message: 'Unknown plan "Platinum".' });
    const same = (await planAction({ intent: "choose", plan: "Starter" })) as Response;
    expect(await same.json()).toEqual({ ok: false, message: "You are already on the Starter plan." });
    expect(store.sim.subscriptions(DOMAIN)).toHaveLength(1);
  });

  it("upgrades: the new plan replaces the old one, and the webhooks leave the old one cancelled", async () => {
    // One trial per shop: as if Starter had been approved five and a half days ago, Growth gets the 9 days left.
    await prisma.appSubscription.updateMany({
      where: { shopId: store.shopId, name: "Starter" },
      data: { activatedAt: new Date(Date.now() - 5.5 * 86_400_000) },
    });
    await choose("Growth");
    expect(store.sim.subscriptions(DOMAIN).at(-1)).toMatchObject({ name: "Growth", status: "PENDING", trialDays: 9 });
    const { redirectUrl } = store.sim.approveSubscription(DOMAIN);
    const page = (await loadPlan(`?charge_id=${new URL(redirectUrl).searchParams.get("charge_id")}`)) as Record<
      string,
      any
    >;
    expect(page).toMatchObject({ plan: "Growth", confirmation: { plan: "Growth", status: "ACTIVE" } });
    await webhooksDone();
    expect((await stored()).map((s) => [s.name, s.status])).toEqual([
      ["Starter", "CANCELLED"],
      ["Growth", "ACTIVE"],
    ]);
    // A late, older delivery cannot bring a cancelled subscription back.
    const starter = (await stored())[0];
    store.sim.sendWebhook(DOMAIN, "app_subscriptions/update", {
      app_subscription: {
        admin_graphql_api_id: starter.id,
        name: "Starter",
        status: "ACTIVE",
        updated_at: new Date(Date.now() - 3_600_000).toISOString(),
      },
    });
    await webhooksDone();
    expect((await stored())[0].status).toBe("CANCELLED");
    expect((await billingRow())!.lapsedAt).toBeNull();
    // A signed delivery the app cannot read is refused with a message, and stores nothing.
    const [bad] = store.sim.sendWebhook(DOMAIN, "app_subscriptions/update", {
      app_subscription: { admin_graphql_api_id: starter.id, name: "Starter", status: "PAUSED", updated_at: "soon" },
    });
    await store.sim.webhooksIdle();
    expect(bad.attempts.at(-1)!.status).toBe(400);
    expect(
      await prisma.webhookEvent.findFirst({ where: { eventId: bad.eventId }, select: { status: true, error: true } }),
    ).toEqual({ status: "rejected", error: 'app_subscription.status "PAUSED" is not a subscription status' });
  });
});

describe("billing: a lapse, cancellation and erasure", () => {
  it("a lapse stops write-back and pauses the discounts in Shopify, deleting nothing; a new plan resumes them", async () => {
    const growth = (await stored())[1];
    const discount = (await findSegmentDiscount(prisma, store.shopId, discountId))!;
    const before = {
      memberships: await prisma.segmentMembership.count({ where: { shopId: store.shopId } }),
      orders: await prisma.order.count({ where: { shopId: store.shopId } }),
      customers: await prisma.customer.count({ where: { shopId: store.shopId } }),
    };
    // Shopify freezes the subscription (the merchant did not pay): app_subscriptions/update.
    store.sim.lapseSubscription(DOMAIN, growth.id, "FROZEN");
    await webhooksDone();
    expect((await stored())[1].status).toBe("FROZEN");
    await waitFor(async () => (await billingRow())?.lapsedAt, "the lapse to be recorded");
    expect((await billingRow())!.lapseReason).toMatch(/^plan lapsed: subscription Growth is FROZEN/);
    // The act step the lapse enqueued pauses the discount through the Admin API; the record stays.
    await waitFor(
      async () => (await findSegmentDiscount(prisma, store.shopId, discountId))?.status === "paused",
      "the discount to be paused",
    );
    expect(await findSegmentDiscount(prisma, store.shopId, discountId)).toMatchObject({
      status: "paused",
      pausedReason: "plan-lapsed",
      notice: { kind: "paused-plan-lapsed" },
    });
    expect(running(discount.shopifyId!)).toBe(false);
    expect(store.sim.discounts(DOMAIN)).toHaveLength(1);

    // Write-back jobs skip with the reason and send nothing.
    const ctx = { db: prisma, queues: registry, adminApi: async () => store.api() };
    store.sim.resetCounters();
    const shopJob = await writeBackShop(ctx, { shop: DOMAIN }, { finalAttempt: true });
    expect(shopJob).toEqual({ skipped: expect.stringMatching(/^plan lapsed/) });
    const customer = await prisma.customer.findFirstOrThrow({ where: { shopId: store.shopId } });
    const customerJob = await writeBackCustomer(ctx, { shop: DOMAIN, customerId: String(customer.id) });
    expect(customerJob).toEqual({ skipped: expect.stringMatching(/^plan lapsed/) });
    expect(store.sim.callCounts(DOMAIN).requests).toBe(0);
    // A recompute still runs and completes; only its write-back is skipped.
    const started = new Date();
    await enqueueShopRecompute(registry, { shop: DOMAIN, reason: "settings" });
    const run = await recomputeFinished(store.shopId, started);
    expect((run.progress as any).writeback).toEqual({ skipped: expect.stringMatching(/^plan lapsed/) });

    // Data kept.
    expect({
      memberships: await prisma.segmentMembership.count({ where: { shopId: store.shopId } }),
      orders: await prisma.order.count({ where: { shopId: store.shopId } }),
      customers: await prisma.customer.count({ where: { shopId: store.shopId } }),
    }).toEqual(before);
    // The pages send the merchant to the plan page, which says what happened.
    expect(((await loadPrivacy()) as Response).status).toBe(302);
    const page = (await loadPlan()) as Record<string, any>;
    expect(page).toMatchObject({ plan: "Free", needsPlan: true });
    expect(page.lapsed.reason).toMatch(/FROZEN/);

    // Re-subscribing resumes: the write-back runs again and the act step resumes the discount.
    await choose("Starter");
    const { redirectUrl } = store.sim.approveSubscription(DOMAIN);
    await loadPlan(`?charge_id=${new URL(redirectUrl).searchParams.get("charge_id")}`);
    expect((await billingRow())!.lapsedAt).toBeNull();
    await waitFor(
      async () => (await findSegmentDiscount(prisma, store.shopId, discountId))?.status === "active",
      "the discount to resume",
    );
    expect(await findSegmentDiscount(prisma, store.shopId, discountId)).toMatchObject({ pausedReason: null });
    expect(running(discount.shopifyId!)).toBe(true);
    await webhooksDone();
    expect((await stored()).map((s) => [s.name, s.status])).toEqual([
      ["Starter", "CANCELLED"],
      ["Growth", "CANCELLED"],
      ["Starter", "ACTIVE"],
    ]);
  }, 300_000);

  it("cancels the plan from the plan page", async () => {
    const cancelled = (await planAction({ intent: "cancel" })) as Response;
    expect(cancelled.status).toBe(200);
    expect((await cancelled.json()).message).toMatch(/^Your Starter plan is cancelled/);
    expect(store.sim.subscriptions(DOMAIN).at(-1)!.status).toBe("CANCELLED");
    expect((await stored()).at(-1)!.status).toBe("CANCELLED");
    expect((await billingRow())!.lapsedAt).not.toBeNull();
    const again = (await planAction({ intent: "cancel" })) as Response;
    expect(await again.json()).toEqual({ ok: false, message: "There is no active paid plan to cancel." });
    await queueIdle(QUEUE.act);
  });

  it("a plan Shopify reports but the store missed (a lost webhook) opens the pages and is recorded", async () => {
    await choose("Scale");
    store.sim.approveSubscription(DOMAIN);
    await webhooksDone();
    // The approval's write-back and act step settle first: a gate they run after the deletion below
    // would see no plan and mark the shop lapsed again, racing the guard's record of it.
    await queueIdle(QUEUE.writeback);
    await queueIdle(QUEUE.act);
    const scale = (await stored()).find((s) => s.name === "Scale")!;
    // As if app_subscriptions/update had not arrived: the store knows nothing of it.
    await prisma.appSubscription.delete({ where: { id: scale.id } });
    const page = (await loadPlan()) as Record<string, any>;
    expect(page).toMatchObject({ plan: "Free", needsPlan: true });
    // The guard asks Shopify before sending the merchant away, and records the plan it finds.
    const open = await loadPrivacy();
    expect(open).not.toBeInstanceOf(Response);
    expect(await prisma.appSubscription.findUnique({ where: { id: scale.id } })).toMatchObject({ status: "ACTIVE" });
    expect((await billingRow())!.lapsedAt).toBeNull();
    await queueIdle(QUEUE.writeback);
    await queueIdle(QUEUE.act);
  });

  it("sends only documents the 2026-04 schema accepts (the library's billing queries included)", () => {
    const operations = new Set(librarySent.map((r) => r.operation));
    expect([...operations].sort()).toEqual(
      expect.arrayContaining(["AppSubscriptionCreate", "appSubscription", "appSubscriptionCancel"]),
    );
    for (const sent of librarySent) expectValidAgainstSchema(sent);
  });

  it("uninstalling cancels the subscriptions; shop/redact erases the billing rows", async () => {
    await webhooksDone();
    store.sim.uninstall(DOMAIN);
    await webhooksDone();
    expect((await stored()).every((s) => ["CANCELLED", "DECLINED", "EXPIRED"].includes(s.status))).toBe(true);
    store.sim.redactShop(DOMAIN);
    await webhooksDone();
    await waitFor(async () => (await prisma.shop.count({ where: { domain: DOMAIN } })) === 0, "the shop's erasure");
    expect(await prisma.appSubscription.count()).toBe(0);
    expect(await prisma.shopBilling.count()).toBe(0);
  });
});
