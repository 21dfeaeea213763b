import { BULK_OPERATION_STATUS } from "../../app/graphql/admin/bulk-operations.server";
import { spawn } from "node:child_process";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import prisma from "../../app/db.server";
import { QUEUE } from "../../app/queues/names";
import { QueueRegistry } from "../../app/queues/registry.server";
import { enqueueBackfill } from "../../app/queues/sync.server";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";
import { simulatedStore, simulatorOrders, startAppWorkers, storedOrders, waitFor } from "../helpers/sim-app";

afterAll(() => cleanRedisPrefix(process.env.QUEUE_PREFIX!));

const redis = testQueueBackends()[0];

/** Lines of the export that come before their parent's line (2026-04's ungrouped output). */
async function childLinesBeforeParent(url: string): Promise<{ children: number; early: number }> {
  const seen = new Set<string>();
  let children = 0;
  let early = 0;
  for (const line of (await (await fetch(url)).text()).split("\n")) {
    if (!line) continue;
    const object = JSON.parse(line) as { id?: string; __parentId?: string };
    if (object.__parentId === undefined) seen.add(object.id!);
    else {
      children++;
      if (!seen.has(object.__parentId)) early++;
    }
  }
  return { children, early };
}

/** Per order of the simulated shop, read from its store columns (not through the API): units and lines still on it. */
function simulatorLineFacts(store: { sim: { shop(domain: string): any }; domain: string }) {
  const s = store.sim.shop(store.domain).store;
  const facts = new Map<string, { itemQuantity: number; lineCount: number }>();
  for (let i = 0; i < s.orderCount; i++) {
    let itemQuantity = 0;
    let lineCount = 0;
    for (let j = s.o.lineStart[i]; j < s.o.lineStart[i] + s.o.lineCount[i]; j++) {
      itemQuantity += s.l.currentQuantity[j];
      if (s.l.currentQuantity[j] > 0) lineCount++;
    }
    facts.set(String(s.o.id[i]), { itemQuantity, lineCount });
  }
  return facts;
}

describe("install backfill by bulk export", () => {
  it("stores a 50,000-order store exactly from an ungrouped export, even when the worker is killed midway", async () => {
    // A generous rate limit: the test reads the truth back page by page.
    const store = await simulatedStore({
      domain: "backfill.myshopify.com",
      simulator: { bulkLatencyMs: 200, restoreRate: 1_000_000, bucketSize: 10_000_000 },
    });
    const generated = store.sim.generate(store.domain, {
      seed: 7,
      customers: 9_000,
      orders: 50_000,
      startDate: "2023-01-01",
      endDate: "2025-12-31",
      discountShare: 0.3,
      seasonality: 0.5,
    });
    expect(generated.orders).toBe(50_000);

    // A worker in a child process starts the backfill...
    const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/sync-worker.ts"], {
      env: {
        ...process.env,
        TEST_QUEUE_BACKEND: JSON.stringify(redis),
        TEST_QUEUES: QUEUE.shopSync,
        SIM_URL: store.sim.url,
        SIM_ACCESS_TOKEN: store.accessToken,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let childOutput = "";
    child.stderr!.on("data", (chunk) => (childOutput += chunk));
    const started = Date.now();
    const log = (message: string) =>
      console.log(`[backfill test +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
    const exited = new Promise((resolve) => child.on("exit", resolve));
    // A failing test must not leave its worker running.
    onTestFinished(() => void child.kill("SIGKILL"));
    await new Promise<void>((resolve) =>
      child.stdout!.on("data", (chunk) => String(chunk).includes("ready") && resolve()),
    );
    const registry = new QueueRegistry(redis);
    await enqueueBackfill(registry, store.domain);

    // ...and is killed hard in the middle of the import.
    await waitFor(
      async () => (await prisma.order.count({ where: { shopId: store.shopId } })) >= 8_000,
      "import to start",
      60_000,
    ).catch((error) => {
      throw new Error(`${error.message}; worker output:\n${childOutput}`);
    });
    child.kill("SIGKILL");
    await exited;
    const storedAtKill = await prisma.order.count({ where: { shopId: store.shopId } });
    log(`worker killed with ${storedAtKill} of 50,000 orders stored`);
    expect(storedAtKill).toBeLessThan(50_000);

    // A new worker picks the stalled job up and finishes it.
    // Looking for the dead worker's job every second, not every 30 s (its 4 s lock has expired by then).
    const app = startAppWorkers(redis, store, [QUEUE.shopSync], 1_000);
    try {
      const run = await waitFor(
        () => prisma.jobRun.findFirst({ where: { shopId: store.shopId, kind: "backfill", status: "completed" } }),
        "the backfill to complete",
        180_000,
      );
      log("backfill completed by the second worker");
      const progress = run.progress as { ordersStored: number; linesRead: number; customersStored: number };
      expect(progress.ordersStored).toBe(50_000);
      expect(progress.linesRead).toBeGreaterThan(50_000);
      expect(await prisma.jobRun.count({ where: { shopId: store.shopId, kind: "backfill" } })).toBe(1);

      // The stored orders equal the simulator's: count, totals, per-customer counts.
      const truth = await simulatorOrders(store.api());
      log("read the simulator's orders");
      const stored = await storedOrders(store.shopId);
      expect(stored.size).toBe(truth.size);
      const sum = (orders: typeof truth) => [...orders.values()].reduce((total, order) => total + order.totalMinor, 0);
      expect(sum(stored)).toBe(sum(truth));
      const perCustomer = (orders: typeof truth) => {
        const counts = new Map<string, number>();
        for (const order of orders.values()) {
          const key = order.customerId ?? "guest";
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        return counts;
      };
      expect(perCustomer(stored)).toEqual(perCustomer(truth));
      for (const [id, order] of truth) expect(stored.get(id)).toEqual(order);

      // The export was 2026-04's default, ungrouped: line items came before
      // their orders, and each still landed on its own order.
      const operation = await store.api().request(BULK_OPERATION_STATUS, {
        id: (run.progress as { ordersOperationId: string }).ordersOperationId,
      });
      const url = operation.node && "url" in operation.node ? operation.node.url : null;
      if (!url) throw new Error("the export has no result file");
      const order = await childLinesBeforeParent(url);
      log(`export: ${order.children} child lines, ${order.early} before their parent`);
      expect(order.early).toBeGreaterThan(1_000);
      const lineFacts = simulatorLineFacts(store);
      const rows = await prisma.order.findMany({
        where: { shopId: store.shopId },
        select: { id: true, itemQuantity: true, lineCount: true },
      });
      expect(rows.length).toBe(lineFacts.size);
      for (const row of rows) {
        expect({ itemQuantity: row.itemQuantity, lineCount: row.lineCount }, `order ${row.id}`).toEqual(
          lineFacts.get(String(row.id)),
        );
      }
      // The staged lines are gone once the import ended.
      expect(await prisma.bulkExportLine.count()).toBe(0);

      // Customers came too, with no personal fields to store; re-running creates no duplicates.
      expect(await prisma.customer.count({ where: { shopId: store.shopId } })).toBe(
        store.sim.customerCount(store.domain),
      );
      const shop = await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } });
      expect((shop.syncState as { lastReconciledAt?: string }).lastReconciledAt).toBeTruthy();
      // The backfill scheduled periodic reconciliation for the shop.
      const schedulers = await registry.get(QUEUE.shopSync).getJobSchedulers();
      expect(schedulers.map((s) => s.key)).toContain(`reconcile-${store.domain}-every`);

      await enqueueBackfill(registry, store.domain);
      await waitFor(
        async () =>
          (await prisma.jobRun.count({ where: { shopId: store.shopId, kind: "backfill", status: "completed" } })) === 2,
        "the second backfill",
        180_000,
      );
      expect(await prisma.order.count({ where: { shopId: store.shopId } })).toBe(50_000);
    } finally {
      await app.close();
      await registry.close();
      await store.sim.close();
    }
  }, 400_000);
});
