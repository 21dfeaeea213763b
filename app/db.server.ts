import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { databaseEnv } from "./config/env.server";

declare global {
  // Cached across dev-server reloads so they don't open new pools.
  var prismaGlobal: PrismaClient | undefined;
}

/** A PrismaClient on the pg driver adapter (Prisma 7 has no query engine binary). */
export function createPrismaClient(databaseUrl: string, poolSize?: number): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolSize }) });
}

// Only the database part of the environment: scripts and benchmarks that need
// the database need no Shopify variables.
const config = databaseEnv();
const prisma: PrismaClient =
  globalThis.prismaGlobal ?? createPrismaClient(config.DATABASE_URL, config.PRISMA_POOL_SIZE);
if (config.NODE_ENV !== "production") globalThis.prismaGlobal = prisma;

export default prisma;
