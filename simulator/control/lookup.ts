// Id lookups for the control methods: numeric ids (numbers, bigints, digit
// strings such as "17850.0") or GIDs, as the shop shows them; a 4xx
// HttpError names what was wrong.
import { HttpError } from "../http/http-util";
import type { Shop } from "../shop";

/** Any way a control caller may name a resource: 123, 123n, "123", "123.0" or its GID. */
export type IdInput = number | bigint | string;

/** The shop-local id of an id as the shop shows it. */
export function localId(shop: Shop, value: IdInput, type: string): number {
  let local: number | null;
  if (typeof value === "string" && value.startsWith("gid://")) {
    const parsed = shop.ids.parseGid(value);
    if (!parsed) throw new HttpError(400, `Invalid ${type} id: ${value}`);
    if (parsed.type !== type) throw new HttpError(400, `Expected a ${type} id, got ${value}`);
    local = parsed.local;
  } else if (typeof value === "string") {
    if (!/^\d+(\.0+)?$/.test(value)) throw new HttpError(400, `Invalid ${type} id: ${value}`);
    local = shop.ids.localOf(value.replace(/\.0+$/, ""));
  } else if (typeof value === "bigint" || (Number.isSafeInteger(value) && value >= 0)) {
    local = shop.ids.localOf(value);
  } else {
    throw new HttpError(400, `Invalid ${type} id: ${String(value)} (ids above 2^53 must be bigints or strings)`);
  }
  if (local === null) throw new HttpError(404, `${type} ${String(value)} is outside ${shop.domain}'s ids`);
  return local;
}

export function orderIndexOf(shop: Shop, orderId: IdInput): number {
  const index = shop.store.findOrder(localId(shop, orderId, "Order"));
  if (index === undefined) throw new HttpError(404, `Unknown order ${String(orderId)} on ${shop.domain}`);
  return index;
}

export function customerIndexOf(shop: Shop, customerId: IdInput): number {
  const index = shop.store.findCustomer(localId(shop, customerId, "Customer"));
  if (index === undefined) throw new HttpError(404, `Unknown customer ${String(customerId)} on ${shop.domain}`);
  return index;
}
