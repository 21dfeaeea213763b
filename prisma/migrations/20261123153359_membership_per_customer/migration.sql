-- SegmentMembership becomes one row per customer: its segments, their reasons
-- and entry dates as parallel arrays, sorted by segment (ADR 012). Existing
-- memberships are carried over; their tags stay NULL (unknown) until the
-- next computation, and the write-back leaves such customers alone.
CREATE TABLE "SegmentMembership_next" (
    "shopId" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reasons" TEXT[],
    "segments" TEXT[],
    "sinceDay" INTEGER[],
    "tags" TEXT[],

    CONSTRAINT "SegmentMembership_next_pkey" PRIMARY KEY ("shopId", "customerId")
);

INSERT INTO "SegmentMembership_next" ("shopId", "customerId", "computedAt", "reasons", "segments", "sinceDay")
SELECT "shopId", "customerId", max("since"),
       array_agg("reason" ORDER BY "segment"), array_agg("segment" ORDER BY "segment"), array_agg(floor(extract(epoch from "since") / 86400)::int ORDER BY "segment")
FROM "SegmentMembership"
GROUP BY "shopId", "customerId";

DROP TABLE "SegmentMembership";
ALTER TABLE "SegmentMembership_next" RENAME TO "SegmentMembership";
ALTER TABLE "SegmentMembership" RENAME CONSTRAINT "SegmentMembership_next_pkey" TO "SegmentMembership_pkey";

-- CreateTable: UNLOGGED, a transient hand-over between the jobs of one
-- recompute (no WAL for hundreds of megabytes of features); a chunk whose
-- slice was lost in a crash reads its customers' orders instead.
CREATE UNLOGGED TABLE "RecomputeSlice" (
    "runId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "features" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecomputeSlice_pkey" PRIMARY KEY ("runId","index")
);
-- Stored out of line without compression: the bytes are mostly typed arrays,
-- and compressing hundreds of megabytes per recompute costs more than it saves.
ALTER TABLE "RecomputeSlice" ALTER COLUMN "features" SET STORAGE EXTERNAL;
