import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closePgPool, withPgClient } from "./pool.server";

// The process's pool when PostgreSQL drops a connection (a restart, a
// failover, a test database dropped under running jobs) while a client is lent.
describe("withPgClient", () => {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  beforeAll(() => admin.connect());
  afterAll(async () => {
    await admin.end();
    await closePgPool();
  });

  it("fails the work of a lent client whose connection is terminated, not the process, and lends a working one next", async () => {
    await expect(
      withPgClient(async (client) => {
        const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
        await admin.query("SELECT pg_terminate_backend($1)", [rows[0].pid]);
        // The termination arrives while no query runs: the client emits it as an event.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await client.query("SELECT 1");
      }),
    ).rejects.toThrow();
    const { rows } = await withPgClient((client) => client.query<{ one: number }>("SELECT 1 AS one"));
    expect(rows[0].one).toBe(1);
  });
});
