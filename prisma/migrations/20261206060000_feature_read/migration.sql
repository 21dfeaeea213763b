-- The last read of a shop's orders whose feature slices a recompute keeps for
-- the next one, used when the shop's orders and customers have not changed
-- since (ADR 051).
CREATE TABLE "FeatureRead" (
    "shopId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "readAt" TIMESTAMP(3) NOT NULL,
    "timeZone" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "ranges" JSONB NOT NULL,
    "customers" INTEGER NOT NULL,
    "orders" INTEGER NOT NULL,

    CONSTRAINT "FeatureRead_pkey" PRIMARY KEY ("shopId")
);
