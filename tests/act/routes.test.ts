import "../writeback/isolated-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultFormValues, formDataFromValues, type DiscountFormValues } from "../../app/act/discount-form";
import prisma from "../../app/db.server";
import { routeAnswer as answer, signedInAdmin, type AdminRequests } from "../helpers/admin-routes";
import { cleanRedisPrefix } from "../helpers/queue-backends";
import { anotherShopsDiscount, discountStore } from "./helpers";

const STORE = "discount-routes";
const DOMAIN = `${STORE}.myshopify.com`;
const OTHERS = "6f9c7a52-3b8e-4f0e-9e43-7a1d2c3b4a5f";

let store: Awaited<ReturnType<typeof discountStore>>;
// Route modules are imported after the environment points the app at the simulator.
let list: typeof import("../../app/routes/app.discounts._index");
let create: typeof import("../../app/routes/app.discounts.new");
let edit: typeof import("../../app/routes/app.discounts.$id");
let admin: AdminRequests;

beforeAll(async () => {
  store = await discountStore(DOMAIN);
  process.env.SHOPIFY_ADMIN_API_ORIGIN = store.sim.url;
  admin = await signedInAdmin(DOMAIN, store.accessToken);
  list = await import("../../app/routes/app.discounts._index");
  create = await import("../../app/routes/app.discounts.new");
  edit = await import("../../app/routes/app.discounts.$id");
  await anotherShopsDiscount("someone-else.myshopify.com", OTHERS);
});
afterAll(async () => {
  await store?.sim.close();
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

const request = (path: string, init?: { method?: string; body?: FormData }) => admin.request(path, init);

function form(patch: Partial<DiscountFormValues> = {}): FormData {
  return formDataFromValues({
    ...defaultFormValues("2026-01-01", "rfm/champions"),
    title: "From the form",
    rewardValue: "20",
    ...patch,
  });
}

describe("Discounts pages", () => {
  let id: string;

  it("creates a discount from the form and lists it with its status, segments, reward, hold-out and dates", async () => {
    const created = await answer(
      create.action({
        request: request("/app/discounts/new", { method: "POST", body: form() }),
        params: {},
        context: {},
      }),
    );
    expect(created.status).toBe(302);
    expect(new URL(created.headers.get("location")!).pathname).toBe("/app/discounts");
    const row = await prisma.segmentDiscount.findFirstOrThrow({ where: { title: "From the form" } });
    id = row.id;
    expect(store.sim.discounts(DOMAIN)).toHaveLength(1);

    const page = await (
      await answer(list.loader({ request: request("/app/discounts"), params: {}, context: {} }))
    ).json();
    expect(page.rows).toEqual([
      expect.objectContaining({
        id,
        title: "From the form",
        status: "active",
        method: "Automatic",
        segments: ["Champions"],
        reward: "20% off the order",
        holdout: "10%",
        dates: "From 2026-01-01",
        canPause: true,
        canResume: false,
      }),
    ]);
    expect(JSON.stringify(page)).not.toContain("Someone else's");
  });

  it("refuses bad input with a 400 and a message per field, saving nothing", async () => {
    const rows = await prisma.segmentDiscount.count();
    const refused = await answer(
      create.action({
        request: request("/app/discounts/new", {
          method: "POST",
          body: form({ segments: [], rewardValue: "150", holdoutPercentage: "55", endDate: "2025-12-31" }),
        }),
        params: {},
        context: {},
      }),
    );
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors).toEqual({
      segments: "Choose at least one segment.",
      rewardValue: "Enter a percentage above 0 and at most 100.",
      holdoutPercentage: "Enter a hold-out share from 0 to 50%.",
      endDate: "The end date cannot be before the start date.",
    });
    const negative = await answer(
      create.action({
        request: request("/app/discounts/new", {
          method: "POST",
          body: form({ rewardKind: "fixedAmount", rewardValue: "-2" }),
        }),
        params: {},
        context: {},
      }),
    );
    expect((await negative.json()).errors).toEqual({ rewardValue: "Enter an amount above zero, e.g. 5.00." });
    expect(await prisma.segmentDiscount.count()).toBe(rows);
    expect(store.sim.discounts(DOMAIN)).toHaveLength(1);
  });

  it("answers 404 for another shop's discount, a malformed id and a deleted discount, never 500", async () => {
    const own = await answer(edit.loader({ request: request(`/app/discounts/${id}`), params: { id }, context: {} }));
    expect((await own.json()).values).toMatchObject({
      title: "From the form",
      rewardValue: "20",
      segments: ["rfm/champions"],
    });
    for (const bad of [OTHERS, "not-an-id", "'; DROP TABLE x; --", "0".repeat(5_000)]) {
      const loaded = await answer(
        edit.loader({ request: request(`/app/discounts/x`), params: { id: bad }, context: {} }),
      );
      expect(loaded.status, bad.slice(0, 40)).toBe(404);
      const saved = await answer(
        edit.action({
          request: request(`/app/discounts/x`, { method: "POST", body: form() }),
          params: { id: bad },
          context: {},
        }),
      );
      expect(saved.status, bad.slice(0, 40)).toBe(404);
      const body = new FormData();
      body.set("intent", "delete");
      body.set("id", bad);
      const deleted = await answer(
        list.action({ request: request("/app/discounts", { method: "POST", body }), params: {}, context: {} }),
      );
      expect(deleted.status, bad.slice(0, 40)).toBe(404);
    }
    expect((await prisma.segmentDiscount.findUniqueOrThrow({ where: { id: OTHERS } })).status).toBe("active");
  });

  it("edits, pauses and deletes from the pages", async () => {
    const edited = await answer(
      edit.action({
        request: request(`/app/discounts/${id}`, {
          method: "POST",
          body: form({ title: "Edited", holdoutPercentage: "15" }),
        }),
        params: { id },
        context: {},
      }),
    );
    expect(edited.status).toBe(302);
    expect(store.sim.discounts(DOMAIN)[0].title).toBe("Edited");

    const intent = async (name: string) => {
      const body = new FormData();
      body.set("intent", name);
      body.set("id", id);
      return answer(
        list.action({ request: request("/app/discounts", { method: "POST", body }), params: {}, context: {} }),
      );
    };
    expect(await (await intent("pause")).json()).toEqual({ ok: true, intent: "pause" });
    const paused = await (
      await answer(list.loader({ request: request("/app/discounts"), params: {}, context: {} }))
    ).json();
    expect(paused.rows[0]).toMatchObject({ status: "paused", canResume: true, canPause: false, holdout: "15%" });
    const again = await intent("pause");
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ ok: false, message: "The discount is not active.", intent: "pause" });
    expect((await (await intent("delete")).json()).ok).toBe(true);
    expect(store.sim.discounts(DOMAIN)).toEqual([]);
    const gone = await answer(edit.loader({ request: request(`/app/discounts/${id}`), params: { id }, context: {} }));
    expect(gone.status).toBe(404);
  });

  it("preselects the segment a segment's page links with", async () => {
    const page = await (
      await answer(
        create.loader({ request: request("/app/discounts/new?segment=loyalty%2Floyal"), params: {}, context: {} }),
      )
    ).json();
    expect(page.values.segments).toEqual(["loyalty/loyal"]);
    expect(page.segments.map((s: { key: string }) => s.key)).toContain("rfm/champions");
    const unknown = await (
      await answer(
        create.loader({ request: request("/app/discounts/new?segment=nope%2Fnothing"), params: {}, context: {} }),
      )
    ).json();
    expect(unknown.values.segments).toEqual([]);
  });
});
