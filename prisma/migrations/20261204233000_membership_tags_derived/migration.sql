-- SegmentMembership keeps no app tags (ADR 046): the write-back derives a
-- customer's desired tags from its segments under the shop's settings. The
-- column held nothing the segments and settings do not give.
ALTER TABLE "SegmentMembership" DROP COLUMN "tags";
