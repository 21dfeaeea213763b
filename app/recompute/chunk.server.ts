// One chunk of a full recompute (and, with a one-customer range, a
// re-segmentation): the range's features -> assignments with the stored
// cut-offs -> memberships and transitions written as differences, and the
// metafield values that changed queued for the write-back.
import {
  createAssigner,
  decodeFeatureTable,
  emptyCustomerFeatures,
  type CustomerAssignment,
  type FeatureTable,
  type ShopCutoffs,
  UnknownEncodingError,
} from "../segmentation";
import type { ShopConfig } from "../settings/shop-config";
import {
  replaceMembershipsInRange,
  storedMemberships,
  type CustomerMemberships,
  type MembershipChanges,
} from "../stores/memberships.server";
import type { PgClient } from "../stores/pg/pool.server";
import { readRecomputeSlice, type SliceOwner } from "../stores/runs.server";
import {
  QueuedMetafieldRows,
  replacePendingMetafields,
  writtenMetafieldHashes,
} from "../stores/writeback-state.server";
import { metafieldHash, packedMetafieldValues, type MetafieldInput } from "../writeback/metafields";
import { segmentTagName } from "../writeback/tags";
import type { CustomerRange } from "./chunk-ranges";
import { readShopFeatures } from "./read-features.server";

/** A slice owner as job data carries it (the instant as ISO text). */
export interface SliceOwnerData {
  runId: string;
  readAt: string;
}

export const sliceOwnerData = (owner: SliceOwner): SliceOwnerData => ({
  runId: owner.runId,
  readAt: owner.readAt.toISOString(),
});

export const sliceOwnerOf = (data: SliceOwnerData): SliceOwner => ({
  runId: data.runId,
  readAt: new Date(data.readAt),
});

/**
 * The slice chunk `index` of a run reads: the kept read's (`kept`, ADR 051)
 * when the fit step used one, otherwise the run's own, written at `readAt`;
 * either way its features are current as of `readAt`.
 */
export function chunkSlice(runId: string, index: number, readAt: Date, kept?: SliceOwner) {
  return { ...(kept ?? { runId, readAt }), index, computedAt: readAt };
}

export interface ChunkResult extends MembershipChanges {
  customers: number;
  orders: number;
  metafieldsPending: number;
}

/**
 * The handle (tag name without the prefix) the `handles` metafield lists for
 * each enabled segment: worked out once per chunk, not once per membership.
 */
function enabledHandles(config: ShopConfig): Map<string, string> {
  return new Map(
    [...config.enabledTags.keys()].map((key) => [key, segmentTagName(key, config.writeback.tagNames[key])]),
  );
}

/** What the metafield values of one assignment are made of; `handles` maps each enabled segment to its handle (enabledHandles). */
function metafieldInputOf(
  assignment: CustomerAssignment,
  config: ShopConfig,
  handles: ReadonlyMap<string, string>,
): MetafieldInput {
  const listed: string[] = [];
  for (const m of assignment.memberships) {
    const handle = handles.get(m.key);
    if (handle !== undefined) listed.push(handle);
  }
  const p = assignment.predictive;
  return {
    handles: listed,
    predictions:
      p.status === "ok"
        ? { pAlive: p.pAlive, clv12mMinor: p.clv12mMinor, nextOrderDate: p.nextOrderDate, spendTier: p.spendTier }
        : null,
    currencyDecimals: config.segmentation.currencyDecimals,
    timeZone: config.segmentation.timeZone,
  };
}

/**
 * A slice's features, or null when another version of the code encoded them
 * (a deploy between the fit step and this chunk): the chunk then reads its
 * range's orders, as for a slice gone.
 */
function decodedSlice(bytes: Uint8Array): FeatureTable | null {
  try {
    return decodeFeatureTable(bytes);
  } catch (error) {
    if (error instanceof UnknownEncodingError) return null;
    throw error;
  }
}

/**
 * Recomputes the customers with ids in the range with the given cut-offs and
 * stores the differences. The features come from the fit step's slice when
 * there is one (`slice`), otherwise from the range's stored orders.
 * Idempotent: running it twice writes nothing the second time, so a retried
 * or resumed chunk is harmless.
 */
export async function processChunk(
  client: PgClient,
  input: {
    config: ShopConfig;
    cutoffs: ShopCutoffs;
    asOf: Date;
    range: CustomerRange;
    recordTransitions: boolean;
    /**
     * The slice to read (its owner and index) and the instant its features
     * are current (default: readAt, when the slice's own read took place; a
     * kept read's slices are current as of when the fit step found the data
     * unchanged, ADR 051).
     */
    slice?: { runId: string; index: number; readAt: Date; computedAt?: Date };
  },
): Promise<ChunkResult> {
  const { config, cutoffs, asOf, range } = input;
  let computedAt = new Date();
  let source: { table: FeatureTable; orders: number } | null = null;
  if (input.slice) {
    const bytes = await readRecomputeSlice(client, input.slice, input.slice.index);
    const table = bytes && decodedSlice(bytes);
    if (table) {
      source = { table, orders: 0 };
      computedAt = input.slice.computedAt ?? input.slice.readAt;
    }
  }
  source ??= await readShopFeatures(client, config.shopId, config.segmentation.timeZone, range);
  const { table } = source;
  // The values last written, by customer: only the values that differ (by hash) are queued, and only those are kept.
  const written = config.writeback.metafields
    ? await writtenMetafieldHashes(client, config.shopId, range)
    : new Map<string, string | null>();
  const metafields = new QueuedMetafieldRows(config.shopId);
  // Assigned one customer at a time while the memberships are compared and
  // written (a generator): nothing per customer outlives its row, which kept
  // the garbage collector busy when 50,000 customers' memberships were kept.
  // And without reasons (a row stores none, ADR 060): a customer whose entries
  // are recorded as transitions is assigned again with them (ADR 067), about 2%
  // of a nightly run's customers and none of a first run's.
  function* memberships(): Generator<CustomerMemberships> {
    const assigner = createAssigner(cutoffs, config.segmentation, asOf, { reasons: false });
    const scratch = emptyCustomerFeatures("", table.timeZone);
    let explainer: ReturnType<typeof createAssigner> | undefined;
    const explained = emptyCustomerFeatures("", table.timeZone);
    const handles = config.writeback.metafields ? enabledHandles(config) : new Map<string, string>();
    const reasonsOf = (i: number) => {
      explainer ??= createAssigner(cutoffs, config.segmentation, asOf);
      return explainer.assign(table.customerInto(i, explained)).memberships.map((m) => m.reason);
    };
    for (let i = 0; i < table.size; i++) {
      const assignment = assigner.assign(table.customerInto(i, scratch));
      if (config.writeback.metafields) {
        const input = metafieldInputOf(assignment, config, handles);
        const hash = metafieldHash(input);
        // Formatted only when queued: most customers of a nightly run keep the values written (ADR 070).
        if (written.get(assignment.customerId) !== hash)
          metafields.add(assignment.customerId, packedMetafieldValues(input), hash);
      }
      yield storedMemberships(assignment, () => reasonsOf(i));
    }
  }
  const changes = await replaceMembershipsInRange(client, {
    shopId: config.shopId,
    fromId: range.from,
    toId: range.to,
    next: memberships(),
    at: new Date(),
    computedAt,
    asOf,
    recordTransitions: input.recordTransitions,
  });
  if (config.writeback.metafields) await replacePendingMetafields(client, range, metafields);
  return { ...changes, customers: table.size, orders: source.orders, metafieldsPending: metafields.size };
}
