-- The scores of each customer's RFM segment as data (ADR 060): r * 100 + f * 10 + m,
-- null for customers without one (no orders, "rfm/prospects").
ALTER TABLE "SegmentMembership" ADD COLUMN "rfmScores" SMALLINT;

-- Rows stored before: the scores their RFM reason states ("R r F f M m (FM x): ..."),
-- read at the fixed places the RFM grid read them from until now.
UPDATE "SegmentMembership" m
SET "rfmScores" = r.scores
FROM (
  SELECT x."shopId", x."customerId",
         (substr(u.reason, 3, 1)::int * 100 + substr(u.reason, 7, 1)::int * 10 + substr(u.reason, 11, 1)::int)::smallint AS scores
  FROM "SegmentMembership" x CROSS JOIN LATERAL unnest(x.segments, x.reasons) u(segment, reason)
  WHERE u.segment LIKE 'rfm/%' AND u.segment <> 'rfm/prospects' AND u.reason ~ '^R [1-5] F [1-5] M [1-5] '
) r
WHERE m."shopId" = r."shopId" AND m."customerId" = r."customerId";
