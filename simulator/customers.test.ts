import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "./index";
import { gql, smallStore, SHOP } from "./test-helpers";

let sim: Simulator;
interface Person {
  id: string;
  firstName: string;
  lastName: string;
  displayName: string;
  defaultEmailAddress: { emailAddress: string };
}
let people: Person[];

beforeAll(async () => {
  sim = await smallStore({ bucketSize: 1_000_000, restoreRate: 1_000_000 }, { customers: 40, orders: 100 });
  const r = await gql(
    sim,
    "{ customers(first: 40) { nodes { id firstName lastName displayName defaultEmailAddress { emailAddress } } } }",
  );
  people = r.body.data!.customers.nodes;
});
afterAll(async () => {
  await sim.close();
});

async function search(query: string): Promise<string[]> {
  const r = await gql(sim, `query($q: String!) { customers(first: 100, query: $q) { nodes { id } } }`, { q: query });
  expect(r.body.errors).toBeUndefined();
  return r.body.data!.customers.nodes.map((n: { id: string }) => n.id);
}

const ids = (list: Person[]) => list.map((p) => p.id);

describe("customers(query:)", () => {
  it("finds a customer by exact (quoted) email, by email token and by email:*", async () => {
    const someone = people[3];
    const email = someone.defaultEmailAddress.emailAddress;
    expect(await search(`email:"${email}"`)).toEqual([someone.id]);
    expect(await search(`email:"${email.toUpperCase()}"`)).toEqual([someone.id]);
    // email is tokenized: an unquoted domain matches every address at it.
    expect(await search("email:example.com")).toEqual(ids(people));
    expect(await search("email:*")).toEqual(ids(people));
    expect(await search(`email:"nobody@nowhere.test"`)).toEqual([]);
  });

  it("searches names and emails as free text, word prefixes ANDed", async () => {
    const someone = people[5];
    const byName = (p: Person) => p.firstName === someone.firstName && p.lastName === someone.lastName;
    expect(await search(`${someone.firstName} ${someone.lastName}`)).toEqual(ids(people.filter(byName)));
    expect(await search(`"${someone.firstName} ${someone.lastName}"`)).toEqual(ids(people.filter(byName)));
    const prefix = someone.lastName.slice(0, 3).toLowerCase();
    expect(await search(prefix)).toEqual(
      ids(
        people.filter(
          (p) => p.lastName.toLowerCase().startsWith(prefix) || p.firstName.toLowerCase().startsWith(prefix),
        ),
      ),
    );
    expect(await search(`first_name:${someone.firstName}`)).toEqual(
      ids(people.filter((p) => p.firstName === someone.firstName)),
    );
    expect(await search(`-last_name:${someone.lastName}`)).toEqual(
      ids(people.filter((p) => p.lastName !== someone.lastName)),
    );
  });

  it("finds by id and combines terms", async () => {
    const someone = people[7];
    const digits = someone.id.split("/").pop();
    expect(await search(`id:${digits}`)).toEqual([someone.id]);
    expect(await search(`id:${digits} ${someone.firstName}`)).toEqual([someone.id]);
    expect(await search(`id:${digits} email:"x@y.z"`)).toEqual([]);
  });
});

describe("customers the app shows at view time", () => {
  it("answers nodes(ids:) with names and email as in 2026-04", async () => {
    const wanted = [people[1].id, "gid://shopify/Customer/1", people[2].id];
    const r = await gql(
      sim,
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { id displayName firstName lastName email
        defaultEmailAddress { emailAddress marketingState validFormat } defaultPhoneNumber { phoneNumber } } } }`,
      { ids: wanted },
    );
    const [a, missing, b] = r.body.data!.nodes;
    expect(missing).toBeNull();
    for (const [node, person] of [
      [a, people[1]],
      [b, people[2]],
    ] as const) {
      expect(node).toMatchObject({
        id: person.id,
        firstName: person.firstName,
        lastName: person.lastName,
        displayName: `${person.firstName} ${person.lastName}`,
        email: person.defaultEmailAddress.emailAddress,
        defaultEmailAddress: { emailAddress: person.defaultEmailAddress.emailAddress, validFormat: true },
      });
      expect(node.defaultPhoneNumber.phoneNumber).toMatch(/^\+44/);
    }
    const redacted = sim.redactCustomer(SHOP, people[2].id);
    expect(redacted.customer.email).toBe(people[2].defaultEmailAddress.emailAddress);
    const after = await gql(sim, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [people[2].id] });
    expect(after.body.data!.nodes).toEqual([null]);
  });

  it("lists the store's customer tags once each, alphabetically (shop.customerTags)", async () => {
    const add = (id: string, tags: string[]) =>
      gql(sim, `mutation($id: ID!, $t: [String!]!) { tagsAdd(id: $id, tags: $t) { userErrors { message } } }`, {
        id,
        t: tags,
      });
    await add(people[10].id, ["vip", "Wholesale"]);
    await add(people[11].id, ["VIP", "autumn"]);
    const r = await gql(sim, "{ shop { customerTags(first: 10) { nodes pageInfo { hasNextPage } } } }");
    expect(r.body.data!.shop.customerTags).toEqual({
      nodes: ["autumn", "vip", "Wholesale"],
      pageInfo: { hasNextPage: false },
    });
    const page = await gql(sim, "{ shop { customerTags(first: 2) { nodes pageInfo { hasNextPage } } } }");
    expect(page.body.data!.shop.customerTags).toEqual({ nodes: ["autumn", "vip"], pageInfo: { hasNextPage: true } });
  });
});
