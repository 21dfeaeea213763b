// What the tag write-back has to send: customers whose app tags differ from
// the tags of their memberships (candidates found in SQL by the memberships
// store), with the exact diff per candidate (case-insensitive, prefixes,
// 250-tag cap) from ./diff.ts.
import type { ShopConfig } from "../settings/shop-config";
import { desiredTagsOf, streamTagCandidates } from "../stores/memberships.server";
import type { PgClient } from "../stores/pg/pool.server";
import type { TagChange } from "./batch";
import { diffCustomerTags, type TagDiff } from "./diff";
import { MAX_TAGS_PER_CUSTOMER } from "./tags";

export interface CustomerTagChange extends TagChange {
  /** Customer.appTags before the change. */
  current: string[];
  tagCount: number;
}

/** The tag changes of the shop (or of one customer); customers already in sync are left out. */
export async function computeTagChanges(
  client: PgClient,
  config: ShopConfig,
  onlyCustomerId?: string,
): Promise<CustomerTagChange[]> {
  const out: CustomerTagChange[] = [];
  const none: string[] = [];
  const firstTimeDiffs = new Map<string, TagDiff>();
  await streamTagCandidates(
    client,
    config.shopId,
    (candidate) => {
      const { customerId, current, tagCount, desiredKey } = candidate;
      let diff: TagDiff | undefined;
      if (current.length === 0) {
        // A customer without app tags (every customer of a first computation):
        // customers with the same memberships share one diff object, so a
        // million changes do not keep millions of small arrays alive.
        let shared = firstTimeDiffs.get(desiredKey);
        if (!shared) {
          shared = Object.freeze(
            diffCustomerTags({
              desired: desiredTagsOf(candidate),
              current: none,
              tagCount: 0,
              prefixes: config.prefixes,
            }),
          );
          firstTimeDiffs.set(desiredKey, shared);
        }
        if (shared.capped.length === 0 && tagCount + shared.add.length <= MAX_TAGS_PER_CUSTOMER) diff = shared;
      }
      diff ??= diffCustomerTags({ desired: desiredTagsOf(candidate), current, tagCount, prefixes: config.prefixes });
      if (diff.add.length || diff.remove.length || diff.capped.length)
        out.push({ customerId, diff, current, tagCount });
    },
    onlyCustomerId,
  );
  return out;
}
