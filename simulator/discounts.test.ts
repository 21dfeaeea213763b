import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "./index";
import { gql, smallStore, SHOP } from "./test-helpers";

let sim: Simulator;
let fnId: string;
beforeAll(async () => {
  sim = await smallStore({ bucketSize: 1_000_000, restoreRate: 1_000_000 }, { customers: 10, orders: 20 });
  fnId = sim.registerAppFunction({
    handle: "segment-discount",
    title: "Segment discount",
    discountClasses: ["ORDER", "PRODUCT"],
  }).id;
});
afterAll(async () => {
  await sim.close();
});

const DISCOUNT_FIELDS = `discountId title status startsAt endsAt discountClasses combinesWith { orderDiscounts productDiscounts shippingDiscounts }
  appDiscountType { functionId title appKey discountClasses }`;
const CREATE_AUTO = `mutation($d: DiscountAutomaticAppInput!) { discountAutomaticAppCreate(automaticAppDiscount: $d) {
  automaticAppDiscount { ${DISCOUNT_FIELDS} } userErrors { field message code extraInfo } } }`;
const CREATE_CODE = `mutation($d: DiscountCodeAppInput!) { discountCodeAppCreate(codeAppDiscount: $d) {
  codeAppDiscount { ${DISCOUNT_FIELDS} codesCount { count } appliesOncePerCustomer usageLimit context { __typename ... on DiscountCustomerSegments { segments { id name } } } }
  userErrors { field message code } } }`;

const config = { namespace: "$app", key: "config", type: "json", value: '{"percent":15,"segment":"rfm/champions"}' };

describe("app discounts: automatic discounts and validation", () => {
  it("resolves functionHandle to the registered function, stores metafields and reads them on the node", async () => {
    const r = await gql(sim, CREATE_AUTO, {
      d: {
        title: "Champions 15%",
        functionHandle: "segment-discount",
        discountClasses: ["ORDER"],
        combinesWith: { productDiscounts: true },
        startsAt: "2020-01-01T00:00:00Z",
        metafields: [config],
      },
    });
    const created = r.body.data!.discountAutomaticAppCreate;
    expect(created.userErrors).toEqual([]);
    expect(created.automaticAppDiscount).toMatchObject({
      title: "Champions 15%",
      status: "ACTIVE",
      endsAt: null,
      discountClasses: ["ORDER"],
      combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: false },
      appDiscountType: {
        functionId: fnId,
        title: "Segment discount",
        appKey: "simulated-api-key",
        discountClasses: ["ORDER", "PRODUCT"],
      },
    });
    const id = created.automaticAppDiscount.discountId;
    expect(id).toMatch(/^gid:\/\/shopify\/DiscountAutomaticNode\/\d+$/);
    const node = await gql(
      sim,
      `query($id: ID!) { automaticDiscountNode(id: $id) { id metafield(namespace: "$app", key: "config") { type jsonValue }
        metafields(first: 5) { nodes { namespace key value } } automaticDiscount { ... on DiscountAutomaticApp { title } } } }`,
      { id },
    );
    expect(node.body.data!.automaticDiscountNode).toEqual({
      id,
      metafield: { type: "json", jsonValue: { percent: 15, segment: "rfm/champions" } },
      metafields: { nodes: [{ namespace: "app--4242424", key: "config", value: config.value }] },
      automaticDiscount: { title: "Champions 15%" },
    });
    // The app updates the configuration with metafieldsSet on the discount, as Functions' config is read there.
    const set = await gql(
      sim,
      `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { message } } }`,
      { m: [{ ownerId: id, namespace: "$app", key: "config", type: "json", value: '{"percent":20}' }] },
    );
    expect(set.body.data!.metafieldsSet.userErrors).toEqual([]);
    expect(sim.metafields(SHOP, id)[0].value).toBe('{"percent":20}');
    // Deprecated functionId still resolves.
    const byId = await gql(sim, CREATE_AUTO, { d: { title: "By id", functionId: fnId } });
    expect(byId.body.data!.discountAutomaticAppCreate.automaticAppDiscount.appDiscountType.functionId).toBe(fnId);
  });

  it("answers bad input with DiscountUserErrors as Shopify words them", async () => {
    const errors = async (d: Record<string, unknown>) =>
      (await gql(sim, CREATE_AUTO, { d })).body.data!.discountAutomaticAppCreate.userErrors;
    expect(await errors({ title: "No function" })).toEqual([
      {
        field: ["automaticAppDiscount"],
        message: "Either functionId or functionHandle must be provided.",
        code: "MISSING_FUNCTION_IDENTIFIER",
        extraInfo: null,
      },
    ]);
    expect((await errors({ title: "Both", functionHandle: "segment-discount", functionId: fnId }))[0].code).toBe(
      "MULTIPLE_FUNCTION_IDENTIFIERS",
    );
    expect(await errors({ title: "Unknown", functionHandle: "not-released" })).toEqual([
      {
        field: ["automaticAppDiscount", "functionHandle"],
        message:
          "Function not-released not found. Ensure that it is released in the current app (simulated-api-key), and that the app is installed.",
        code: "INVALID",
        extraInfo: null,
      },
    ]);
    expect((await errors({ title: " ", functionHandle: "segment-discount" }))[0]).toMatchObject({
      field: ["automaticAppDiscount", "title"],
      message: "Title can't be blank",
      code: "BLANK",
    });
    expect(
      (
        await errors({
          title: "Dates",
          functionHandle: "segment-discount",
          startsAt: "2026-02-01T00:00:00Z",
          endsAt: "2026-01-01T00:00:00Z",
        })
      )[0],
    ).toMatchObject({
      field: ["automaticAppDiscount", "endsAt"],
      message: "Ends at needs to be after starts_at",
      code: "INVALID",
    });
    expect(
      (await errors({ title: "Nothing", functionHandle: "segment-discount", appliesOnOneTimePurchase: false }))[0].code,
    ).toBe("APPLIES_ON_NOTHING");
    expect(
      (
        await errors({ title: "Bad json", functionHandle: "segment-discount", metafields: [{ ...config, value: "{" }] })
      )[0],
    ).toMatchObject({ field: ["automaticAppDiscount", "metafields", "0", "value"], code: "INVALID" });
    expect(
      sim
        .discounts(SHOP)
        .map((d) => d.title)
        .sort(),
    ).toEqual(["By id", "Champions 15%"]); // nothing half-written
  });
});

describe("app discounts: code discounts", () => {
  it("creates code discounts for a segment with unique codes", async () => {
    const segment = await gql(
      sim,
      `mutation { segmentCreate(name: "Champions", query: "rfm_group = CHAMPIONS") { segment { id } } }`,
    );
    const segmentId = segment.body.data!.segmentCreate.segment.id;
    const r = await gql(sim, CREATE_CODE, {
      d: {
        title: "Win-back 15%",
        code: "COMEBACK15",
        functionHandle: "segment-discount",
        appliesOncePerCustomer: true,
        usageLimit: 100,
        context: { customerSegments: { add: [segmentId] } },
        metafields: [config],
      },
    });
    expect(r.body.data!.discountCodeAppCreate.userErrors).toEqual([]);
    expect(r.body.data!.discountCodeAppCreate.codeAppDiscount).toMatchObject({
      codesCount: { count: 1 },
      appliesOncePerCustomer: true,
      usageLimit: 100,
      context: { __typename: "DiscountCustomerSegments", segments: [{ id: segmentId, name: "Champions" }] },
    });
    const codeErrors = async (d: Record<string, unknown>) =>
      (await gql(sim, CREATE_CODE, { d: { title: "Other", functionHandle: "segment-discount", ...d } })).body.data!
        .discountCodeAppCreate.userErrors;
    expect(await codeErrors({ code: "comeback15" })).toEqual([
      {
        field: ["codeAppDiscount", "code"],
        message: "Code must be unique. Please try a different code.",
        code: "TAKEN",
      },
    ]);
    expect((await codeErrors({ code: "" }))[0].code).toBe("BLANK");
    expect((await codeErrors({ code: "x".repeat(256) }))[0].code).toBe("TOO_LONG");
    expect((await codeErrors({ code: "NEW", usageLimit: 0 }))[0].code).toBe("GREATER_THAN");
    expect(
      (await codeErrors({ code: "NEW", context: { customerSegments: { add: ["gid://shopify/Segment/1"] } } }))[0],
    ).toMatchObject({
      field: ["codeAppDiscount", "context"],
      code: "INVALID",
    });
    const byCode = await gql(
      sim,
      `{ codeDiscountNodeByCode(code: "comeback15") { codeDiscount { ... on DiscountCodeApp { title } } } }`,
    );
    expect(byCode.body.data!.codeDiscountNodeByCode.codeDiscount.title).toBe("Win-back 15%");
  });
});

describe("app discounts: lifecycle and limits", () => {
  it("derives status from the dates, activates, deactivates, updates and deletes", async () => {
    const now = sim.now();
    const later = new Date(now + 86_400_000).toISOString();
    const r = await gql(sim, CREATE_AUTO, {
      d: { title: "Next week", functionHandle: "segment-discount", startsAt: later },
    });
    const id = r.body.data!.discountAutomaticAppCreate.automaticAppDiscount.discountId;
    expect(r.body.data!.discountAutomaticAppCreate.automaticAppDiscount.status).toBe("SCHEDULED");
    const status = async () =>
      (
        await gql(
          sim,
          `query($id: ID!) { discountNode(id: $id) { discount { ... on DiscountAutomaticApp { status startsAt endsAt } } } }`,
          { id },
        )
      ).body.data!.discountNode.discount;
    const act = (name: string) =>
      gql(sim, `mutation($id: ID!) { ${name}(id: $id) { automaticDiscountNode { id } userErrors { message } } }`, {
        id,
      });
    expect((await act("discountAutomaticActivate")).body.data!.discountAutomaticActivate.userErrors).toEqual([]);
    expect((await status()).status).toBe("ACTIVE");
    await act("discountAutomaticDeactivate");
    const expired = await status();
    expect(expired.status).toBe("EXPIRED");
    expect(Date.parse(expired.endsAt)).toBeLessThanOrEqual(sim.now());
    await act("discountAutomaticActivate");
    expect(await status()).toMatchObject({ status: "ACTIVE", endsAt: null });
    const updated = await gql(
      sim,
      `mutation($id: ID!) { discountAutomaticAppUpdate(id: $id, automaticAppDiscount: { title: "Renamed", endsAt: "2020-06-01T00:00:00Z" }) { automaticAppDiscount { title } userErrors { field code } } }`,
      { id },
    );
    // startsAt is now (after activation): an end in the past is before it.
    expect(updated.body.data!.discountAutomaticAppUpdate.userErrors).toEqual([
      { field: ["automaticAppDiscount", "endsAt"], code: "INVALID" },
    ]);
    sim.advanceClock(2 * 86_400_000);
    expect((await status()).status).toBe("ACTIVE");
    const deleted = await gql(
      sim,
      `mutation($id: ID!) { discountAutomaticDelete(id: $id) { deletedAutomaticDiscountId userErrors { message } } }`,
      {
        id,
      },
    );
    expect(deleted.body.data!.discountAutomaticDelete.deletedAutomaticDiscountId).toBe(id);
    const again = await gql(
      sim,
      `mutation($id: ID!) { discountAutomaticDelete(id: $id) { userErrors { field message code } } }`,
      { id },
    );
    expect(again.body.data!.discountAutomaticDelete.userErrors).toEqual([
      { field: ["id"], message: "Discount does not exist", code: "INVALID" },
    ]);
  });

  it("lists the app's discount functions and refuses a 26th active automatic discount", async () => {
    const types = await gql(
      sim,
      "{ appDiscountTypes { functionId title } shopifyFunctions(first: 5) { nodes { id handle apiType } } }",
    );
    expect(types.body.data!.appDiscountTypes).toEqual([{ functionId: fnId, title: "Segment discount" }]);
    expect(types.body.data!.shopifyFunctions.nodes).toEqual([
      { id: fnId, handle: "segment-discount", apiType: "discount" },
    ]);
    const active = () =>
      sim.discounts(SHOP).filter((d) => d.kind === "automatic" && d.startsAt <= sim.now() / 1000 && d.endsAt === null)
        .length;
    while (active() < 25)
      await gql(sim, CREATE_AUTO, { d: { title: `Auto ${active()}`, functionHandle: "segment-discount" } });
    const over = await gql(sim, CREATE_AUTO, { d: { title: "One too many", functionHandle: "segment-discount" } });
    expect(over.body.data!.discountAutomaticAppCreate.userErrors[0].code).toBe("MAX_APP_DISCOUNTS");
    expect(() => sim.registerAppFunction({ handle: "Bad Handle" })).toThrow(/extension handle/);
  });
});
