// What the tag write-back has to send: every customer with memberships or app
// tags (candidates streamed by the memberships store), the tags its segments
// give under the shop's current settings (derived here, ADR 046), and the
// exact diff per candidate (case-insensitive, prefixes, 250-tag cap) from
// ./diff.ts.
import type { ShopConfig } from "../settings/shop-config";
import { keyOf, listOf, streamTagCandidates } from "../stores/memberships.server";
import type { PgClient } from "../stores/pg/pool.server";
import type { TagChange } from "./batch";
import { diffCustomerTags, type TagDiff } from "./diff";
import { desiredTags, MAX_TAGS_PER_CUSTOMER } from "./tags";

export interface CustomerTagChange extends TagChange {
  /** Customer.appTags before the change. */
  current: string[];
  tagCount: number;
}

/** What one list of segments gives, worked out once for every customer with that list. */
export interface Desired {
  tags: string[];
  /** The tags sorted and joined: Customer.appTags as the write-back leaves it (sorted) when in sync. */
  syncedKey: string;
  /** The diff of a customer without app tags (every customer of a first computation), shared. */
  firstTime: Readonly<TagDiff> | null;
}

/** Distinct segment lists remembered; a shop has a few thousand, more are worked out per customer. */
const MAX_REMEMBERED_LISTS = 100_000;

/**
 * The desired tags of a list of segments (given as its key, keyOf), worked
 * out once per distinct list: a shop has a few thousand lists for a million
 * customers.
 */
export function desiredTagsOfLists(enabledTags: ReadonlyMap<string, string>): (segmentsKey: string) => Desired {
  const bySegments = new Map<string, Desired>();
  return (segmentsKey) => {
    let desired = bySegments.get(segmentsKey);
    if (!desired) {
      const tags = desiredTags(listOf(segmentsKey), enabledTags);
      desired = { tags, syncedKey: keyOf([...tags].sort()), firstTime: null };
      if (bySegments.size < MAX_REMEMBERED_LISTS) bySegments.set(segmentsKey, desired);
    }
    return desired;
  };
}

/** The tag changes of the shop (or of one customer); customers already in sync are left out. */
export async function computeTagChanges(
  client: PgClient,
  config: ShopConfig,
  onlyCustomerId?: string,
): Promise<CustomerTagChange[]> {
  const out: CustomerTagChange[] = [];
  const none: string[] = [];
  const desiredOf = desiredTagsOfLists(config.enabledTags);
  await streamTagCandidates(
    client,
    config.shopId,
    ({ customerId, segmentsKey, currentKey, tagCount }) => {
      const desired = desiredOf(segmentsKey);
      // In sync, the common case of a nightly run: nothing to split or diff.
      if (currentKey === desired.syncedKey) return;
      let diff: TagDiff | undefined;
      let current = none;
      if (currentKey === "") {
        // Customers with the same segments share one diff object, so a
        // million changes do not keep millions of small arrays alive.
        const shared = (desired.firstTime ??= Object.freeze(
          diffCustomerTags({ desired: desired.tags, current: none, tagCount: 0, prefixes: config.prefixes }),
        ));
        if (shared.capped.length === 0 && tagCount + shared.add.length <= MAX_TAGS_PER_CUSTOMER) diff = shared;
      } else current = listOf(currentKey);
      diff ??= diffCustomerTags({ desired: desired.tags, current, tagCount, prefixes: config.prefixes });
      if (diff.add.length || diff.remove.length || diff.capped.length)
        out.push({ customerId, diff, current, tagCount });
    },
    onlyCustomerId,
  );
  return out;
}
