import "../writeback/isolated-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfiguration } from "../../extensions/segment-discount/src/configuration";
import { defaultFormValues, type DiscountFormValues } from "../../app/act/discount-form";
import {
  createSegmentDiscount,
  deleteSegmentDiscount,
  DiscountNotFoundError,
  pauseSegmentDiscount,
  resumeSegmentDiscount,
  updateSegmentDiscountFromForm,
} from "../../app/act/discounts.server";
import prisma from "../../app/db.server";
import { findSegmentDiscount } from "../../app/stores/discounts.server";
import { anotherShopsDiscount, discountStore, expectValidAgainstSchema, type SentRequest } from "./helpers";

const DOMAIN = "discounts.myshopify.com";
let store: Awaited<ReturnType<typeof discountStore>>;

beforeAll(async () => {
  store = await discountStore(DOMAIN);
});
afterAll(() => store?.sim.close());

function form(patch: Partial<DiscountFormValues> = {}): DiscountFormValues {
  return {
    ...defaultFormValues("2026-12-01", "rfm/champions"),
    title: "Champions: 15% off",
    rewardValue: "15",
    message: "Welcome back: 15% off your order",
    ...patch,
  };
}

/** The requests sent since `from`, each checked against the Admin API schema. */
function requestsSince(from: number): SentRequest[] {
  const requests = store.sent.slice(from);
  for (const request of requests) expectValidAgainstSchema(request);
  return requests;
}

function metafieldValue(metafields: Array<{ key: string; value: string }>, key: string) {
  return JSON.parse(metafields.find((m) => m.key === key)!.value);
}

describe("segment discounts through the app, against the simulator", () => {
  it("creates, edits, pauses, resumes and deletes an automatic discount with the Function's handle and configuration", async () => {
    const deps = await store.deps();
    let mark = store.sent.length;
    const created = await createSegmentDiscount(
      deps,
      form({ segments: ["rfm/champions", "loyalty/loyal"], endDate: "2027-01-31", combinesWithShipping: true }),
    );
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const discount = created.discount;

    // One create mutation with the handle, the classes, the dates and both metafields.
    const [create] = requestsSince(mark);
    expect(create.operation).toBe("SegmentDiscountAutomaticCreate");
    const input = create.variables.discount;
    expect(input).toMatchObject({
      functionHandle: "segment-discount",
      title: "Champions: 15% off",
      startsAt: "2026-12-01T00:00:00.000Z",
      endsAt: "2027-02-01T00:00:00.000Z",
      discountClasses: ["ORDER"],
      combinesWith: { productDiscounts: false, orderDiscounts: false, shippingDiscounts: true },
    });
    expect(input.metafields.map((m: any) => `${m.namespace}.${m.key}:${m.type}`)).toEqual([
      "$app:segment-discount.function-configuration:json",
      "$app:segment-discount.input-variables:json",
    ]);
    const configuration = metafieldValue(input.metafields, "function-configuration");
    expect(configuration).toEqual({
      version: 1,
      segments: ["rfm-champions", "loyalty-loyal"],
      rewards: { order: { percentage: 15 } },
      minimumSubtotal: null,
      holdout: { percentage: 10, discountId: discount.id },
      message: "Welcome back: 15% off your order",
    });
    expect(parseConfiguration(configuration).ok).toBe(true);
    expect(metafieldValue(input.metafields, "input-variables")).toEqual({
      segmentTags: ["seg:rfm-champions", "seg:loyalty-loyal"],
    });

    // Shopify (the simulator) holds the discount, behind the app's Function, with its configuration.
    const [simDiscount] = store.sim.discounts(DOMAIN);
    expect(simDiscount).toMatchObject({ kind: "automatic", functionHandle: "segment-discount", title: discount.title });
    expect(discount.shopifyId).toMatch(/^gid:\/\/shopify\/DiscountAutomaticNode\/\d+$/);
    const stored = store.sim.metafields(DOMAIN, discount.shopifyId!);
    expect(stored.find((m) => m.key === "function-configuration")?.value).toBe(JSON.stringify(configuration));
    expect(await findSegmentDiscount(prisma, store.shopId, discount.id)).toMatchObject({
      status: "active",
      segments: ["rfm/champions", "loyalty/loyal"],
      holdoutPercentage: 10,
    });

    // Edit: another reward and hold-out share, one segment fewer.
    mark = store.sent.length;
    const edited = await updateSegmentDiscountFromForm(
      deps,
      discount.id,
      form({
        title: "Champions: £5 off each item",
        segments: ["rfm/champions"],
        rewardTarget: "product",
        rewardKind: "fixedAmount",
        rewardValue: "5.00",
        appliesToEachItem: true,
        minimumSubtotal: "40",
        holdoutPercentage: "20",
        endDate: "2027-01-31",
      }),
    );
    if (!edited.ok) throw new Error(JSON.stringify(edited.errors));
    const [update] = requestsSince(mark);
    expect(update.operation).toBe("SegmentDiscountAutomaticUpdate");
    expect(update.variables.id).toBe(discount.shopifyId);
    expect(update.variables.discount).toMatchObject({
      title: "Champions: £5 off each item",
      discountClasses: ["PRODUCT"],
    });
    expect(metafieldValue(update.variables.discount.metafields, "function-configuration")).toMatchObject({
      segments: ["rfm-champions"],
      rewards: { product: { fixedAmount: "5.00", appliesToEachItem: true } },
      minimumSubtotal: "40",
      holdout: { percentage: 20, discountId: discount.id },
    });
    expect(
      JSON.parse(store.sim.metafields(DOMAIN, discount.shopifyId!).find((m) => m.key === "input-variables")!.value),
    ).toEqual({
      segmentTags: ["seg:rfm-champions"],
    });
    expect(store.sim.discounts(DOMAIN)[0]).toMatchObject({
      title: "Champions: £5 off each item",
      discountClasses: ["PRODUCT"],
    });

    // Pause: Shopify ends the discount now.
    mark = store.sent.length;
    expect(await pauseSegmentDiscount(deps, discount.id)).toEqual({ ok: true });
    expect(requestsSince(mark).map((r) => [r.operation, r.variables.id])).toEqual([
      ["SegmentDiscountAutomaticDeactivate", discount.shopifyId],
    ]);
    const now = store.sim.now() / 1000;
    expect(store.sim.discounts(DOMAIN)[0].endsAt).toBeLessThanOrEqual(now);
    expect(await findSegmentDiscount(prisma, store.shopId, discount.id)).toMatchObject({
      status: "paused",
      pausedReason: "merchant",
    });
    expect(await pauseSegmentDiscount(deps, discount.id)).toEqual({
      ok: false,
      message: "The discount is not active.",
    });

    // Editing a paused discount keeps it paused: no dates are sent.
    mark = store.sent.length;
    const whilePaused = await updateSegmentDiscountFromForm(deps, discount.id, form({ title: "Renamed while paused" }));
    expect(whilePaused.ok).toBe(true);
    const [pausedUpdate] = requestsSince(mark);
    expect(pausedUpdate.variables.discount).not.toHaveProperty("startsAt");
    expect(pausedUpdate.variables.discount).not.toHaveProperty("endsAt");
    expect(store.sim.discounts(DOMAIN)[0].endsAt).toBeLessThanOrEqual(now);

    // Resume: activated, then the merchant's dates put back (no end date since the last edit).
    mark = store.sent.length;
    expect(await resumeSegmentDiscount(deps, discount.id)).toEqual({ ok: true });
    expect(requestsSince(mark).map((r) => r.operation)).toEqual([
      "SegmentDiscountAutomaticActivate",
      "SegmentDiscountAutomaticUpdate",
    ]);
    expect(store.sim.discounts(DOMAIN)[0]).toMatchObject({
      endsAt: null,
      startsAt: Date.parse("2026-12-01T00:00:00Z") / 1000,
    });
    expect(await findSegmentDiscount(prisma, store.shopId, discount.id)).toMatchObject({
      status: "active",
      pausedReason: null,
    });

    // Delete: gone from Shopify; the app keeps the record (for its hold-out history) as deleted.
    mark = store.sent.length;
    expect(await deleteSegmentDiscount(deps, discount.id)).toEqual({ ok: true });
    expect(requestsSince(mark).map((r) => [r.operation, r.variables.id])).toEqual([
      ["SegmentDiscountAutomaticDelete", discount.shopifyId],
    ]);
    expect(store.sim.discounts(DOMAIN)).toEqual([]);
    expect(store.sim.metafields(DOMAIN, discount.shopifyId!)).toEqual([]);
    expect(await findSegmentDiscount(prisma, store.shopId, discount.id)).toBeNull();
    expect((await prisma.segmentDiscount.findUniqueOrThrow({ where: { id: discount.id } })).status).toBe("deleted");
    await expect(pauseSegmentDiscount(deps, discount.id)).rejects.toBeInstanceOf(DiscountNotFoundError);
  });
});

describe("segment discounts: codes, bad input and other shops", () => {
  it("creates a code discount, and shows Shopify's refusal of a taken code next to the field, saving nothing", async () => {
    const deps = await store.deps();
    const mark = store.sent.length;
    const created = await createSegmentDiscount(
      deps,
      form({ method: "code", code: "CHAMPS15", rewardTarget: "shipping", rewardKind: "free", rewardValue: "" }),
    );
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const [create] = requestsSince(mark);
    expect(create.operation).toBe("SegmentDiscountCodeCreate");
    expect(create.variables.discount).toMatchObject({
      functionHandle: "segment-discount",
      code: "CHAMPS15",
      discountClasses: ["SHIPPING"],
    });
    expect(metafieldValue(create.variables.discount.metafields, "function-configuration").rewards).toEqual({
      // The Function's validator writes free shipping as 100% off shipping.
      shipping: { percentage: 100 },
    });
    expect(created.discount.shopifyId).toMatch(/^gid:\/\/shopify\/DiscountCodeNode\//);

    const rows = await prisma.segmentDiscount.count();
    const taken = await createSegmentDiscount(deps, form({ method: "code", code: "champs15", title: "Another" }));
    expect(taken).toEqual({
      ok: false,
      errors: { code: "Shopify did not save the discount: Code must be unique. Please try a different code." },
    });
    expect(await prisma.segmentDiscount.count()).toBe(rows);
    expect(store.sim.discounts(DOMAIN).filter((d) => d.kind === "code")).toHaveLength(1);

    // Pause and delete use the code discount mutations.
    const pauseMark = store.sent.length;
    expect(await pauseSegmentDiscount(deps, created.discount.id)).toEqual({ ok: true });
    expect(await deleteSegmentDiscount(deps, created.discount.id)).toEqual({ ok: true });
    expect(requestsSince(pauseMark).map((r) => r.operation)).toEqual([
      "SegmentDiscountCodeDeactivate",
      "SegmentDiscountCodeDelete",
    ]);
  });

  it("refuses bad input with the field named, sending and saving nothing", async () => {
    const deps = await store.deps();
    const cases: Array<[Partial<DiscountFormValues>, string]> = [
      [{ rewardKind: "percentage", rewardValue: "120" }, "rewardValue"],
      [{ rewardKind: "percentage", rewardValue: "0" }, "rewardValue"],
      [{ rewardKind: "fixedAmount", rewardValue: "-5" }, "rewardValue"],
      [{ rewardKind: "fixedAmount", rewardValue: "0" }, "rewardValue"],
      [{ segments: [] }, "segments"],
      [{ holdoutPercentage: "51" }, "holdoutPercentage"],
      [{ holdoutPercentage: "-1" }, "holdoutPercentage"],
      [{ startDate: "2026-12-10", endDate: "2026-12-09" }, "endDate"],
      [{ segments: ["custom/nothing-like-this"] }, "segments"],
    ];
    const rowsBefore = await prisma.segmentDiscount.count();
    const sentBefore = store.sent.length;
    const discountsBefore = store.sim.discounts(DOMAIN).length;
    for (const [patch, field] of cases) {
      const result = await createSegmentDiscount(deps, form(patch));
      expect(result.ok, JSON.stringify(patch)).toBe(false);
      if (!result.ok) expect(Object.keys(result.errors), JSON.stringify(patch)).toEqual([field]);
    }
    expect(store.sent.length).toBe(sentBefore);
    expect(await prisma.segmentDiscount.count()).toBe(rowsBefore);
    expect(store.sim.discounts(DOMAIN)).toHaveLength(discountsBefore);

    // The same on an edit: the stored discount and Shopify's are unchanged.
    const created = await createSegmentDiscount(deps, form({ title: "Keep me" }));
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const before = await findSegmentDiscount(prisma, store.shopId, created.discount.id);
    const mark = store.sent.length;
    const refused = await updateSegmentDiscountFromForm(
      deps,
      created.discount.id,
      form({ title: "Changed", holdoutPercentage: "60" }),
    );
    expect(refused).toEqual({ ok: false, errors: { holdoutPercentage: "Enter a hold-out share from 0 to 50%." } });
    const methodChange = await updateSegmentDiscountFromForm(
      deps,
      created.discount.id,
      form({ method: "code", code: "X1" }),
    );
    expect(methodChange.ok === false && Object.keys(methodChange.errors)).toEqual(["method"]);
    expect(store.sent.length).toBe(mark);
    expect(await findSegmentDiscount(prisma, store.shopId, created.discount.id)).toEqual(before);
    await deleteSegmentDiscount(deps, created.discount.id);
  });

  it("answers not found for another shop's discount and for ids that are no discount", async () => {
    await anotherShopsDiscount("other-discounts.myshopify.com", "6f9c7a52-3b8e-4f0e-9e43-7a1d2c3b4a5f");
    const deps = await store.deps();
    for (const id of ["6f9c7a52-3b8e-4f0e-9e43-7a1d2c3b4a5f", "not-a-uuid", ""]) {
      await expect(pauseSegmentDiscount(deps, id)).rejects.toBeInstanceOf(DiscountNotFoundError);
      await expect(updateSegmentDiscountFromForm(deps, id, form())).rejects.toBeInstanceOf(DiscountNotFoundError);
      await expect(deleteSegmentDiscount(deps, id)).rejects.toBeInstanceOf(DiscountNotFoundError);
    }
    expect(
      (await prisma.segmentDiscount.findUniqueOrThrow({ where: { id: "6f9c7a52-3b8e-4f0e-9e43-7a1d2c3b4a5f" } }))
        .status,
    ).toBe("active");
  });
});
