-- The admin pages' shop-wide figures of a big shop, computed by the worker
-- (ADR 054).
CREATE TABLE "AdminFigures" (
    "shopId" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,
    "customers" INTEGER NOT NULL,
    "figures" JSONB NOT NULL,
    "stale" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "AdminFigures_pkey" PRIMARY KEY ("shopId")
);
