// A recompute's chunks: the customers of a feature table, sorted by id, cut
// into contiguous id ranges of about `size` customers that together cover a
// given id interval (the whole id space, or one read thread's part of it, ADR
// 040), and each range's features as bytes for its chunk job (ADR 010). Pure.
// The engine's modules themselves, not its index: loaded by the recompute's read threads too.
import type { FeatureTable } from "../segmentation/features/accumulator";
import { encodeFeatureTable, subsetFeatureTable } from "../segmentation/features/transfer";

/** Customers per chunk job unless RECOMPUTE_CHUNK_SIZE says otherwise. */
export const DEFAULT_CHUNK_SIZE = 50_000;

/** Customer ids are Shopify numeric ids; this is above any of them. */
export const MAX_CUSTOMER_ID = "9223372036854775807";

export interface CustomerRange {
  from: string;
  to: string;
}

/** Table indices sorted by numeric customer id (ids are below 2^53). */
function indicesById(table: FeatureTable): { byId: Int32Array; sortedIds: Float64Array } {
  const numeric = new Float64Array(table.size);
  for (let i = 0; i < table.size; i++) numeric[i] = Number(table.customerIds[i]);
  const byId = Int32Array.from({ length: table.size }, (_, i) => i);
  // Customers are read in id order; only customers known from orders alone
  // (missing from the Customer table) come after them. A comparator sort of
  // a million indices costs seconds, so sort only when needed.
  let sorted = true;
  for (let i = 1; i < table.size && sorted; i++) sorted = numeric[i - 1] <= numeric[i];
  if (!sorted) byId.sort((a, b) => numeric[a] - numeric[b]);
  return { byId, sortedIds: Float64Array.from(byId, (i) => numeric[i]) };
}

/** Splits sorted ids into contiguous ranges covering from..to, about `size` ids each. */
function rangesOf(sortedIds: Float64Array, size: number, from: string, to: string): CustomerRange[] {
  if (sortedIds.length === 0) return [{ from, to }];
  const ranges: CustomerRange[] = [];
  for (let start = 0; start < sortedIds.length; start += size) {
    const next = start + size;
    ranges.push({
      from: start === 0 ? from : String(sortedIds[start]),
      to: next >= sortedIds.length ? to : String(sortedIds[next] - 1),
    });
  }
  return ranges;
}

/**
 * The table's chunks over the ids from..to (default: the whole id space from
 * 0): their ranges, and their features as bytes, encoded one at a time when
 * iterated.
 */
export function chunksOf(
  table: FeatureTable,
  size: number,
  from = "0",
  to = MAX_CUSTOMER_ID,
): { ranges: CustomerRange[]; slices: () => Generator<Uint8Array> } {
  const { byId, sortedIds } = indicesById(table);
  const ranges = rangesOf(sortedIds, size, from, to);
  function* slices() {
    for (let index = 0; index < ranges.length; index++) {
      yield encodeFeatureTable(subsetFeatureTable(table, byId.subarray(index * size, (index + 1) * size)));
    }
  }
  return { ranges, slices };
}
