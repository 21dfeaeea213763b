import "../writeback/isolated-database";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { processChunk } from "../../app/recompute/chunk.server";
import { fitShopStep } from "../../app/recompute/fit.server";
import { membershipRowsWithReasons, REASON_PENDING } from "../../app/recompute/reasons-when-read.server";
import type { Overview } from "../../app/admin/overview.server";
import { loadShopConfig } from "../../app/settings/settings.server";
import { currencyExponent } from "../../app/utils/money";
import { saveDataRequest } from "../../app/stores/data-requests.server";
import { completeRun } from "../../app/stores/runs.server";
import { signedInAdmin, type AdminRequests } from "../helpers/admin-routes";
import { cleanRedisPrefix } from "../helpers/queue-backends";
import { simulatedStore } from "../helpers/sim-app";
import { backfillDirectly } from "../writeback/helpers";

/**
 * The admin pages' loaders and actions on a real database and the simulated
 * store: what each page shows for the session's shop, and a 404 (never a 500)
 * for another shop's rows and malformed ids.
 */
const STORE = "admin-pages";
const DOMAIN = `${STORE}.myshopify.com`;
const OTHER = "someone-else.myshopify.com";
const OTHER_CUSTOMER = "777000777";
const AS_OF = new Date("2026-06-01T00:00:00Z");

let store: Awaited<ReturnType<typeof simulatedStore>>;
let admin: AdminRequests;
let otherRequestId: string;
let ownRequestId: string;
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });

const routes = {
  overview: () => import("../../app/routes/app._index"),
  segments: () => import("../../app/routes/app.segments._index"),
  segment: () => import("../../app/routes/app.segments.$family.$handle"),
  csv: () => import("../../app/routes/app.segments.$family.$handle[.csv]"),
  customers: () => import("../../app/routes/app.customers._index"),
  customer: () => import("../../app/routes/app.customers.$id"),
  activity: () => import("../../app/routes/app.activity"),
  privacy: () => import("../../app/routes/app.privacy"),
  download: () => import("../../app/routes/app.privacy.requests.$id"),
};

beforeAll(async () => {
  process.env.SEGMENTS_AS_OF = AS_OF.toISOString();
  store = await simulatedStore({ domain: DOMAIN });
  store.sim.generate(DOMAIN, {
    seed: 7,
    customers: 400,
    orders: 2_400,
    startDate: "2024-06-01",
    endDate: "2026-05-30",
    discountShare: 0.2,
    seasonality: 0.3,
  });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = store.sim.url;
  admin = await signedInAdmin(DOMAIN, store.accessToken);
  await backfillDirectly(store);
  // The job that runs the backfill completes its run afterwards (backfillDirectly calls the service alone).
  const backfill = await prisma.jobRun.findFirstOrThrow({ where: { shopId: store.shopId, kind: "backfill" } });
  await completeRun(prisma, backfill.id);
  await client.connect();
  const config = await loadShopConfig(prisma, store.shopId);
  const fit = await fitShopStep(client, config, AS_OF, { chunkSize: 1_000 });
  for (const range of fit.ranges)
    await processChunk(client, { config, cutoffs: fit.cutoffs, asOf: AS_OF, range, recordTransitions: false });

  // Another shop with a customer, a membership and a data request of its own.
  const other = await prisma.shop.create({ data: { domain: OTHER, status: "installed" } });
  await prisma.customer.create({ data: { shopId: other.id, id: BigInt(OTHER_CUSTOMER) } });
  await prisma.segmentMembership.create({
    data: {
      shopId: other.id,
      customerId: BigInt(OTHER_CUSTOMER),
      segments: ["rfm/champions"],
      sinceDay: [20000],
    },
  });
  otherRequestId = await saveDataRequest(prisma, {
    shopDomain: OTHER,
    customerId: BigInt(OTHER_CUSTOMER),
    record: { theirs: true },
  });
  const [first] = await prisma.customer.findMany({ where: { shopId: store.shopId }, take: 1 });
  ownRequestId = await saveDataRequest(prisma, {
    shopDomain: DOMAIN,
    customerId: first.id,
    record: { orders: [] },
  });
}, 240_000);

afterAll(async () => {
  await client.end();
  await store?.sim.close();
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

const request = (path: string, init?: { method?: string; body?: FormData }) => admin.request(path, init);

/** A loader's answer: its data, or the Response it threw (404s, redirects). */
async function answer<T>(work: Promise<T>): Promise<T | Response> {
  try {
    return await work;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function status(work: Promise<unknown>): Promise<number> {
  const result = await answer(work);
  return result instanceof Response ? result.status : 200;
}

const args = (path: string, params: Record<string, string> = {}) => ({ request: request(path), params, context: {} });

describe("admin page loaders", () => {
  it("overview: every family with counts and shares, an RFM grid that adds up, the CLV distribution", async () => {
    const { loader } = await routes.overview();
    const data = (await loader(args("/app"))) as Awaited<ReturnType<typeof loader>>;
    expect(data.ready).toBe(true);
    const rfm = data.families.find((f) => f.family === "rfm")!;
    const rfmMembers = rfm.segments.reduce((sum, s) => sum + s.customers, 0);
    expect(rfmMembers).toBe(data.totals.customers); // one RFM group per customer
    const prospects = rfm.segments.find((s) => s.key === "rfm/prospects")!.customers;
    expect(data.rfm.reduce((sum, c) => sum + c.customers, 0)).toBe(rfmMembers - prospects);
    for (const cell of data.rfm) expect(rfm.segments.some((s) => s.key === cell.group)).toBe(true);
    const champions = rfm.segments.find((s) => s.key === "rfm/champions")!;
    expect(data.rfm.filter((c) => c.group === "rfm/champions").reduce((sum, c) => sum + c.customers, 0)).toBe(
      champions.customers,
    );
    // The scores the grid reads (SegmentMembership.rfmScores) are the ones each customer's RFM reason states.
    const explained = await membershipRowsWithReasons(prisma, store.shopId);
    const stored = await prisma.segmentMembership.findMany({
      where: { shopId: store.shopId, rfmScores: { not: null } },
      select: { customerId: true, rfmScores: true },
    });
    const stated = new Map(
      explained
        .filter((m) => m.segment.startsWith("rfm/") && m.segment !== "rfm/prospects")
        .map((m) => {
          const [, r, f, mo] = /^R (\d) F (\d) M (\d) /.exec(m.reason ?? "") ?? [];
          return [m.customerId, Number(r) * 100 + Number(f) * 10 + Number(mo)];
        }),
    );
    expect(stored).toHaveLength(rfmMembers - prospects);
    expect(stored.filter((row) => stated.get(String(row.customerId)) !== row.rfmScores)).toEqual([]);
    // Shares of revenue of one family's segments add up to the customers' share (guest orders are the rest).
    const revenueShare = rfm.segments.reduce((sum, s) => sum + s.shareOfRevenue, 0);
    expect(revenueShare).toBeGreaterThan(0.5);
    expect(revenueShare).toBeLessThanOrEqual(1 + 1e-9);
    expect(data.clv.available).toBe(true);
    const predictive = data.families.find((f) => f.family === "predictive")!;
    const valued = predictive.segments.filter((s) => /-value$/.test(s.key)).reduce((sum, s) => sum + s.customers, 0);
    expect(data.clv.buckets.reduce((sum, b) => sum + b.customers, 0)).toBe(valued);
    // The chart (kept with the model by the fit) ends at the largest 12-month value the members' reasons state.
    const values = explained
      .filter((m) => /^predictive\/.+-value$/.test(m.segment))
      .map((m) => Number(/^12-month value (\S+) /.exec(m.reason ?? "")?.[1]));
    expect(values).toHaveLength(valued);
    expect(data.clv.buckets.at(-1)!.to).toBeCloseTo(Math.max(...values), 2);
    expect(JSON.stringify(data)).not.toContain(OTHER_CUSTOMER);
  });

  it("segment list and detail: stats, members with reasons and names from Shopify, keyset pages", async () => {
    const list = await (await routes.segments()).loader(args("/app/segments"));
    const champions = list.segments.find((s) => s.key === "rfm/champions")!;
    expect(champions.customers).toBeGreaterThan(25);
    expect(champions.averageOrderValue).toBeGreaterThan(0);

    const { loader } = await routes.segment();
    const params = { family: "rfm", handle: "champions" };
    const first = (await loader(args("/app/segments/rfm/champions", params))) as Awaited<ReturnType<typeof loader>>;
    expect(first.segment.customers).toBe(champions.customers);
    expect(first.segment.definition).toMatch(/R 5/);
    expect(first.members).toHaveLength(25);
    expect(first.namesAvailable).toBe(true);
    for (const m of first.members) {
      expect(m.reason).toMatch(/^R 5 F [1-5] M [1-5]/);
      expect(m.name).toBeTruthy();
      expect(m.adminUrl).toBe(`https://admin.shopify.com/store/${STORE}/customers/${m.customerId}`);
    }
    expect(first.nextAfter).toBe(first.members[24].customerId);
    const second = (await loader(args(`/app/segments/rfm/champions?after=${first.nextAfter}`, params))) as Awaited<
      ReturnType<typeof loader>
    >;
    const ids = new Set(first.members.map((m) => m.customerId));
    expect(second.members.some((m) => ids.has(m.customerId))).toBe(false);
    expect(BigInt(second.members[0].customerId)).toBeGreaterThan(BigInt(first.nextAfter!));
    expect(JSON.stringify(second)).not.toContain(OTHER_CUSTOMER);

    // An RFM cell narrows the members to that cell.
    const cell = (await loader(args("/app/segments/rfm/champions?r=5&fm=5", params))) as Awaited<
      ReturnType<typeof loader>
    >;
    for (const m of cell.members) expect(m.reason).toMatch(/^R 5 F [1-5] M [1-5] \(FM 5\)/);
  });

  it("segment CSV: a header and one line per member, streamed", async () => {
    const { loader } = await routes.csv();
    const response = await loader(args("/app/segments/rfm/champions.csv", { family: "rfm", handle: "champions" }));
    expect(response.headers.get("content-type")).toMatch(/text\/csv/);
    const text = await response.text();
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "customer_id,segment,reason,member_since,orders,total_spent,average_order_value,first_order_at,last_order_at",
    );
    const count = await prisma.segmentMembership.count({
      where: { shopId: store.shopId, segments: { has: "rfm/champions" } },
    });
    expect(lines).toHaveLength(count + 1);
    expect(lines[1]).toMatch(/^\d+,rfm\/champions,"R 5 F/);
  });

  it("customer: segments with reasons, scores and predictions from the stored orders", async () => {
    const { rows } = await client.query(
      `SELECT "customerId"::text AS id FROM "SegmentMembership" WHERE "shopId" = $1 AND segments @> ARRAY['predictive/likely-active'] LIMIT 1`,
      [store.shopId],
    );
    const id = rows[0].id as string;
    const { loader } = await routes.customer();
    const data = (await loader(args(`/app/customers/${id}`, { id }))) as Awaited<ReturnType<typeof loader>>;
    expect(data.name).toBeTruthy();
    expect(data.modelReady).toBe(true);
    expect(data.segments.map((s) => s.key)).toContain("predictive/likely-active");
    expect(data.scores).toEqual({
      recency: expect.any(Number),
      frequency: expect.any(Number),
      monetary: expect.any(Number),
    });
    const rfmReason = data.segments.find((s) => s.key.startsWith("rfm/"))!.reason;
    expect(rfmReason).toMatch(
      new RegExp(`^R ${data.scores!.recency} F ${data.scores!.frequency} M ${data.scores!.monetary}`),
    );
    expect(data.predictions).toMatchObject({ status: "ok" });
    if (data.predictions?.status === "ok") expect(data.predictions.pAlive).toBeGreaterThanOrEqual(0.7);

    const search = await routes.customers();
    const byId = await answer(search.loader(args(`/app/customers?q=${id}`)));
    expect(byId).toBeInstanceOf(Response);
    expect((byId as Response).headers.get("location")).toBe(`/app/customers/${id}`);
    const byName = (await search.loader(args(`/app/customers?q=${encodeURIComponent(data.name!)}`))) as Awaited<
      ReturnType<typeof search.loader>
    >;
    expect(byName.results.find((r) => r.id === id)).toMatchObject({ name: data.name, stored: true });
  });

  it("another shop's customer, segment keys outside the catalog and malformed ids are 404s", async () => {
    const customer = (await routes.customer()).loader;
    for (const id of [OTHER_CUSTOMER, "abc", "0", "12x", "99999999999999999999", "-5"]) {
      expect(await status(customer(args(`/app/customers/${id}`, { id }))), id).toBe(404);
    }
    const segment = (await routes.segment()).loader;
    expect(await status(segment(args("/app/segments/rfm/nope", { family: "rfm", handle: "nope" })))).toBe(404);
    expect(await status(segment(args("/app/segments/x/y", { family: "..", handle: "y" })))).toBe(404);
    const params = { family: "rfm", handle: "champions" };
    for (const query of ["after=abc", "after=1e5", "r=9&fm=1", "r=5&fm=1.25", "r=5"]) {
      expect(await status(segment(args(`/app/segments/rfm/champions?${query}`, params))), query).toBe(404);
    }
    expect(
      await status(segment(args("/app/segments/usage/heavy?r=5&fm=5", { family: "usage", handle: "heavy" }))),
    ).toBe(404);
    const csv = (await routes.csv()).loader;
    expect(await status(csv(args("/app/segments/rfm/nope.csv", { family: "rfm", handle: "nope" })))).toBe(404);
    const download = (await routes.download()).loader;
    for (const id of [otherRequestId, "not a cuid", "x".repeat(60)]) {
      expect(await status(download(args(`/app/privacy/requests/${id}`, { id }))), id).toBe(404);
    }
  });
});

describe("segment CSV figures", () => {
  it("segment CSV: each member's figures are its orders that are not cancelled, tallied from the read that explains it", async () => {
    const { loader } = await routes.csv();
    const text = await (
      await loader(args("/app/segments/usage/light.csv", { family: "usage", handle: "light" }))
    ).text();
    const decimals = (await loadShopConfig(prisma, store.shopId)).segmentation.currencyDecimals;
    const listed = new Map(
      text
        .trimEnd()
        .split("\r\n")
        .slice(1)
        .map((line) => {
          // The reason is the only quoted field.
          const [id, , , since, orders, spent, average, first, last] = line.replace(/"[^"]*"/, "reason").split(",");
          return [id, { since, orders, spent, average, first, last }];
        }),
    );
    const { rows } = await client.query(
      `SELECT "customerId"::text AS id, count(*)::int AS orders, sum("totalMinor")::float8 AS spent,
              min("processedAt") AS first, max("processedAt") AS last,
              count(*) FILTER (WHERE "fullyRefunded")::int AS refunded
       FROM "Order" WHERE "shopId" = $1 AND "customerId" = ANY($2::bigint[]) AND "cancelledAt" IS NULL
       GROUP BY 1`,
      [store.shopId, [...listed.keys()]],
    );
    const { rows: cancelled } = await client.query(
      `SELECT count(DISTINCT "customerId")::int AS n FROM "Order"
       WHERE "shopId" = $1 AND "customerId" = ANY($2::bigint[]) AND "cancelledAt" IS NOT NULL`,
      [store.shopId, [...listed.keys()]],
    );
    // The segment is big enough to hold members whose cancelled orders the figures leave out.
    expect(listed.size).toBeGreaterThan(50);
    expect(cancelled[0].n).toBeGreaterThan(0);
    const sql = new Map(rows.map((r) => [r.id as string, r]));
    for (const [id, line] of listed) {
      const r = sql.get(id);
      const spent = r ? r.spent / 10 ** decimals : 0;
      expect({ id, ...line }).toEqual({
        id,
        since: line.since,
        orders: String(r?.orders ?? 0),
        spent: spent.toFixed(decimals),
        average: r ? (spent / r.orders).toFixed(decimals) : "",
        first: r ? (r.first as Date).toISOString() : "",
        last: r ? (r.last as Date).toISOString() : "",
      });
    }
  });
});

describe("the predicted-value chart", () => {
  it("shows a model fitted before its ranges were round (equal ranges, no edges) in equal ranges until the next fit", async () => {
    const read = await client.query(`SELECT cutoffs FROM "ShopModel" WHERE "shopId" = $1`, [store.shopId]);
    const kept = read.rows[0].cutoffs;
    const fitted = (await (await routes.overview()).loader(args("/app"))) as Pick<Overview, "clv" | "currency">;
    // This fit's ranges: bounds on a 1-2-5, 1-3 or decade scale, each range starting where the previous ended.
    const bounds = fitted.clv.buckets.slice(1).map((b) => b.from);
    expect(bounds.every((b) => /^[1235]e/.test(b.toExponential(0)) && Number(b.toExponential(0)) === b)).toBe(true);
    fitted.clv.buckets.slice(1).forEach((b, i) => expect(b.from).toBe(fitted.clv.buckets[i].to));
    // 1,000 in the shop's currency, in ten ranges of 100.
    const old = { max: 1_000 * 10 ** currencyExponent(fitted.currency), counts: [5, 4, 3, 2, 1, 0, 0, 0, 0, 1] };
    await client.query(
      `UPDATE "ShopModel" SET cutoffs = jsonb_set(cutoffs::jsonb, '{predictive,clvDistribution}', $2::jsonb)::json
       WHERE "shopId" = $1`,
      [store.shopId, JSON.stringify(old)],
    );
    try {
      const data = (await (await routes.overview()).loader(args("/app"))) as { clv: Overview["clv"] };
      expect(data.clv.buckets).toEqual(
        old.counts.map((customers, i) => ({ from: i * 100, to: (i + 1) * 100, customers })),
      );
    } finally {
      await client.query(`UPDATE "ShopModel" SET cutoffs = $2 WHERE "shopId" = $1`, [store.shopId, kept]);
    }
  });
});

describe("reasons written out when read", () => {
  it("pages show the assigner's reasons (ADR 060), and say so where a row's segment is not the assignment's", async () => {
    const { rows } = await client.query<{ id: string; segments: string[] }>(
      `SELECT "customerId"::text AS id, segments FROM "SegmentMembership"
       WHERE "shopId" = $1 AND segments @> ARRAY['rfm/champions'] AND NOT segments @> ARRAY['loyalty/lapsed']
       ORDER BY "customerId" LIMIT 1`,
      [store.shopId],
    );
    const [{ id, segments }] = rows;
    // The row names a segment the assignment does not give the customer (as after an order, before its
    // re-segmentation has written the row).
    const extra = "loyalty/lapsed";
    await client.query(
      `UPDATE "SegmentMembership" SET segments = segments || $3::text, "sinceDay" = "sinceDay" || "sinceDay"[1]
       WHERE "shopId" = $1 AND "customerId" = $2::bigint`,
      [store.shopId, id, extra],
    );
    try {
      const customer = await (await routes.customer()).loader(args(`/app/customers/${id}`, { id }));
      const shown = new Map(customer.segments.map((s) => [s.key, s.reason]));
      expect(shown.get(extra)).toBe(REASON_PENDING);
      expect(shown.get("rfm/champions")).toMatch(/^R 5 F [1-5] M [1-5] \(FM [\d.]+\): last order /);
      expect([...shown.keys()].filter((key) => shown.get(key) === REASON_PENDING)).toEqual([extra]);

      const csv = await (
        await (
          await routes.csv()
        ).loader(args("/app/segments/loyalty/lapsed.csv", { family: "loyalty", handle: "lapsed" }))
      ).text();
      const lines = csv.trimEnd().split("\r\n").slice(1);
      expect(lines.filter((line) => line.includes(REASON_PENDING)).map((line) => line.split(",")[0])).toEqual([id]);
      expect(lines.length).toBeGreaterThan(10);
    } finally {
      await client.query(
        `UPDATE "SegmentMembership" SET segments = $3, "sinceDay" = "sinceDay"[1:cardinality($3::text[])]
         WHERE "shopId" = $1 AND "customerId" = $2::bigint`,
        [store.shopId, id, segments],
      );
    }
  });
});

describe("activity and privacy pages", () => {
  it("activity: this shop's runs, the backfill's progress, and run-now buttons that refuse unknown actions", async () => {
    const { loader, action } = await routes.activity();
    const data = await loader(args("/app/activity"));
    expect(data.backfill?.status).toBe("completed");
    expect(data.backfill!.total).toBe(await prisma.order.count({ where: { shopId: store.shopId } }));
    expect(data.backfill!.done).toBe(data.backfill!.total);
    const own = await prisma.jobRun.findMany({ where: { shopId: store.shopId } });
    expect(data.runs.map((r) => r.id).sort()).toEqual(own.map((r) => r.id).sort());

    const bad = new FormData();
    bad.set("intent", "drop-tables");
    const refused = await action({
      request: request("/app/activity", { method: "POST", body: bad }),
      params: {},
      context: {},
    });
    expect(refused.status).toBe(400);
    const good = new FormData();
    good.set("intent", "reconcile");
    const accepted = await action({
      request: request("/app/activity", { method: "POST", body: good }),
      params: {},
      context: {},
    });
    expect(await accepted.json()).toEqual({ ok: true, done: "reconcile" });
  });

  it("privacy: this shop's data requests only, downloadable as JSON", async () => {
    const data = await (await routes.privacy()).loader(args("/app/privacy"));
    expect(data.dataRequests.map((r) => r.id)).toEqual([ownRequestId]);
    const download = await (
      await routes.download()
    ).loader(args(`/app/privacy/requests/${ownRequestId}`, { id: ownRequestId }));
    expect(download.headers.get("content-disposition")).toMatch(/attachment/);
    expect(JSON.parse(await download.text())).toMatchObject({ shop: DOMAIN, record: { orders: [] } });
  });
});
