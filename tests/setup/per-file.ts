import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { createTestDatabase, dropDatabase } from "./databases";
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";

/**
 * Runs before each test file: its own database (copied from the migrated
 * template) and its own queue prefix, and the test app's credentials from
 * Shopify's test helpers.
 */
const database = await createTestDatabase(`segments_t_${process.env.SEGMENTS_TEST_RUN ?? "x"}`);

Object.assign(process.env, {
  NODE_ENV: "test",
  DATABASE_URL: database.url,
  QUEUE_PREFIX: `t${randomBytes(5).toString("hex")}`,
  SHOPIFY_API_KEY: API_KEY,
  SHOPIFY_API_SECRET: API_SECRET_KEY,
  SHOPIFY_APP_URL: APP_URL,
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  // Worker processes spawned by tests serve no metrics port (parallel files would collide on it).
  METRICS_PORT: "0",
});

afterAll(async () => {
  const prisma = globalThis.prismaGlobal;
  if (prisma) await prisma.$disconnect();
  // The stores' pg pool, if the file used it (imported lazily: unit-like files never load it).
  const { closePgPool } = await import("../../app/stores/pg/pool.server");
  await closePgPool();
  await dropDatabase(database.name);
});
