// Prisma 7 CLI configuration (generate, migrate, db push).
// Migrations run through scripts/prisma.sh, which points the CLI at our offline
// schema-engine stand-in (docs/decisions/003-offline-prisma-migrations.md).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // Not Prisma's env("DATABASE_URL") helper: it throws when the variable is
  // unset, which would break `prisma generate` in builds without a database.
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
