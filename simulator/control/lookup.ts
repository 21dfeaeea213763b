// Id lookups for the control methods: numeric ids, "17850.0" or GIDs, with a
// 4xx HttpError naming what was wrong.
import { HttpError } from "../http/http-util.js";
import type { Shop } from "../shop.js";
import { parseGid } from "../util.js";

export function numericId(value: number | string, type: string): number {
  if (typeof value === "number") return value;
  const parsed = parseGid(value);
  if (parsed) {
    if (parsed.type !== type) throw new HttpError(400, `Expected a ${type} id, got ${value}`);
    return parsed.id;
  }
  if (/^\d+(\.0+)?$/.test(value)) return Number(value);
  throw new HttpError(400, `Invalid ${type} id: ${value}`);
}

export function orderIndexOf(shop: Shop, orderId: number | string): number {
  const index = shop.store.findOrder(numericId(orderId, "Order"));
  if (index === undefined) throw new HttpError(404, `Unknown order ${orderId} on ${shop.domain}`);
  return index;
}

export function customerIndexOf(shop: Shop, customerId: number | string): number {
  const index = shop.store.findCustomer(numericId(customerId, "Customer"));
  if (index === undefined) throw new HttpError(404, `Unknown customer ${customerId} on ${shop.domain}`);
  return index;
}
