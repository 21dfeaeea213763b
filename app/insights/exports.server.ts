// CSV exports of the snapshots and of a movement matrix, streamed: the
// snapshots are read a page at a time, so an export of a large shop's whole
// retention never sits in memory at once.
import type { PrismaClient } from "@prisma/client";
import { snapshotPages } from "../stores/insights.server";
import { derivedFigures, type MovementMatrix, type Period } from "./core";

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
function field(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (values: ReadonlyArray<string | number | null>) => values.map(field).join(",") + "\r\n";

const SNAPSHOT_HEADER = [
  "day",
  "segment",
  "size",
  "entries",
  "exits",
  "orders",
  "revenue_minor",
  "average_order_value_minor",
  "buyers",
  "repeat_members",
  "repeat_rate",
];

/** The snapshots of the period as CSV (money in the shop currency's minor units). */
export function snapshotsCsv(db: PrismaClient, shopId: string, period: Period): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const pages = snapshotPages(db, shopId, period);
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(line(SNAPSHOT_HEADER)));
        return;
      }
      const page = await pages.next();
      if (page.done) {
        controller.close();
        return;
      }
      let chunk = "";
      for (const row of page.value) {
        const { averageOrderValueMinor, repeatRate } = derivedFigures(row);
        chunk += line([
          row.day,
          row.segment,
          row.size,
          row.entries,
          row.exits,
          row.orders,
          row.revenueMinor,
          averageOrderValueMinor === null ? null : Math.round(averageOrderValueMinor),
          row.buyers,
          row.repeatMembers,
          repeatRate === null ? null : repeatRate.toFixed(4),
        ]);
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
}

/** A movement matrix as CSV: one line per start segment, one column per destination, then the start size. */
export function movementCsv(matrix: MovementMatrix, label: (key: string) => string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const lines = [
    line(["segment_at_start", ...matrix.columns.map(label), "size_at_start"]),
    ...matrix.rows.map((row, r) => line([label(row), ...matrix.counts[r], matrix.startSizes[r]])),
  ];
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < lines.length) controller.enqueue(encoder.encode(lines[i++]));
      else controller.close();
    },
  });
}
