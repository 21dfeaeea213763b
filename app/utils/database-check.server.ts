import pg from "pg";

class ServiceUnavailableError extends Error {
  override name = "ServiceUnavailableError";
}

/** Connects once to DATABASE_URL; turns a connection failure into one line that says what to do. */
export async function checkDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const where = `${url.hostname}:${url.port || 5432}${url.pathname}`;
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServiceUnavailableError(
      `Cannot reach PostgreSQL at ${where} (${reason}). Start PostgreSQL, or set DATABASE_URL to a reachable server; \`npm run local\` starts an embedded one when none is running.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
