// Daily segment snapshots as numbers, the figures derived from them, and the
// alerts and weekly summary they give. Pure.
import { addDays } from "./calendar";

export interface SnapshotRow {
  /** Shop-local day, YYYY-MM-DD. */
  day: string;
  segment: string;
  size: number;
  entries: number;
  exits: number;
  orders: number;
  revenueMinor: number;
  buyers: number;
  repeatMembers: number;
}

/** Average order value (minor units) and repeat rate (share of members with 2+ orders); null when undefined. */
export function derivedFigures(row: SnapshotRow): { averageOrderValueMinor: number | null; repeatRate: number | null } {
  return {
    averageOrderValueMinor: row.orders > 0 ? row.revenueMinor / row.orders : null,
    repeatRate: row.size > 0 ? row.repeatMembers / row.size : null,
  };
}

export interface SegmentAlert {
  segment: string;
  from: { day: string; size: number };
  to: { day: string; size: number };
  /** Relative change of the size, e.g. 0.35 for +35 %. */
  change: number;
  direction: "grew" | "shrank";
}

/**
 * Segments whose size changed by at least `threshold` (a share) between the
 * latest day and `windowDays` before it. Segments smaller than `minSize` at
 * the start are left out: 2 customers becoming 3 is not news.
 */
export function segmentAlerts(
  rows: readonly SnapshotRow[],
  options: { threshold: number; minSize: number; windowDays: number },
): SegmentAlert[] {
  if (rows.length === 0) return [];
  const latest = rows.reduce((max, r) => (r.day > max ? r.day : max), rows[0].day);
  const earliest = addDays(latest, -options.windowDays);
  const at = (segment: string, day: string) => rows.find((r) => r.segment === segment && r.day === day);
  const alerts: SegmentAlert[] = [];
  for (const segment of [...new Set(rows.map((r) => r.segment))].sort()) {
    const now = at(segment, latest);
    const before = at(segment, earliest);
    if (!before || before.size < options.minSize) continue;
    const size = now?.size ?? 0;
    const change = (size - before.size) / before.size;
    if (Math.abs(change) < options.threshold) continue;
    alerts.push({
      segment,
      from: { day: earliest, size: before.size },
      to: { day: latest, size },
      change,
      direction: change > 0 ? "grew" : "shrank",
    });
  }
  return alerts.sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
}

export interface WeeklySegmentSummary {
  segment: string;
  size: number;
  sizeWeekAgo: number | null;
  entries: number;
  exits: number;
  orders: number;
  revenueMinor: number;
}

/**
 * The segments that moved most in a summary: by the size's change over the
 * week, then by entries and exits; segments nobody entered or left and whose
 * size stayed are left out.
 */
export function biggestMovements(segments: readonly WeeklySegmentSummary[], limit = 5): WeeklySegmentSummary[] {
  const net = (s: WeeklySegmentSummary) => Math.abs(s.size - (s.sizeWeekAgo ?? s.size));
  return segments
    .filter((s) => net(s) > 0 || s.entries + s.exits > 0)
    .sort(
      (a, b) => net(b) - net(a) || b.entries + b.exits - (a.entries + a.exits) || a.segment.localeCompare(b.segment),
    )
    .slice(0, limit);
}

/** The last `days` days (ending with the latest snapshot day) per segment. */
export function weeklySummary(
  rows: readonly SnapshotRow[],
  days = 7,
): { from: string; to: string; segments: WeeklySegmentSummary[] } | null {
  if (rows.length === 0) return null;
  const to = rows.reduce((max, r) => (r.day > max ? r.day : max), rows[0].day);
  const from = addDays(to, -(days - 1));
  const bySegment = new Map<string, WeeklySegmentSummary>();
  for (const row of rows) {
    let s = bySegment.get(row.segment);
    if (!s)
      bySegment.set(
        row.segment,
        (s = { segment: row.segment, size: 0, sizeWeekAgo: null, entries: 0, exits: 0, orders: 0, revenueMinor: 0 }),
      );
    if (row.day === to) s.size = row.size;
    if (row.day === addDays(from, -1)) s.sizeWeekAgo = row.size;
    if (row.day >= from && row.day <= to) {
      s.entries += row.entries;
      s.exits += row.exits;
      s.orders += row.orders;
      s.revenueMinor += row.revenueMinor;
    }
  }
  return { from, to, segments: [...bySegment.values()].sort((a, b) => a.segment.localeCompare(b.segment)) };
}
