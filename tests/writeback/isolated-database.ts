/**
 * Import FIRST in a write-back test file: moves the file to its own database
 * named "writeback_t_..." (copied from the same migrated template). The shared
 * global teardown drops every "segments_t_%" database when any vitest run
 * ends, which kills long tests of a concurrent run; these minute-long tests
 * need a database no other run removes.
 */
import { afterAll } from "vitest";
import { createTestDatabase, dropDatabase } from "../setup/databases";

const database = await createTestDatabase("writeback_t");
process.env.DATABASE_URL = database.url;

afterAll(async () => {
  const prisma = globalThis.prismaGlobal;
  if (prisma) await prisma.$disconnect();
  await dropDatabase(database.name);
});
