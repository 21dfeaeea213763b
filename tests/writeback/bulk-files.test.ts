// Bulk mutation files are cut to what Shopify's staged upload target accepts
// (20 MiB; the simulator refuses a larger file with S3's EntityTooLarge, as
// Shopify does). Here both limits are lowered, so a few dozen customers'
// tags and metafields need several files each.
import "./isolated-database";
import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { withPgClient } from "../../app/stores/pg/pool.server";
import { QueuedMetafieldRows, replacePendingMetafields } from "../../app/stores/writeback-state.server";
import { METAFIELDS_SET_BULK } from "../../app/graphql/admin/metafields.server";
import { bulkMutationFiles, runBulkMutation } from "../../app/shopify/bulk-operations.server";
import { bulkTagLines } from "../../app/writeback/batch";
import { writePendingMetafields } from "../../app/writeback/metafields.server";
import { METAFIELD_NAMESPACE, metafieldHash, packedMetafieldValues } from "../../app/writeback/metafields";
import type { CustomerTagChange } from "../../app/writeback/tag-changes.server";
import { writeTagChanges } from "../../app/writeback/tags.server";
import { simulatedStore } from "../helpers/sim-app";
import { backfillDirectly } from "./helpers";

/** What the simulator's upload target accepts here, and the file size the tag writes are cut to. */
const UPLOAD_BYTES = 8_000;
const TAG_FILE_BYTES = 1_000;

/** The most bulk mutations of the store running at once, sampled every few milliseconds until stopped. */
function watchRunningMutations(store: Awaited<ReturnType<typeof simulatedStore>>) {
  const watch = { most: 0, stop: () => clearInterval(timer) };
  const timer = setInterval(() => {
    const running = store.sim
      .bulkOperations(store.domain)
      .filter((op) => op.type === "MUTATION" && (op.status === "CREATED" || op.status === "RUNNING")).length;
    watch.most = Math.max(watch.most, running);
  }, 5);
  return watch;
}

describe("bulk mutation files", () => {
  it("cuts tags and metafields into files under the upload limit, numbering failures across them, values a page at a time", async () => {
    const store = await simulatedStore({
      domain: "bulk-files.myshopify.com",
      simulator: { maxUploadBytes: UPLOAD_BYTES },
    });
    try {
      store.sim.generate(store.domain, {
        seed: 5,
        customers: 60,
        orders: 120,
        startDate: "2025-01-01",
        endDate: "2025-12-31",
        discountShare: 0.2,
        seasonality: 0.2,
      });
      await backfillDirectly(store);
      const ids = (await prisma.customer.findMany({ where: { shopId: store.shopId }, select: { id: true } })).map((c) =>
        String(c.id),
      );
      expect(ids.length).toBeGreaterThan(40);
      // One customer's tag is longer than Shopify's 255 characters: refused, whichever file it lands in.
      const refused = ids[ids.length - 3];
      const changes: CustomerTagChange[] = ids.map((customerId) => ({
        customerId,
        current: [],
        tagCount: 0,
        diff: {
          add: customerId === refused ? ["seg:" + "x".repeat(300)] : ["seg:bulk-a", "seg:bulk-b"],
          remove: [],
          capped: [],
        },
      }));
      const files = bulkMutationFiles(bulkTagLines(changes).add, TAG_FILE_BYTES).length;
      expect(files).toBeGreaterThan(2);

      const stats = await withPgClient((client) =>
        writeTagChanges(store.api(), client, store.shopId, changes, {
          bulkThreshold: 0,
          bulkFileBytes: TAG_FILE_BYTES,
        }),
      );
      expect(stats.bulkOperations).toBe(files);
      expect(stats.failedCustomers.map((f) => f.customerId)).toEqual([refused]);
      for (const id of ids) {
        if (id === refused) expect(store.sim.customerTags(store.domain, id)).toEqual([]);
        else expect(store.sim.customerTags(store.domain, id)).toEqual(["seg:bulk-a", "seg:bulk-b"]);
      }

      // Every customer's metafields queued, then written in several files.
      const pending = new QueuedMetafieldRows(store.shopId);
      ids.forEach((customerId, i) => {
        const input = {
          handles: ["rfm-champions"],
          predictions: { pAlive: i / ids.length, clv12mMinor: 1000 + i, nextOrderDate: null, spendTier: "low" },
          currencyDecimals: 2,
          timeZone: "UTC",
        };
        pending.add(customerId, packedMetafieldValues(input), metafieldHash(input));
      });
      await withPgClient((client) =>
        replacePendingMetafields(client, { from: ids[0], to: ids[ids.length - 1] }, pending),
      );
      // At the default file size (Shopify's) the one file is over the lowered limit: refused loudly, nothing recorded.
      const tooLarge = await withPgClient((client) =>
        writePendingMetafields(store.api(), client, store.shopId, { bulkThreshold: 0 }),
      ).catch((error: unknown) => error as Error);
      expect(tooLarge).toBeInstanceOf(Error);
      expect((tooLarge as Error).message).toContain("EntityTooLarge");
      expect(await prisma.pendingMetafields.count({ where: { shopId: store.shopId } })).toBe(ids.length);
      // Ten files, each over the upload limit: the first four are tried at once, none after a refusal.
      const line = JSON.stringify({
        metafields: [
          {
            ownerId: `gid://shopify/Customer/${ids[0]}`,
            namespace: METAFIELD_NAMESPACE,
            key: "spend_tier",
            type: "single_line_text_field",
            value: "x".repeat(UPLOAD_BYTES + 100),
          },
        ],
      });
      const stagedBefore = store.sim.callCounts(store.domain).mutations.stagedUploadsCreate ?? 0;
      const allRefused = await runBulkMutation(
        store.api(),
        METAFIELDS_SET_BULK,
        Array(10).fill(line),
        "metafieldsSet",
        {
          maxFileBytes: line.length + 1,
        },
      ).catch((error: unknown) => error as Error);
      expect((allRefused as Error).message).toContain("EntityTooLarge");
      expect((store.sim.callCounts(store.domain).mutations.stagedUploadsCreate ?? 0) - stagedBefore).toBe(4);
      expect(await prisma.pendingMetafields.count({ where: { shopId: store.shopId } })).toBe(ids.length);

      // The files of a page run at once, up to four (Shopify runs five bulk operations of an app per shop at once).
      const runningAtOnce = watchRunningMutations(store);
      const written = await withPgClient((client) =>
        writePendingMetafields(store.api(), client, store.shopId, {
          bulkThreshold: 0,
          bulkFileBytes: UPLOAD_BYTES,
          // Read and sent a page at a time: three pages here.
          pageCustomers: 25,
        }),
      ).finally(runningAtOnce.stop);
      expect(written.customers).toBe(ids.length);
      expect(written.failedCustomers).toBe(0);
      expect(written.bulkOperations).toBeGreaterThan(2);
      expect(runningAtOnce.most).toBeGreaterThan(1);
      expect(runningAtOnce.most).toBeLessThanOrEqual(4);
      for (const [i, id] of ids.entries()) {
        const stored = store.sim.metafields(store.domain, `gid://shopify/Customer/${id}`);
        expect(stored.find((m) => m.key === "clv_12m")?.value).toBe(((1000 + i) / 100).toFixed(2));
      }
      expect(await prisma.pendingMetafields.count({ where: { shopId: store.shopId } })).toBe(0);
    } finally {
      await store.sim.close();
    }
  }, 120_000);
});
