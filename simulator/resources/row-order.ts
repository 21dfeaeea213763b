// Row orders for the orders and customers connections: the default ID order
// needs no index while ids ascend; other sort keys build a sorted permutation
// that is cached until the rows or their sort keys change.
import { identitySequence, sortedSequence, type ConnectionArgs } from "../connections";
import type { ShopStore } from "../store";
import { unsupported, type ViewContext } from "./common";

export interface RowSequence {
  length: number;
  at: (p: number) => number;
  positionOf: (row: number) => number;
}

const caches = new WeakMap<ShopStore, Map<string, { version: number; seq: RowSequence }>>();

function sortKeyReader(
  store: ShopStore,
  resource: "orders" | "customers",
  sortKey: string,
): ((row: number) => number) | null {
  const cols = resource === "orders" ? store.o : store.c;
  const idsAscending = resource === "orders" ? store.orderIdsAscending : store.customerIdsAscending;
  switch (sortKey) {
    case "ID":
      return idsAscending ? null : (row) => cols.id[row];
    case "CREATED_AT":
      return (row) => cols.createdAt[row];
    case "UPDATED_AT":
      return (row) => cols.updatedAt[row];
    case "PROCESSED_AT":
      if (resource !== "orders") throw unsupported(`sortKey ${sortKey} on ${resource}`);
      return (row) => store.o.processedAt[row];
    default:
      throw unsupported(`sortKey ${sortKey} on ${resource}`);
  }
}

function orderedRows(store: ShopStore, resource: "orders" | "customers", sortKey: string): RowSequence {
  const count = resource === "orders" ? store.orderCount : store.customerCount;
  const key = sortKeyReader(store, resource, sortKey);
  if (!key) return identitySequence(count);
  let cache = caches.get(store);
  if (!cache) {
    cache = new Map();
    caches.set(store, cache);
  }
  const name = `${resource}:${sortKey}`;
  const version = resource === "orders" ? store.orderVersion : store.customerVersion;
  const hit = cache.get(name);
  if (hit && hit.version === version) return hit.seq;
  const seq = sortedSequence(count, key);
  cache.set(name, { version, seq });
  return seq;
}

export function rootSequence(ctx: ViewContext, resource: "orders" | "customers", args: ConnectionArgs): RowSequence {
  return orderedRows(ctx.shop.store, resource, args.sortKey ?? "ID");
}
