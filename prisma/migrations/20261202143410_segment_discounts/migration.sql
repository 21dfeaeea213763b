-- CreateTable
CREATE TABLE "SegmentDiscount" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shopifyId" TEXT,
    "method" TEXT NOT NULL,
    "code" TEXT,
    "title" TEXT NOT NULL,
    "segments" TEXT[],
    "reward" JSONB NOT NULL,
    "minimumSubtotal" TEXT,
    "combinesWith" JSONB NOT NULL,
    "holdoutPercentage" DOUBLE PRECISION NOT NULL,
    "message" TEXT,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'active',
    "pausedReason" TEXT,
    "notice" JSONB,
    "configurationHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "SegmentDiscount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscountGroupMembership" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "discountId" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "group" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "until" TIMESTAMP(3),

    CONSTRAINT "DiscountGroupMembership_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SegmentDiscount_shopId_status_idx" ON "SegmentDiscount"("shopId", "status");

-- CreateIndex
CREATE INDEX "DiscountGroupMembership_shopId_discountId_customerId_idx" ON "DiscountGroupMembership"("shopId", "discountId", "customerId");

-- CreateIndex
CREATE INDEX "DiscountGroupMembership_shopId_customerId_idx" ON "DiscountGroupMembership"("shopId", "customerId");
