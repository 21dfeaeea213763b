-- A membership row holds its segments, entry days, RFM scores and the instant
-- they were computed as of; the reasons are written out when read, by the
-- same assigner (ADR 060). A nightly recompute no longer rewrites a row whose
-- reasons alone moved (98% of a shop's rows every day).
ALTER TABLE "SegmentMembership" DROP COLUMN "reasons";
