// What the tag write-back has to send: every customer with memberships or app
// tags (candidates streamed by the memberships store), the tags its segments
// give under the shop's current settings (derived here, ADR 046), and the
// exact diff per candidate (case-insensitive, prefixes, 250-tag cap) from
// ./diff.ts.
import { createHash } from "node:crypto";
import type { ShopConfig } from "../settings/shop-config";
import { currentSnapshot } from "../stores/feature-reads.server";
import { keyOf, listOf, streamTagCandidates } from "../stores/memberships.server";
import { inTransaction, type PgClient } from "../stores/pg/pool.server";
import { beginTagPass, endTagPass, type TagPassScope } from "../stores/tag-sync.server";
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

/**
 * The tag changes of the shop (every customer, one customer, or those the tag
 * sync log names); customers already in sync are left out.
 */
export async function computeTagChanges(
  client: PgClient,
  config: ShopConfig,
  only?: string | { logged: true },
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
    only === undefined ? {} : typeof only === "string" ? { customerId: only } : only,
  );
  return out;
}

/**
 * Bump with any change to what a customer's tags are derived from besides the
 * settings and the memberships (desiredTags, diffCustomerTags): the next pass
 * then compares every customer again.
 */
const TAG_RULES_VERSION = 1;

/** A digest of what the desired tags and their diff depend on besides the memberships (ADR 066). */
function tagSettingsKey(config: Pick<ShopConfig, "enabledTags" | "prefixes">): string {
  const settings = [TAG_RULES_VERSION, MAX_TAGS_PER_CUSTOMER, [...config.enabledTags].sort(), config.prefixes];
  return createHash("sha256").update(JSON.stringify(settings)).digest("base64url").slice(0, 22);
}

/** A shop-wide pass of the tag write-back: its changes, and what endShopTagPass needs. */
export interface ShopTagPass {
  changes: CustomerTagChange[];
  /** Every customer compared, or those logged since the last complete pass under the same settings. */
  scope: TagPassScope;
  key: string;
  /** The snapshot the candidates were read in: the log rows it saw are consumed by endShopTagPass. */
  snapshot: string;
}

/**
 * The shop's tag changes for a write-back (ADR 066): after a pass that
 * compared every customer under the current tag settings, only the customers
 * logged since are compared (a nightly run changes a few percent of the
 * segments); otherwise every customer, and the log starts under the current
 * settings. The log and the candidates are read in one snapshot.
 */
export async function startShopTagPass(client: PgClient, config: ShopConfig): Promise<ShopTagPass> {
  const key = tagSettingsKey(config);
  const scope = await beginTagPass(client, config.shopId, key);
  return inTransaction(
    client,
    async () => {
      const snapshot = await currentSnapshot(client);
      const changes = await computeTagChanges(client, config, scope === "logged" ? { logged: true } : undefined);
      return { changes, scope, key, snapshot };
    },
    "BEGIN ISOLATION LEVEL REPEATABLE READ",
  );
}

/**
 * Once the pass's changes are written (or recorded): the log rows it saw are
 * consumed, and the customers still out of sync (those Shopify refused,
 * `failed`, and those with capped tags, which every full comparison reports
 * again) are logged for the next pass.
 */
export async function endShopTagPass(
  client: PgClient,
  shopId: string,
  pass: ShopTagPass,
  failed: ReadonlyArray<{ customerId: string }>,
): Promise<void> {
  const recheck = new Set(failed.map((f) => f.customerId));
  for (const c of pass.changes) if (c.diff.capped.length) recheck.add(c.customerId);
  await endTagPass(client, shopId, { key: pass.key, snapshot: pass.snapshot, recheck: [...recheck] });
}
