import { ensureServices } from "../../scripts/services";
import { applyMigrations } from "../../scripts/migrate";
import { databaseExists, databaseUrl, templateName, withServer } from "./databases";

/**
 * Once per test run: make sure PostgreSQL and Redis answer (starting them if
 * absent), and that the migrated template database for test files exists.
 */
export default async function setup(): Promise<() => Promise<void>> {
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
    // Leftovers from crashed files of earlier runs, and old templates.
    await withServer(async (client) => {
      const { rows } = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'segments\\_t\\_%' OR (datname LIKE 'segments\\_tpl\\_%' AND datname <> $1)",
        [template],
      );
      for (const { datname } of rows) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
      }
    });
  };
}
