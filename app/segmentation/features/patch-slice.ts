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
  const kept: number[] = [];
  for (let i = 0; i < slice.size; i++) if (!changed.has(slice.customerIds[i])) kept.push(i);
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
  const merged = concatFeatureTables([subsetFeatureTable(slice, kept), subsetFeatureTable(fresh, added)]);
  const numeric = Float64Array.from(merged.customerIds, Number);
  const byId = Int32Array.from({ length: merged.size }, (_, i) => i).sort((a, b) => numeric[a] - numeric[b]);
  const sorted = subsetFeatureTable(merged, byId);
  const own = slice.parts();
  return new FeatureTable({ ...sorted.parts(), shop: own.shop, guestShop: own.guestShop });
}
