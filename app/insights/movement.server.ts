// The movement matrix of one segment family over a period of shop-local
// days: where the customers of each segment on the first day's start are at
// the last day's end (or now, for a period ending today).
import type { PrismaClient } from "@prisma/client";
import { movementGroups } from "../stores/insights.server";
import { buildMovementMatrix, dayEnd, dayStart, type MovementMatrix, type Period } from "./core";

export async function movementMatrix(
  db: PrismaClient,
  shop: { id: string; timezone: string },
  input: { family: string; period: Period; segments: readonly string[]; now?: Date },
): Promise<MovementMatrix & { startAt: string; endAt: string }> {
  const now = input.now ?? new Date();
  const startAt = dayStart(input.period.from, shop.timezone);
  const end = dayEnd(input.period.to, shop.timezone);
  const endAt = end < now ? end : now;
  const groups = await movementGroups(db, { shopId: shop.id, family: input.family, startAt, endAt });
  // Segments the catalog no longer lists but customers were in still get a row.
  const extra = [...new Set(groups.map((g) => g.start))].filter((s) => !input.segments.includes(s)).sort();
  const matrix = buildMovementMatrix(input.family, [...input.segments, ...extra], groups);
  return { ...matrix, startAt: startAt.toISOString(), endAt: endAt.toISOString() };
}
