// The difference between the tags a customer should carry under the app's
// prefixes and the ones they carry, respecting Shopify's 250-tag cap. Only
// the difference is ever sent (tagsAdd/tagsRemove), never a whole tag list,
// and tags outside the app's prefixes are never touched.
import { isUnderPrefix, MAX_TAGS_PER_CUSTOMER } from "./tags";

export interface TagDiffInput {
  /** Tags the customer should carry (already prefixed). */
  desired: readonly string[];
  /** The customer's current tags under the app's prefixes (Customer.appTags). */
  current: readonly string[];
  /** All of the customer's tags, the merchant's included (Customer.tagCount). */
  tagCount: number;
  /** Current prefix and former ones still being moved away from. */
  prefixes: readonly string[];
  maxTags?: number;
}

export interface TagDiff {
  add: string[];
  remove: string[];
  /** Desired tags not added because the customer would exceed the tag cap. */
  capped: string[];
}

export function diffCustomerTags(input: TagDiffInput): TagDiff {
  const maxTags = input.maxTags ?? MAX_TAGS_PER_CUSTOMER;
  const desiredLower = new Map<string, string>();
  for (const tag of input.desired) desiredLower.set(tag.toLowerCase(), tag);
  const currentLower = new Set<string>();
  const remove: string[] = [];
  for (const tag of input.current) {
    const lower = tag.toLowerCase();
    if (currentLower.has(lower)) continue;
    currentLower.add(lower);
    const ours = input.prefixes.some((prefix) => isUnderPrefix(tag, prefix));
    if (ours && !desiredLower.has(lower)) remove.push(tag);
  }
  const wanted: string[] = [];
  for (const [lower, tag] of desiredLower) if (!currentLower.has(lower)) wanted.push(tag);
  wanted.sort();
  remove.sort();
  // Removals go first, so the room they free counts for the additions.
  const room = Math.max(0, maxTags - (input.tagCount - remove.length));
  return { add: wanted.slice(0, room), remove, capped: wanted.slice(room) };
}

/** The app tags after a diff was applied (what Customer.appTags becomes). */
export function applyTagDiff(current: readonly string[], diff: TagDiff): string[] {
  const removed = new Set(diff.remove.map((t) => t.toLowerCase()));
  const out = current.filter((t) => !removed.has(t.toLowerCase()));
  const have = new Set(out.map((t) => t.toLowerCase()));
  for (const tag of diff.add) if (!have.has(tag.toLowerCase())) out.push(tag);
  return out.sort();
}
