// Direct PostgreSQL access for the recompute's hot path: millions of order
// rows read in keyset-paginated batches (Prisma would build an object per
// row), and memberships written with COPY FROM STDIN.
import pg from "pg";

export type PgClient = pg.Client | pg.PoolClient;

export async function connectPg(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return client;
}

/** Quotes one value for COPY's text format (tab-separated, \N for null). */
export function copyText(value: string | number | bigint | boolean | null | undefined | readonly string[]): string {
  if (value === null || value === undefined) return "\\N";
  if (Array.isArray(value)) {
    const items = value.map((v) => `"${String(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
    return copyEscape(`{${items.join(",")}}`);
  }
  return copyEscape(String(value));
}

function copyEscape(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : text;
}

/**
 * `COPY table (columns) FROM STDIN` with rows already formatted as COPY text
 * lines (each ending in "\n"). pg has no COPY API of its own; this is the
 * small "submittable" it accepts, speaking the copy-in sub-protocol.
 */
export function copyFrom(client: PgClient, sql: string, lines: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let rowCount = 0;
    let failure: Error | null = null;
    const submittable = {
      submit(connection: any) {
        connection.query(sql);
      },
      handleCopyInResponse(connection: any) {
        let buffer: string[] = [];
        let size = 0;
        for (const line of lines) {
          buffer.push(line);
          size += line.length;
          if (size > 1 << 16) {
            connection.sendCopyFromChunk(Buffer.from(buffer.join(""), "utf8"));
            buffer = [];
            size = 0;
          }
        }
        if (buffer.length) connection.sendCopyFromChunk(Buffer.from(buffer.join(""), "utf8"));
        connection.endCopyFrom();
      },
      handleCommandComplete(msg: { text?: string }) {
        const match = /(\d+)$/.exec(msg.text ?? "");
        if (match) rowCount = Number(match[1]);
      },
      handleError(error: Error) {
        failure = error;
      },
      handleReadyForQuery() {
        if (failure) reject(failure);
        else resolve(rowCount);
      },
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handleCopyData() {},
      handlePortalSuspended() {},
    };
    (client as any).query(submittable);
  });
}
