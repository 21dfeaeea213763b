import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "./config/env.server";

declare global {
  // Cached across dev-server reloads so they don't open new pools.
  var prismaGlobal: PrismaClient | undefined;
}

/** A PrismaClient on the pg driver adapter (Prisma 7 has no query engine binary). */
export function createPrismaClient(databaseUrl: string = env().DATABASE_URL): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

const prisma: PrismaClient = globalThis.prismaGlobal ?? createPrismaClient();
if (process.env.NODE_ENV !== "production") globalThis.prismaGlobal = prisma;

export default prisma;
