import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "./index";
import { gql, SECRET, SHOP, TOKEN } from "./test-helpers";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ appSecret: SECRET, webhookRetryDelaysMs: [] });
  sim.createShop(SHOP, { timezone: "Europe/London", currency: "GBP" });
  sim.installApp(SHOP, {
    accessToken: TOKEN,
    scopes: ["read_customers"],
    webhookUrl: "http://127.0.0.1:9",
    subscriptions: [{ topic: "app_subscriptions/update", uri: "/webhooks/billing" }],
  });
});
afterAll(async () => {
  await sim.close();
});

const CREATE = `mutation($name: String!, $lineItems: [AppSubscriptionLineItemInput!]!, $returnUrl: URL!, $trialDays: Int, $test: Boolean) {
  appSubscriptionCreate(name: $name, lineItems: $lineItems, returnUrl: $returnUrl, trialDays: $trialDays, test: $test) {
    confirmationUrl appSubscription { id name status test trialDays currentPeriodEnd } userErrors { field message } } }`;
const ACTIVE = `{ currentAppInstallation { activeSubscriptions { id name status test trialDays currentPeriodEnd returnUrl
  lineItems { id plan { pricingDetails { __typename
    ... on AppRecurringPricing { interval price { amount currencyCode } discount { priceAfterDiscount { amount } durationLimitInIntervals value { ... on AppSubscriptionDiscountPercentage { percentage } } } }
    ... on AppUsagePricing { cappedAmount { amount currencyCode } terms balanceUsed { amount } interval } } } } } } }`;

const recurring = (amount: string | number, extra: Record<string, unknown> = {}) => ({
  plan: { appRecurringPricingDetails: { price: { amount, currencyCode: "USD" }, ...extra } },
});
const usage = (amount: string, terms = "1 cent per tagged customer") => ({
  plan: { appUsagePricingDetails: { cappedAmount: { amount, currencyCode: "USD" }, terms } },
});

async function create(variables: Record<string, unknown>) {
  const r = await gql(sim, CREATE, { returnUrl: "https://app.example.com/billing/return", ...variables });
  return r.body.data!.appSubscriptionCreate;
}

async function billingUpdates() {
  await sim.webhooksIdle();
  return sim
    .deliveries()
    .filter((d) => d.topic === "app_subscriptions/update")
    .map((d) => JSON.parse(d.body).app_subscription);
}

describe("appSubscriptionCreate", () => {
  it("answers a PENDING subscription with a confirmation URL; approval makes it ACTIVE with the webhook", async () => {
    const created = await create({
      name: "Segments Pro",
      trialDays: 7,
      test: true,
      lineItems: [
        recurring("20.00", { discount: { value: { percentage: 0.5 }, durationLimitInIntervals: 3 } }),
        usage("100.00"),
      ],
    });
    expect(created.userErrors).toEqual([]);
    expect(created.appSubscription).toMatchObject({
      name: "Segments Pro",
      status: "PENDING",
      test: true,
      trialDays: 7,
    });
    expect(created.appSubscription.currentPeriodEnd).toBeNull();
    expect(created.confirmationUrl).toMatch(
      /^https:\/\/admin\.shopify\.com\/store\/test-shop\/charges\/simulated-api-key\/\d+\/RecurringApplicationCharge\/confirm_recurring_application_charge\?signature=/,
    );
    expect((await gql(sim, ACTIVE)).body.data!.currentAppInstallation.activeSubscriptions).toEqual([]);

    const answer = sim.approveSubscription(SHOP);
    const chargeId = created.appSubscription.id.split("/").pop();
    expect(answer.redirectUrl).toBe(`https://app.example.com/billing/return?charge_id=${chargeId}`);
    const [active] = (await gql(sim, ACTIVE)).body.data!.currentAppInstallation.activeSubscriptions;
    expect(active).toMatchObject({ id: created.appSubscription.id, status: "ACTIVE", test: true, trialDays: 7 });
    expect(Date.parse(active.currentPeriodEnd) - sim.now()).toBeGreaterThan(29 * 86_400_000);
    expect(active.lineItems.map((l: any) => l.plan.pricingDetails)).toEqual([
      {
        __typename: "AppRecurringPricing",
        interval: "EVERY_30_DAYS",
        price: { amount: "20.0", currencyCode: "USD" },
        discount: { priceAfterDiscount: { amount: "10.0" }, durationLimitInIntervals: 3, value: { percentage: 0.5 } },
      },
      {
        __typename: "AppUsagePricing",
        cappedAmount: { amount: "100.0", currencyCode: "USD" },
        terms: "1 cent per tagged customer",
        balanceUsed: { amount: "0.0" },
        interval: "EVERY_30_DAYS",
      },
    ]);
    const updates = await billingUpdates();
    expect(updates.at(-1)).toMatchObject({
      admin_graphql_api_id: created.appSubscription.id,
      name: "Segments Pro",
      status: "ACTIVE",
      admin_graphql_api_shop_id: expect.stringMatching(/^gid:\/\/shopify\/Shop\/\d+$/),
      currency: "USD",
      capped_amount: "100.0",
    });
    // The billing period rolls over with the clock.
    const before = Date.parse(active.currentPeriodEnd);
    sim.advanceClock(31 * 86_400_000);
    const later = (await gql(sim, ACTIVE)).body.data!.currentAppInstallation.activeSubscriptions[0];
    expect(Date.parse(later.currentPeriodEnd) - before).toBe(30 * 86_400_000);
  });

  it("validates the line items, trial days and return URL with userErrors", async () => {
    const errors = async (variables: Record<string, unknown>) =>
      (await create({ name: "Plan", lineItems: [recurring("5")], ...variables })).userErrors;
    expect(await errors({ name: " " })).toEqual([{ field: ["name"], message: "Name can't be blank" }]);
    expect(await errors({ returnUrl: "not a url" })).toEqual([
      { field: ["returnUrl"], message: "Return url is invalid" },
    ]);
    expect(await errors({ trialDays: -1 })).toEqual([
      { field: ["trialDays"], message: "Trial days must be greater than or equal to 0" },
    ]);
    expect(await errors({ lineItems: [recurring("5"), recurring("6")] })).toEqual([
      { field: ["lineItems"], message: "Only one pricing plan can be defined for each available type" },
    ]);
    expect(await errors({ lineItems: [recurring("0")] })).toEqual([
      {
        field: ["lineItems", "0", "plan", "appRecurringPricingDetails", "price", "amount"],
        message: "Price must be greater than 0",
      },
    ]);
    expect(await errors({ lineItems: [{ plan: {} }] })).toEqual([
      {
        field: ["lineItems", "0", "plan"],
        message: "A plan needs exactly one of appRecurringPricingDetails or appUsagePricingDetails",
      },
    ]);
    expect(await errors({ lineItems: [recurring("5", { interval: "ANNUAL" }), usage("10")] })).toEqual([
      { field: ["lineItems"], message: "Usage pricing cannot be combined with an annual plan" },
    ]);
    expect(await errors({ lineItems: [usage("10", "")] })).toEqual([
      { field: ["lineItems", "0", "plan", "appUsagePricingDetails", "terms"], message: "Terms can't be blank" },
    ]);
    const jpy = { plan: { appRecurringPricingDetails: { price: { amount: "500.5", currencyCode: "JPY" } } } };
    expect((await errors({ lineItems: [jpy] }))[0].message).toBe("Price 500.5 has more decimals than JPY allows (0)");
    expect(sim.subscriptions(SHOP).filter((s) => s.name === "Plan")).toEqual([]); // nothing stored
  });
});

describe("the subscription lifecycle", () => {
  it("declines, replaces on approval, cancels, freezes, resumes and expires, each with app_subscriptions/update", async () => {
    const first = sim.subscriptions(SHOP).find((s) => s.status === "ACTIVE")!;
    const declined = await create({ name: "Declined", lineItems: [recurring(9)] });
    const answer = sim.declineSubscription(SHOP, declined.appSubscription.id);
    expect(answer.subscription.status).toBe("DECLINED");
    expect(() => sim.approveSubscription(SHOP, declined.appSubscription.id)).toThrow(/is DECLINED, not PENDING/);

    // Approving a new plan over HTTP cancels the current one.
    const next = await create({ name: "Annual", lineItems: [recurring(99, { interval: "ANNUAL" })] });
    const approved = await fetch(`${sim.url}/_sim/shops/${SHOP}/subscriptions/pending/approve`, { method: "POST" });
    expect(approved.status).toBe(200);
    expect(first.status).toBe("CANCELLED");
    let updates = await billingUpdates();
    expect(updates.slice(-3).map((u) => [u.name, u.status])).toEqual([
      ["Declined", "DECLINED"],
      ["Segments Pro", "CANCELLED"],
      ["Annual", "ACTIVE"],
    ]);
    const id = next.appSubscription.id as string;

    sim.lapseSubscription(SHOP, id, "FROZEN");
    expect((await gql(sim, ACTIVE)).body.data!.currentAppInstallation.activeSubscriptions).toEqual([]);
    sim.resumeSubscription(SHOP, id);
    expect(() => sim.lapseSubscription(SHOP, id, "EXPIRED")).toThrow(/only from PENDING/);

    const cancel = await gql(
      sim,
      `mutation($id: ID!) { appSubscriptionCancel(id: $id) { appSubscription { status currentPeriodEnd } userErrors { field message } } }`,
      { id },
    );
    expect(cancel.body.data!.appSubscriptionCancel).toEqual({
      appSubscription: { status: "CANCELLED", currentPeriodEnd: null },
      userErrors: [],
    });
    const again = await gql(
      sim,
      `mutation($id: ID!) { appSubscriptionCancel(id: $id) { userErrors { field message } } }`,
      {
        id,
      },
    );
    expect(again.body.data!.appSubscriptionCancel.userErrors[0].message).toBe(
      "An app subscription that is cancelled cannot be cancelled",
    );
    updates = await billingUpdates();
    expect(updates.slice(-3).map((u) => u.status)).toEqual(["FROZEN", "ACTIVE", "CANCELLED"]);

    // Not approved within two days: EXPIRED.
    const stale = await create({ name: "Stale", lineItems: [recurring(5)] });
    sim.advanceClock(2 * 86_400_000);
    const node = await gql(sim, `query($id: ID!) { node(id: $id) { ... on AppSubscription { status } } }`, {
      id: stale.appSubscription.id,
    });
    expect(node.body.data!.node.status).toBe("EXPIRED");
    expect(() => sim.approveSubscription(SHOP)).toThrow(/no pending app subscription/);
  });

  it("answers oneTimePurchases with an empty page (none are simulated), as billing.check asks for it", async () => {
    const query = `query($endCursor: String) { currentAppInstallation {
      oneTimePurchases(first: 250, sortKey: CREATED_AT, after: $endCursor) {
        edges { node { id name test status } } pageInfo { hasNextPage endCursor } } } }`;
    const answer = await gql(sim, query, { endCursor: null });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.currentAppInstallation.oneTimePurchases).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
    const unbounded = await gql(sim, `{ currentAppInstallation { oneTimePurchases { edges { node { id } } } } }`);
    expect(unbounded.body.errors?.[0]?.message).toMatch(/first or last/);
  });
});
