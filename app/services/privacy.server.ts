import type { PrismaClient } from "@prisma/client";
import { dayStart } from "./memberships.server";

/**
 * customers/redact: remove everything that identifies the customer. Their
 * orders stay as anonymous shop aggregates (customer link cleared, as guest
 * orders are); features, memberships, history, data-request records and the
 * customer row are deleted. One transaction: all or nothing.
 */
export async function redactCustomer(
  db: PrismaClient,
  shop: { id: string; domain: string },
  customerId: string,
  orderIds: string[] = [],
): Promise<{ ordersAnonymized: number }> {
  const id = BigInt(customerId);
  const orders = orderIds.map(BigInt);
  return db.$transaction(async (tx) => {
    const anonymized = await tx.order.updateMany({
      where: { shopId: shop.id, OR: [{ customerId: id }, ...(orders.length ? [{ id: { in: orders } }] : [])] },
      data: { customerId: null },
    });
    await tx.segmentTransition.deleteMany({ where: { shopId: shop.id, customerId: id } });
    await tx.segmentMembership.deleteMany({ where: { shopId: shop.id, customerId: id } });
    await tx.customerFeatures.deleteMany({ where: { shopId: shop.id, customerId: id } });
    await tx.dataRequest.deleteMany({ where: { shopDomain: shop.domain, customerId: id } });
    await tx.customer.deleteMany({ where: { shopId: shop.id, id } });
    return { ordersAnonymized: anonymized.count };
  });
}

/** shop/redact (48 h after uninstall): delete every row of the shop. */
export async function redactShop(db: PrismaClient, domain: string): Promise<void> {
  const shop = await db.shop.findUnique({ where: { domain } });
  await db.$transaction(async (tx) => {
    if (shop) {
      const where = { shopId: shop.id };
      await tx.segmentTransition.deleteMany({ where });
      await tx.segmentMembership.deleteMany({ where });
      await tx.customerFeatures.deleteMany({ where });
      await tx.shopModel.deleteMany({ where });
      await tx.order.deleteMany({ where });
      await tx.customer.deleteMany({ where });
      await tx.jobRun.deleteMany({ where });
      await tx.shop.delete({ where: { id: shop.id } });
    }
    await tx.dataRequest.deleteMany({ where: { shopDomain: domain } });
    await tx.webhookEvent.deleteMany({ where: { shopDomain: domain } });
    await tx.session.deleteMany({ where: { shop: domain } });
  });
}

/**
 * customers/data_request: a record of everything the app holds for the
 * customer, stored for the merchant to download from the app.
 */
export async function recordDataRequest(
  db: PrismaClient,
  shop: { id: string; domain: string },
  customerId: string,
): Promise<string> {
  const id = BigInt(customerId);
  const [customer, orders, features, memberships, transitions] = await Promise.all([
    db.customer.findUnique({ where: { shopId_id: { shopId: shop.id, id } } }),
    db.order.findMany({ where: { shopId: shop.id, customerId: id }, orderBy: { processedAt: "asc" } }),
    db.customerFeatures.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId: id } } }),
    db.segmentMembership.findMany({ where: { shopId: shop.id, customerId: id } }),
    db.segmentTransition.findMany({ where: { shopId: shop.id, customerId: id }, orderBy: { at: "asc" } }),
  ]);
  const record = JSON.parse(
    JSON.stringify(
      {
        customerId,
        note: "The app stores ids and purchase behavior only: no names, emails, phones or addresses.",
        customer,
        orders: orders.map(({ shopId: _shopId, ...order }) => order),
        features: features?.features ?? null,
        memberships: memberships.flatMap(({ segments, reasons, sinceDay }) =>
          segments.map((segment, i) => ({ segment, reason: reasons[i], since: dayStart(sinceDay[i]) })),
        ),
        history: transitions.map(({ segment, change, at, reason }) => ({ segment, change, at, reason })),
      },
      (_key, value) => (typeof value === "bigint" ? value.toString() : value),
    ),
  );
  const row = await db.dataRequest.create({ data: { shopDomain: shop.domain, customerId: id, record } });
  return row.id;
}
