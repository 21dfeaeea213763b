import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { isTransientConflict, retryTransientConflicts } from "../../app/queues/postgres-backend.server";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
afterAll(() => pool.end());

/** A statement that PostgreSQL aborts with `sqlstate` on its first `failures` runs, then succeeds. */
async function flakyStatement(sqlstate: string, failures: number): Promise<string> {
  const sequence = `flaky_${sqlstate.toLowerCase()}_${failures}_${Math.random().toString(36).slice(2, 8)}`;
  await pool.query(`CREATE SEQUENCE ${sequence}`);
  return `DO $$ BEGIN IF nextval('${sequence}') <= ${failures} THEN
            RAISE EXCEPTION 'simulated conflict' USING ERRCODE = '${sqlstate}'; END IF; END $$`;
}

describe("the PostgreSQL queue backend's retry of transient conflicts", () => {
  const retrying = { query: pool.query.bind(pool) as (text: string) => Promise<unknown> };
  retryTransientConflicts(retrying);

  it("runs a statement aborted by a deadlock (40P01) or serialization failure (40001) again", async () => {
    await expect(retrying.query(await flakyStatement("40P01", 2))).resolves.toBeDefined();
    await expect(retrying.query(await flakyStatement("40001", 1))).resolves.toBeDefined();
  });

  it("passes any other error on at once", async () => {
    const statement = await flakyStatement("23505", 1);
    await expect(retrying.query(statement)).rejects.toMatchObject({ code: "23505" });
    // It ran once: the second run succeeds.
    await expect(retrying.query(statement)).resolves.toBeDefined();
  });

  it("gives up after eight tries and passes the conflict on", async () => {
    const statement = await flakyStatement("40P01", 8);
    await expect(retrying.query(statement)).rejects.toMatchObject({ code: "40P01" });
    await expect(retrying.query(statement)).resolves.toBeDefined();
  });

  it("recognises the conflicts by SQLSTATE only", () => {
    expect(isTransientConflict({ code: "40P01" })).toBe(true);
    expect(isTransientConflict({ code: "40001" })).toBe(true);
    expect(isTransientConflict(new Error("deadlock detected"))).toBe(false);
    expect(isTransientConflict(null)).toBe(false);
  });
});
