import prisma from "../../app/db.server";

/**
 * A small shop's customers and orders, the same on every run: customer c
 * (1..customers) has `1 + (c % cycle)` orders spread over two years before
 * `asOf` (none from `withOrders + 1` on), amounts between 10 and 210.00 USD.
 */
export async function seedCustomersAndOrders(
  shopId: string,
  options: {
    asOf: Date;
    customers: number;
    /** Customers 1..withOrders have orders; the others none (default: all). */
    withOrders?: number;
    /** Orders per customer: 1 + (c % cycle). */
    cycle: number;
    /** How long before its day's `asOf` instant each order was placed (default 0). */
    beforeMs?: number;
    /** Each customer's tag count (Shopify's, for the 250-tag cap; default 0). */
    tagCount?: (c: number) => number;
  },
): Promise<void> {
  const { asOf, customers, cycle } = options;
  const withOrders = options.withOrders ?? customers;
  let orderId = 1;
  const orders = [];
  for (let c = 1; c <= customers; c++) {
    await prisma.customer.create({
      data: { shopId, id: BigInt(c), appTags: [], tagCount: options.tagCount?.(c) ?? 0 },
    });
    const count = c > withOrders ? 0 : 1 + (c % cycle);
    for (let k = 0; k < count; k++) {
      const at = new Date(asOf.getTime() - ((c * 37 + k * 61) % 700) * 86_400_000 - (options.beforeMs ?? 0));
      orders.push({
        shopId,
        id: BigInt(orderId++),
        customerId: BigInt(c),
        processedAt: at,
        shopifyUpdatedAt: at,
        currency: "USD",
        totalMinor: 1000 + ((c * 7919 + k * 104729) % 20000),
      });
    }
  }
  await prisma.order.createMany({ data: orders });
}
