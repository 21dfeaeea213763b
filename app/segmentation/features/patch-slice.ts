// A kept slice of features (one chunk's customers, sorted by id) with some
// customers' rows replaced: those whose orders or customer row changed since
// the slice was read, re-read on their own (app/recompute/kept-read.server.ts,
// ADR 065). Pure.
import { FeatureTable } from "./accumulator";
import { concatFeatureTables, subsetFeatureTable } from "./transfer";

/** Customer ids from..to (inclusive, numeric strings): the slice's chunk range. */
export interface IdRange {
  from: string;
  to: string;
}

/**
 * `slice` without the `changed` customers' rows and with `fresh`'s
 * customers in `range` (their features read again: a changed customer that
 * has no row in `fresh` is gone, a fresh one not in the slice is new), sorted
 * by numeric id as chunk slices are. Its `shop` and `guestShop` stay the
 * slice's own (those of the read that cut it): a patched read's statistics
 * are summed from its slices' customers and its guest part (shop-parts.ts).
 * Every fresh customer must be among the changed (a programming error
 * otherwise: it would be in the result twice).
 */
export function patchSlice(
  slice: FeatureTable,
  fresh: FeatureTable,
  range: IdRange,
  changed: ReadonlySet<string>,
): FeatureTable {
  const from = Number(range.from);
  const to = Number(range.to);
  const added: number[] = [];
  for (let j = 0; j < fresh.size; j++) {
    const id = fresh.customerIds[j];
    const numeric = Number(id);
    if (numeric < from || numeric > to) continue;
    if (!changed.has(id)) throw new Error(`patchSlice: customer ${id} was read again but is not among the changed`);
    added.push(j);
  }
  // The fresh rows in id order (a read lists the live customers in id order,
  // then those known from orders alone), then merged with the slice's rows
  // that stay (in id order already): one gather from both tables at once.
  const freshIds = Float64Array.from(added, (j) => Number(fresh.customerIds[j]));
  const byId = Array.from(added.keys()).sort((a, b) => freshIds[a] - freshIds[b]);
  const both = concatFeatureTables(
    [
      slice,
      subsetFeatureTable(
        fresh,
        byId.map((k) => added[k]),
      ),
    ],
    { unchecked: true },
  );
  const order = new Int32Array(slice.size + added.length);
  let w = 0;
  let f = 0;
  for (let i = 0; i < slice.size; i++) {
    const id = slice.customerIds[i];
    if (changed.has(id)) continue;
    const numeric = Number(id);
    while (f < byId.length && freshIds[byId[f]] < numeric) order[w++] = slice.size + f++;
    order[w++] = i;
  }
  while (f < byId.length) order[w++] = slice.size + f++;
  const sorted = subsetFeatureTable(both, order.subarray(0, w));
  const own = slice.parts();
  return new FeatureTable({ ...sorted.parts(), shop: own.shop, guestShop: own.guestShop });
}
