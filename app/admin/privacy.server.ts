// Privacy page: what the app stores and never stores (fixed text in the
// locale file), the compliance requests received for the shop with their
// state, and the download of what a customers/data_request asked for.
import type { PrismaClient } from "@prisma/client";
import { complianceEvents, dataRequestRecord, dataRequests } from "../stores/admin-reads.server";
import { withPgClient } from "../stores/pg/pool.server";
import { notFound } from "./shop-context.server";

export interface PrivacyPage {
  requests: Array<{ topic: string; status: string; error: string | null; receivedAt: string }>;
  dataRequests: Array<{ id: string; customerId: string; requestedAt: string }>;
}

export async function loadPrivacy(_db: PrismaClient, domain: string): Promise<PrivacyPage> {
  // One after the other: a pg client runs one query at a time (queuing a second one is deprecated in pg 8).
  const [events, requests] = await withPgClient(async (client) => [
    await complianceEvents(client, domain, 50),
    await dataRequests(client, domain, 50),
  ]);
  return {
    requests: events.map((e) => ({ ...e, receivedAt: e.receivedAt.toISOString() })),
    dataRequests: requests.map((r) => ({ ...r, requestedAt: r.requestedAt.toISOString() })),
  };
}

/** A data request's record as a JSON download, only for the shop it was received for; any other id is a 404. */
export async function dataRequestDownload(domain: string, id: string | undefined): Promise<Response> {
  if (!id || !/^[a-z0-9]{1,40}$/.test(id)) notFound();
  const row = await withPgClient((client) => dataRequestRecord(client, domain, id));
  if (!row) notFound();
  const body = JSON.stringify(
    { shop: domain, customerId: row.customerId, requestedAt: row.requestedAt.toISOString(), record: row.record },
    null,
    2,
  );
  return new Response(body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="data-request-${row.customerId}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
