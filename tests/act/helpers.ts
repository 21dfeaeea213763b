import { readFileSync } from "node:fs";
import { buildSchema, parse, validate, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { getVariableValues } from "graphql/execution/values";
import { expect } from "vitest";
import { loadDiscountShop, type DiscountDeps } from "../../app/act/discounts.server";
import { SEGMENT_DISCOUNT_FUNCTION_HANDLE } from "../../app/act/segment-discount-function";
import prisma from "../../app/db.server";
import { AdminApi } from "../../app/shopify/admin-api.server";
import { logger } from "../../app/utils/logger.server";
import { appScopes } from "../../scripts/lib/app-config";
import type { SimulatorOptions } from "../../simulator";
import { simulatedStore } from "../helpers/sim-app";

let schema: GraphQLSchema | undefined;

/** Shopify's Admin API 2026-04 schema (the SDL the simulator serves). */
function adminSchema(): GraphQLSchema {
  schema ??= buildSchema(readFileSync("schemas/shopify-admin-2026-04.graphql", "utf8"));
  return schema;
}

export interface SentRequest {
  operation: string;
  query: string;
  variables: Record<string, any>;
}

/** A request as Shopify would check it: the document against the schema, the variables against its definitions. */
export function expectValidAgainstSchema(request: SentRequest): void {
  const document = parse(request.query);
  expect(
    validate(adminSchema(), document).map((e) => e.message),
    request.operation,
  ).toEqual([]);
  const operation = document.definitions[0] as OperationDefinitionNode;
  const coerced = getVariableValues(adminSchema(), operation.variableDefinitions ?? [], request.variables ?? {});
  expect(coerced.errors?.map((e) => e.message) ?? [], request.operation).toEqual([]);
}

/**
 * A simulated store with the app installed (its scopes from shopify.app.toml),
 * the segment Function released, the shop's currency and time zone in the
 * app's database, and the discount service's dependencies with an Admin API
 * client that records every request it sends.
 */
export async function discountStore(
  domain: string,
  options: { currency?: string; timezone?: string; simulator?: Partial<SimulatorOptions> } = {},
) {
  const currency = options.currency ?? "GBP";
  const store = await simulatedStore({
    simulator: options.simulator,
    domain,
    timezone: options.timezone ?? "Europe/London",
    currency,
    scopes: appScopes(),
  });
  await prisma.shop.update({ where: { id: store.shopId }, data: { currency } });
  store.sim.registerAppFunction({ handle: SEGMENT_DISCOUNT_FUNCTION_HANDLE, title: "Segment discount" });
  const sent: SentRequest[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const body = JSON.parse(String(init?.body ?? "{}")) as { query: string; variables?: Record<string, any> };
    const operation = /(?:mutation|query)\s+(\w+)/.exec(body.query)?.[1] ?? "anonymous";
    sent.push({ operation, query: body.query, variables: body.variables ?? {} });
    return fetch(input, init);
  };
  const api = new AdminApi({
    shop: domain,
    accessToken: store.accessToken,
    origin: store.sim.url,
    logger,
    fetchImpl: recordingFetch,
  });
  const deps = async (): Promise<DiscountDeps> => {
    const shop = await loadDiscountShop(prisma, domain);
    if (!shop) throw new Error(`${domain} is not installed`);
    return { db: prisma, shop, adminApi: async () => api };
  };
  return { ...store, sent, api, deps };
}

/** Inserts memberships directly (as a recompute would have stored them). */
export async function storeMemberships(shopId: string, members: ReadonlyArray<{ id: bigint; segments: string[] }>) {
  for (let i = 0; i < members.length; i += 5_000) {
    await prisma.segmentMembership.createMany({
      data: members.slice(i, i + 5_000).map((m) => ({
        shopId,
        customerId: m.id,
        segments: m.segments,
        sinceDay: m.segments.map(() => 20_000),
      })),
    });
  }
}

/**
 * Another shop, installed, with one segment discount of id `id`: what a shop's
 * pages must never show or touch.
 */
export async function anotherShopsDiscount(domain: string, id: string) {
  const shop = await prisma.shop.create({ data: { domain, status: "installed" } });
  await prisma.segmentDiscount.create({
    data: {
      id,
      shopId: shop.id,
      shopifyId: "gid://shopify/DiscountAutomaticNode/1",
      method: "automatic",
      title: "Someone else's",
      segments: ["rfm/champions"],
      reward: { target: "order", kind: "percentage", value: "10", appliesToEachItem: false },
      combinesWith: { productDiscounts: false, orderDiscounts: false, shippingDiscounts: false },
      holdoutPercentage: 10,
      startsAt: new Date(),
    },
  });
  return shop;
}
