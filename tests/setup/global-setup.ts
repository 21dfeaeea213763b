import { randomBytes } from "node:crypto";
import { ensureServices } from "../../scripts/services";
import { applyMigrations } from "../../scripts/migrate";
import { databaseExists, databaseUrl, templateName, withServer } from "./databases";

/**
 * Once per test run: make sure PostgreSQL and Redis answer (starting them if
 * absent), and that the migrated template database for test files exists.
 */
export default async function setup(): Promise<() => Promise<void>> {
  // Test files' databases carry this run's id, so a teardown only drops its own.
  const run = randomBytes(3).toString("hex");
  process.env.SEGMENTS_TEST_RUN = run;
  await ensureServices({ postgres: true, redis: true, quiet: true });
  const template = templateName();
  const exists = await withServer((client) => databaseExists(client, template));
  if (!exists) {
    const building = `${template}_building`;
    await withServer(async (client) => {
      await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${building}"`);
    });
    await applyMigrations(databaseUrl(building));
    // Rename only after success, so a failed migration never leaves a half template.
    await withServer((client) => client.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`));
  }
  return async () => {
    // This run's databases that a crashed file left behind.
    await withServer(async (client) => {
      const { rows } = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE $1",
        [`segments\\_t\\_${run}\\_%`],
      );
      for (const { datname } of rows) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
      }
    });
  };
}
