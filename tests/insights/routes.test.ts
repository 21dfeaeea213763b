import "../writeback/isolated-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { localDay } from "../../app/insights/core";
import { routeAnswer as answer, signedInAdmin, type AdminRequests } from "../helpers/admin-routes";
import { cleanRedisPrefix } from "../helpers/queue-backends";
import { anotherShopsDiscount, discountStore } from "../act/helpers";
import { snapshotRow } from "../helpers/snapshots";

const STORE = "insights-routes";
const DOMAIN = `${STORE}.myshopify.com`;
const OTHERS = "0b6c1f3e-9d1a-4a55-8f0e-2c7b9e4d1a33";

let store: Awaited<ReturnType<typeof discountStore>>;
let page: typeof import("../../app/routes/app.insights._index");
let lift: typeof import("../../app/routes/app.insights.discounts.$id");
let csv: typeof import("../../app/routes/app.insights.export.snapshots");
let movementCsv: typeof import("../../app/routes/app.insights.export.movement");
let admin: AdminRequests;

beforeAll(async () => {
  store = await discountStore(DOMAIN);
  process.env.SHOPIFY_ADMIN_API_ORIGIN = store.sim.url;
  admin = await signedInAdmin(DOMAIN, store.accessToken);
  page = await import("../../app/routes/app.insights._index");
  lift = await import("../../app/routes/app.insights.discounts.$id");
  csv = await import("../../app/routes/app.insights.export.snapshots");
  movementCsv = await import("../../app/routes/app.insights.export.movement");
  const other = await anotherShopsDiscount("insights-other.myshopify.com", OTHERS);
  // Another shop's snapshot, today: never shown to this shop.
  await prisma.segmentSnapshot.create({
    data: snapshotRow(other.id, localDay(new Date(), "UTC"), "rfm/champions", { size: 7 }),
  });
});
afterAll(async () => {
  await store?.sim.close();
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

const request = (path: string) => admin.request(path);

/** The page route's answer: its status, the page, and the model's check (a value, or deferred: ADR 055). */
async function insightsPage(path: string) {
  const answer = await page.loader({ request: request(path), params: {}, context: {} });
  return { status: answer.init?.status ?? 200, page: answer.data.page, predictions: answer.data.predictions };
}

describe("Insights pages", () => {
  it("a period without snapshots is an empty state, not an error", async () => {
    const { status, page: data, predictions } = await insightsPage("/app/insights");
    expect(status).toBe(200);
    expect(data.empty).toBe(true);
    expect(data.problem).toBeNull();
    expect(data.trend.series).toEqual([]);
    expect(predictions).toBeNull();
  });

  it("a reversed range, or one longer than the retention, is refused with a message", async () => {
    const reversed = await insightsPage("/app/insights?from=2026-11-20&to=2026-11-01");
    expect(reversed.status).toBe(400);
    expect(reversed.page.problem).toBe("The start date 2026-11-20 is after the end date 2026-11-01.");
    const long = await insightsPage("/app/insights?from=2020-01-01&to=2026-11-01");
    expect(long.status).toBe(400);
    expect(long.page.problem).toMatch(/snapshots are kept for 400 days/);
    const csvRefused = await answer(() =>
      csv.loader({
        request: request("/app/insights/export/snapshots?from=2026-11-20&to=2026-11-01"),
        params: {},
        context: {},
      }),
    );
    expect(csvRefused.status).toBe(400);
  });

  it("another shop's discount id, or an unknown one, is a 404", async () => {
    for (const id of [OTHERS, "nope"]) {
      const response = await answer(() =>
        lift.loader({ request: request(`/app/insights/discounts/${id}`), params: { id }, context: {} }),
      );
      expect(response.status).toBe(404);
    }
  });

  it("the snapshot export is CSV of this shop only", async () => {
    const response = await answer(() =>
      csv.loader({ request: request("/app/insights/export/snapshots"), params: {}, context: {} }),
    );
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(await response.text()).toBe(
      "day,segment,size,entries,exits,orders,revenue_minor,average_order_value_minor,buyers,repeat_members,repeat_rate\r\n",
    );
  });

  it("the movement export is CSV of the family asked for, one row per segment of the catalog", async () => {
    const exported = async (query: string) => {
      const response = await answer(() =>
        movementCsv.loader({ request: request(`/app/insights/export/movement?${query}`), params: {}, context: {} }),
      );
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      return { name: response.headers.get("content-disposition"), lines: (await response.text()).trim().split("\r\n") };
    };
    const loyalty = await exported("family=loyalty&from=2026-11-01&to=2026-11-20");
    expect(loyalty.name).toBe('attachment; filename="segment-movement-loyalty-2026-11-01-2026-11-20.csv"');
    expect(loyalty.lines[0]).toMatch(/^segment_at_start,loyalty\/.*,size_at_start$/);
    const rows = loyalty.lines.slice(1).map((l) => l.split(",")[0]);
    expect(rows).toContain("loyalty/lapsed");
    expect(rows.every((r) => r.startsWith("loyalty/"))).toBe(true);
    // A family the catalog does not have is the first one's.
    expect((await exported("family=nonsense")).name).toMatch(/^attachment; filename="segment-movement-rfm-/);
  });
});
