-- CreateTable
CREATE TABLE "SegmentSnapshot" (
    "shopId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "segment" TEXT NOT NULL,
    "dayStartAt" TIMESTAMP(3) NOT NULL,
    "asOf" TIMESTAMP(3) NOT NULL,
    "size" INTEGER NOT NULL,
    "entries" INTEGER NOT NULL,
    "exits" INTEGER NOT NULL,
    "orders" INTEGER NOT NULL,
    "revenueMinor" BIGINT NOT NULL,
    "buyers" INTEGER NOT NULL,
    "repeatMembers" INTEGER NOT NULL,
    "takenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SegmentSnapshot_pkey" PRIMARY KEY ("shopId","day","segment")
);

-- CreateIndex
CREATE INDEX "SegmentSnapshot_shopId_segment_day_idx" ON "SegmentSnapshot"("shopId", "segment", "day");
