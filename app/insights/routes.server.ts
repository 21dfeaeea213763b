// What the insights routes share: the page for the session's shop (400 when
// the period is refused), a discount's lift (404 for an id that is not the
// shop's), and the CSV exports as streamed responses.
import type { PrismaClient } from "@prisma/client";
import { runtimeEnv } from "../config/env.server";
import { findShop } from "../stores/shops.server";
import { insightsSettingsOf, localDay, parsePeriod } from "./core";
import { discountLiftFor } from "./discount-lift.server";
import { movementCsv, snapshotsCsv } from "./exports.server";
import { movementMatrix } from "./movement.server";
import { familyOf, insightsPageParts, type InsightsQuery } from "./page.server";

const notFound = () => new Response("Not found", { status: 404 });

function queryOf(request: Request): InsightsQuery {
  const params = new URL(request.url).searchParams;
  return { from: params.get("from"), to: params.get("to"), family: params.get("family") };
}

/** `promise`'s value if it settles within `ms`, otherwise the promise itself (to be sent later). */
async function valueWithin<T>(promise: Promise<T>, ms: number): Promise<T | Promise<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<{ late: true }>((resolve) => (timer = setTimeout(() => resolve({ late: true }), ms)));
  try {
    const first = await Promise.race([promise.then((value) => ({ late: false as const, value })), late]);
    return first.late ? promise : first.value;
  } catch {
    return promise; // its failure is shown where the check would be
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The insights page for the route: the page, and the model's check of its
 * segments, a value when it was ready in time, otherwise a promise the route
 * defers (ADR 055); 400 when the period is refused.
 */
export async function insightsPageResponse(db: PrismaClient, shop: string, request: Request) {
  const parts = await insightsPageParts(db, shop, queryOf(request));
  if (!parts) throw notFound();
  const { page } = parts;
  // A small shop's check is ready with the rest of the page (a few milliseconds): its table never shows a placeholder.
  const wait = runtimeEnv().INSIGHTS_CHECK_WAIT_MS;
  const predictions = parts.predictions ? await valueWithin(parts.predictions, wait) : null;
  return { page, predictions, status: page.problem ? 400 : 200 };
}

export async function discountLiftResponse(db: PrismaClient, shopDomain: string, id: string | undefined) {
  const shop = await findShop(db, shopDomain);
  if (!shop || !id) throw notFound();
  const lift = await discountLiftFor(db, shop.id, id, insightsSettingsOf(shop.settings));
  if (!lift) throw notFound();
  return { lift, currency: shop.currency };
}

async function exportContext(db: PrismaClient, shopDomain: string, request: Request) {
  const shop = await findShop(db, shopDomain);
  if (!shop) throw notFound();
  const query = queryOf(request);
  const parsed = parsePeriod(query, {
    today: localDay(new Date(), shop.timezone),
    retentionDays: insightsSettingsOf(shop.settings).retentionDays,
    defaultDays: 28,
  });
  if (!parsed.ok) throw new Response(parsed.message, { status: 400 });
  return { shop, period: parsed.period, query };
}

function csvResponse(body: ReadableStream<Uint8Array>, name: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
}

export async function snapshotsExport(db: PrismaClient, shopDomain: string, request: Request): Promise<Response> {
  const { shop, period } = await exportContext(db, shopDomain, request);
  return csvResponse(snapshotsCsv(db, shop.id, period), `segment-snapshots-${period.from}-${period.to}.csv`);
}

export async function movementExport(db: PrismaClient, shopDomain: string, request: Request): Promise<Response> {
  const { shop, period, query } = await exportContext(db, shopDomain, request);
  // Only the family and its segments, not the page's other figures (seconds of queries at a million customers).
  const { family, familySegments } = familyOf(shop, query.family);
  const matrix = await movementMatrix(db, shop, { family, period, segments: familySegments });
  // Keys, not titles: a file for spreadsheets and scripts.
  return csvResponse(
    movementCsv(matrix, (key) => key),
    `segment-movement-${family}-${period.from}-${period.to}.csv`,
  );
}
