/**
 * Every queue of the app, in one place. Queue names are kebab-case nouns;
 * job names are dotted verbs (`shop.installed`). Processors live in
 * app/workers/processors/, one file per queue; each is a thin adapter to a stage's service.
 */
export const QUEUE = {
  /** Install/uninstall bookkeeping and other per-shop lifecycle events. */
  shopLifecycle: "shop-lifecycle",
  /** Backfill (bulk export) and reconciliation per shop. */
  shopSync: "shop-sync",
  /** One job per accepted webhook delivery (job id from X-Shopify-Event-Id). */
  webhooks: "webhook-events",
  /** Full recomputes (a flow of chunk jobs) and per-customer re-segmentation. */
  segments: "segments",
  /** Segments written back to Shopify (tags, metafields, native segment mirrors), per shop or customer. */
  writeback: "writeback",
  /** Acting on segments where customers buy: segment discounts and their hold-out groups, per shop. */
  act: "act",
  /** Daily segment snapshots per shop (after each recompute, and a daily schedule in the shop's time zone). */
  insights: "insights",
  /**
   * What an admin page waits for: a settings dry run, a rule's live preview.
   * Computed by the worker, never in the web process (ADR 052); its own queue,
   * so that a preview never waits behind a shop's recompute.
   */
  previews: "previews",
  /** Retention: a nightly sweep that cleans finished jobs and prunes each shop's old rows (ADR 038). */
  maintenance: "maintenance",
} as const;

/**
 * BullMQ priority of bulk work (a shop's full recompute and its chunks, a
 * shop's write-back): in a queue shared with per-customer jobs, a worker takes
 * every job without a priority (a re-segmentation, a customer's write-back)
 * before any prioritized one, so one shop's big recompute never stands in
 * front of another shop's order-to-tag path (docs/decisions/035-fairness-across-shops.md).
 */
export const BULK_PRIORITY = 10;

export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

export const ALL_QUEUES: QueueName[] = Object.values(QUEUE);

/**
 * BullMQ job ids must not contain ":" and must not be all digits; Shopify ids
 * are GIDs (`gid://shopify/Order/1`) and shop domains contain dots, which are
 * fine. This makes any parts into a safe, deterministic id.
 */
export function jobId(...parts: Array<string | number | bigint>): string {
  return parts
    .map((part) =>
      String(part)
        .replace(/^gid:\/\/shopify\//, "")
        .replace(/[:/\s]+/g, "_"),
    )
    .join("-");
}
