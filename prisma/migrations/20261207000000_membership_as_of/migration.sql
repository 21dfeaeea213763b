-- The instant each membership row's segments were computed as of (ADR 060): a
-- reason is written out when it is read, by the same assigner at that instant
-- (or at the shop's model's, when newer). Null for rows stored before: they
-- are read as of the model's instant, which every full recompute sets.
ALTER TABLE "SegmentMembership" ADD COLUMN "asOf" TIMESTAMP(3);
