import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_NAMESPACE, type Simulator } from "./index";
import { gql, smallStore, SHOP } from "./test-helpers";

let sim: Simulator;
let customerId: string;
beforeAll(async () => {
  sim = await smallStore({ bucketSize: 1_000_000, restoreRate: 1_000_000 });
  const r = await gql(sim, "{ customers(first: 1) { nodes { id } } }");
  customerId = r.body.data!.customers.nodes[0].id;
});
afterAll(async () => {
  await sim.close();
});

const TAGS_ADD = `mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id ... on Customer { tags } } userErrors { field message } } }`;
const TAGS_REMOVE = `mutation($id: ID!, $tags: [String!]!) { tagsRemove(id: $id, tags: $tags) { node { id } userErrors { field message } } }`;

describe("tags", () => {
  it("adds and removes customer tags, splitting commas and ignoring duplicates", async () => {
    const added = await gql(sim, TAGS_ADD, {
      id: customerId,
      tags: ["vip, loyal", "VIP"],
    });
    expect(added.body.data!.tagsAdd.userErrors).toEqual([]);
    expect(added.body.data!.tagsAdd.node.tags).toEqual(["vip", "loyal"]);
    await gql(sim, TAGS_REMOVE, { id: customerId, tags: ["loyal"] });
    expect(sim.customerTags(SHOP, customerId)).toEqual(["vip"]);
    expect(sim.callCounts(SHOP).mutations).toMatchObject({
      tagsAdd: 1,
      tagsRemove: 1,
    });
  });

  it("rejects a tag over 255 characters", async () => {
    const r = await gql(sim, TAGS_ADD, {
      id: customerId,
      tags: ["a".repeat(256)],
    });
    expect(r.body.data!.tagsAdd.userErrors[0].field).toEqual(["tags"]);
    expect(r.body.data!.tagsAdd.userErrors[0].message).toMatch(/too long \(maximum is 255 characters\)/);
    expect(sim.customerTags(SHOP, customerId)).toEqual(["vip"]);
    const ok = await gql(sim, TAGS_ADD, {
      id: customerId,
      tags: ["b".repeat(255)],
    });
    expect(ok.body.data!.tagsAdd.userErrors).toEqual([]);
  });

  it("rejects more than 250 tags on a customer", async () => {
    const tags = Array.from({ length: 248 }, (_, i) => `t${i}`);
    const fill = await gql(sim, TAGS_ADD, { id: customerId, tags });
    expect(fill.body.data!.tagsAdd.userErrors).toEqual([]);
    expect(sim.customerTags(SHOP, customerId)).toHaveLength(250);
    const over = await gql(sim, TAGS_ADD, {
      id: customerId,
      tags: ["one-too-many"],
    });
    expect(over.body.data!.tagsAdd.userErrors[0].message).toBe("Tags cannot be more than 250");
    expect(sim.customerTags(SHOP, customerId)).toHaveLength(250);
  });

  it("answers a userError for an unknown customer", async () => {
    const r = await gql(sim, TAGS_ADD, {
      id: "gid://shopify/Customer/1",
      tags: ["x"],
    });
    expect(r.body.data!.tagsAdd).toEqual({
      node: null,
      userErrors: [{ field: ["id"], message: "Customer does not exist" }],
    });
  });
});

const SET = `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id namespace key type value } userErrors { field message code elementIndex } } }`;

describe("metafields", () => {
  it("sets typed metafields in the app namespace and reads them back", async () => {
    const r = await gql(sim, SET, {
      m: [
        {
          ownerId: customerId,
          namespace: "$app",
          key: "rfm",
          type: "json",
          value: '{"r":5,"f":4,"m":3}',
        },
        {
          ownerId: customerId,
          namespace: "$app",
          key: "clv",
          type: "number_decimal",
          value: "123.45",
        },
        {
          ownerId: customerId,
          namespace: "$app",
          key: "next_purchase",
          type: "date",
          value: "2025-02-28",
        },
        {
          ownerId: customerId,
          namespace: "$app",
          key: "segments",
          type: "list.single_line_text_field",
          value: '["champions","loyal"]',
        },
      ],
    });
    expect(r.body.data!.metafieldsSet.userErrors).toEqual([]);
    expect(r.body.data!.metafieldsSet.metafields[0]).toMatchObject({
      namespace: APP_NAMESPACE,
      key: "rfm",
      type: "json",
    });
    const read = await gql(
      sim,
      `query($id: ID!) { customer(id: $id) { metafield(namespace: "$app", key: "clv") { value jsonValue type } metafields(first: 10) { nodes { key } } } }`,
      { id: customerId },
    );
    expect(read.body.data!.customer.metafield).toEqual({
      value: "123.45",
      jsonValue: 123.45,
      type: "number_decimal",
    });
    expect(read.body.data!.customer.metafields.nodes.map((n: { key: string }) => n.key)).toEqual([
      "rfm",
      "clv",
      "next_purchase",
      "segments",
    ]);
    expect(sim.metafields(SHOP, customerId)).toHaveLength(4);
  });

  it("validates values per type and writes nothing when one input is invalid", async () => {
    const r = await gql(sim, SET, {
      m: [
        {
          ownerId: customerId,
          namespace: "$app",
          key: "ok_one",
          type: "single_line_text_field",
          value: "fine",
        },
        {
          ownerId: customerId,
          namespace: "$app",
          key: "bad_date",
          type: "date",
          value: "2025-02-30",
        },
        {
          ownerId: customerId,
          namespace: "$app",
          key: "bad_json",
          type: "json",
          value: "{nope",
        },
        {
          ownerId: customerId,
          namespace: "$app",
          key: "bad_decimal",
          type: "number_decimal",
          value: "12,5",
        },
      ],
    });
    const errors = r.body.data!.metafieldsSet.userErrors;
    expect(errors.map((e: { elementIndex: number }) => e.elementIndex)).toEqual([1, 2, 3]);
    expect(errors.every((e: { code: string }) => e.code === "INVALID_VALUE")).toBe(true);
    expect(sim.metafields(SHOP, customerId).some((m) => m.key === "ok_one")).toBe(false);
  });

  it("accepts at most 25 metafields per call", async () => {
    const m = Array.from({ length: 26 }, (_, i) => ({
      ownerId: customerId,
      namespace: "$app",
      key: `k${i}`,
      type: "single_line_text_field",
      value: "v",
    }));
    const r = await gql(sim, SET, { m });
    expect(r.body.data!.metafieldsSet.userErrors[0].code).toBe("LESS_THAN_OR_EQUAL_TO");
  });

  it("creates metafield definitions once", async () => {
    const create = `mutation { metafieldDefinitionCreate(definition: { namespace: "$app", key: "rfm_score", name: "RFM score", ownerType: CUSTOMER, type: "json" }) { createdDefinition { id namespace key } userErrors { code message } } }`;
    const first = await gql(sim, create);
    expect(first.body.data!.metafieldDefinitionCreate.createdDefinition).toMatchObject({
      namespace: APP_NAMESPACE,
      key: "rfm_score",
    });
    const again = await gql(sim, create);
    expect(again.body.data!.metafieldDefinitionCreate.userErrors[0].code).toBe("TAKEN");
    const wrongType = await gql(sim, SET, {
      m: [
        {
          ownerId: customerId,
          namespace: "$app",
          key: "rfm_score",
          type: "number_integer",
          value: "3",
        },
      ],
    });
    expect(wrongType.body.data!.metafieldsSet.userErrors[0].code).toBe("INVALID_TYPE");
  });
});

describe("segments and webhook subscriptions", () => {
  it("creates, updates, reads and deletes segments", async () => {
    const created = await gql(
      sim,
      `mutation { segmentCreate(name: "Champions", query: "customer_tags CONTAINS 'segment:champions'") { segment { id name query } userErrors { field message } } }`,
    );
    const segment = created.body.data!.segmentCreate.segment;
    expect(segment.name).toBe("Champions");
    const duplicate = await gql(
      sim,
      `mutation { segmentCreate(name: "Champions", query: "number_of_orders > 1") { segment { id } userErrors { field message } } }`,
    );
    expect(duplicate.body.data!.segmentCreate.userErrors).toEqual([
      { field: ["name"], message: "Name has already been taken" },
    ]);
    await gql(
      sim,
      `mutation($id: ID!) { segmentUpdate(id: $id, query: "number_of_orders >= 5") { segment { id } userErrors { message } } }`,
      { id: segment.id },
    );
    expect(sim.segments(SHOP)[0].query).toBe("number_of_orders >= 5");
    const listed = await gql(sim, "{ segments(first: 10) { nodes { id name query } } }");
    expect(listed.body.data!.segments.nodes).toEqual([
      { id: segment.id, name: "Champions", query: "number_of_orders >= 5" },
    ]);
    const deleted = await gql(
      sim,
      `mutation($id: ID!) { segmentDelete(id: $id) { deletedSegmentId userErrors { message } } }`,
      { id: segment.id },
    );
    expect(deleted.body.data!.segmentDelete.deletedSegmentId).toBe(segment.id);
    expect(sim.segments(SHOP)).toEqual([]);
  });

  it("creates webhook subscriptions once per topic and address", async () => {
    const create = `mutation { webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription: { uri: "https://app.example.com/webhooks" }) { webhookSubscription { id topic uri } userErrors { message } } }`;
    const first = await gql(sim, create);
    expect(first.body.data!.webhookSubscriptionCreate.webhookSubscription).toMatchObject({
      topic: "ORDERS_CREATE",
      uri: "https://app.example.com/webhooks",
    });
    const second = await gql(sim, create);
    expect(second.body.data!.webhookSubscriptionCreate.userErrors[0].message).toBe(
      "Address for this topic has already been taken",
    );
    const listed = await gql(sim, "{ webhookSubscriptions(first: 5) { nodes { topic } } }");
    expect(listed.body.data!.webhookSubscriptions.nodes).toEqual([{ topic: "ORDERS_CREATE" }]);
  });
});

describe("app installation", () => {
  it("answers currentAppInstallation with the granted scopes and app-data metafields", async () => {
    const install = await gql(sim, "{ currentAppInstallation { id accessScopes { handle } app { apiKey } } }");
    const installation = install.body.data!.currentAppInstallation;
    expect(installation.accessScopes.map((s: { handle: string }) => s.handle)).toContain("write_customers");
    expect(installation.app.apiKey).toBe("simulated-api-key");
    const set = await gql(sim, SET, {
      m: [
        {
          ownerId: installation.id,
          namespace: "settings",
          key: "mode",
          type: "single_line_text_field",
          value: "auto",
        },
      ],
    });
    expect(set.body.data!.metafieldsSet.userErrors).toEqual([]);
    const read = await gql(
      sim,
      `{ currentAppInstallation { metafield(namespace: "settings", key: "mode") { value } } }`,
    );
    expect(read.body.data!.currentAppInstallation.metafield).toEqual({
      value: "auto",
    });
  });
});
