-- A kept read is patched with the customers whose data changed instead of
-- read again (ADR 065): it keeps the guest orders' part of the shop's
-- statistics (the customers' parts are summed from its slices), and when it
-- was last brought up to date, which is what expires it now.
ALTER TABLE "FeatureRead" ADD COLUMN "guestStats" JSONB;
ALTER TABLE "FeatureRead" ADD COLUMN "verifiedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- The reads kept before hold features of the previous version (FEATURE_VERSION 1)
-- and no guest part: forgotten with their slices; each shop's next recompute reads its orders.
WITH gone AS (DELETE FROM "FeatureRead" RETURNING "runId")
DELETE FROM "RecomputeSlice" WHERE "runId" IN (SELECT "runId" FROM gone);
