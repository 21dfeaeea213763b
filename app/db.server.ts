import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { DEFAULT_DATABASE_URL } from "./config/env.server";

declare global {
  // Cached across dev-server reloads so they don't open new pools.
  var prismaGlobal: PrismaClient | undefined;
}

/** A PrismaClient on the pg driver adapter (Prisma 7 has no query engine binary). */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

// DATABASE_URL is validated with the rest of the environment at start-up
// (app/config/env.server.ts); reading it here keeps scripts and benchmarks
// that only need the database free of the Shopify variables.
const prisma: PrismaClient =
  globalThis.prismaGlobal ?? createPrismaClient(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
if (process.env.NODE_ENV !== "production") globalThis.prismaGlobal = prisma;

export default prisma;
