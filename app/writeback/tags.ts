// Tag naming for the write-back: one Shopify customer tag per segment,
// `${prefix}${family}-${handle}` (e.g. "seg:rfm-champions"). Shopify compares
// tags case-insensitively, splits on commas and caps a tag at 255 characters,
// so the prefix and names are checked against those rules before anything is
// written.

export const MAX_TAG_LENGTH = 255;
export const MAX_TAGS_PER_CUSTOMER = 250;

/** Lowercase words of letters and digits joined by single dashes ("Big Spenders!" -> "big-spenders"). */
export function kebabCase(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The tag name (without prefix) of a segment key "family/handle", or of a merchant-chosen name. */
export function segmentTagName(key: string, customName?: string): string {
  if (customName !== undefined) return kebabCase(customName);
  const slash = key.indexOf("/");
  if (slash < 0) throw new RangeError(`segment key "${key}" is not "family/handle"`);
  return kebabCase(`${key.slice(0, slash)}-${key.slice(slash + 1)}`);
}

export function segmentTag(prefix: string, key: string, customName?: string): string {
  return `${prefix}${segmentTagName(key, customName)}`;
}

/** Whether `tag` is one of the app's tags under `prefix` (Shopify tags are case-insensitive). */
export function isUnderPrefix(tag: string, prefix: string): boolean {
  return tag.length > prefix.length && tag.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase();
}

/** Problems with a tag prefix, as messages for the merchant; empty when the prefix is usable. */
export function tagPrefixProblems(prefix: string, longestTagName: number): string[] {
  const problems: string[] = [];
  if (prefix.trim().length === 0)
    problems.push("The tag prefix cannot be empty: without it the app could not tell its tags from yours.");
  if (prefix.includes(",")) problems.push("The tag prefix cannot contain a comma: Shopify splits tags on commas.");
  if (prefix !== prefix.trim()) problems.push("The tag prefix cannot start or end with a space: Shopify trims tags.");
  if (prefix.length + longestTagName > MAX_TAG_LENGTH) {
    problems.push(
      `The tag prefix is too long: with it the longest segment tag would have ${prefix.length + longestTagName} characters, and Shopify allows at most ${MAX_TAG_LENGTH}.`,
    );
  }
  return problems;
}

export interface NamedSegment {
  key: string;
  /** Merchant's name for the tag, kebab-cased before use. */
  tagName?: string;
}

/**
 * Tag of every segment, or the list of problems: names that are empty after
 * kebab-casing and names that collide with another segment's (compared
 * case-insensitively, as Shopify does).
 */
export function buildTagMap(
  prefix: string,
  segments: readonly NamedSegment[],
): { tags: Map<string, string>; problems: string[] } {
  const tags = new Map<string, string>();
  const owner = new Map<string, string>();
  const problems: string[] = [];
  for (const segment of segments) {
    const name = segmentTagName(segment.key, segment.tagName);
    if (name.length === 0) {
      problems.push(`The tag name "${segment.tagName}" of segment ${segment.key} has no letters or digits.`);
      continue;
    }
    const tag = `${prefix}${name}`;
    const lower = tag.toLowerCase();
    const other = owner.get(lower);
    if (other !== undefined) {
      problems.push(
        `Segment ${segment.key} would get the tag "${tag}", which segment ${other} already uses; choose another name.`,
      );
      continue;
    }
    if (tag.length > MAX_TAG_LENGTH) {
      problems.push(
        `The tag of segment ${segment.key} would have ${tag.length} characters; Shopify allows at most ${MAX_TAG_LENGTH}.`,
      );
      continue;
    }
    owner.set(lower, segment.key);
    tags.set(segment.key, tag);
  }
  return { tags, problems };
}

/**
 * The app tags a customer's segments give: the enabled segments' tags, in
 * the segments' order (ADR 046: derived when the write-back compares, not
 * stored with the memberships).
 */
export function desiredTags(segments: readonly string[], enabledTags: ReadonlyMap<string, string>): string[] {
  const tags: string[] = [];
  for (const key of segments) {
    const tag = enabledTags.get(key);
    if (tag !== undefined) tags.push(tag);
  }
  return tags;
}
