-- CreateTable
CREATE TABLE "Customer" (
    "shopId" TEXT NOT NULL,
    "id" BIGINT NOT NULL,
    "shopifyCreatedAt" TIMESTAMP(3),
    "appTags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "tagCount" INTEGER NOT NULL DEFAULT 0,
    "emailMarketing" TEXT,
    "shopifyUpdatedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("shopId","id")
);

-- CreateTable
CREATE TABLE "Order" (
    "shopId" TEXT NOT NULL,
    "id" BIGINT NOT NULL,
    "customerId" BIGINT,
    "processedAt" TIMESTAMP(3) NOT NULL,
    "cancelledAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3) NOT NULL,
    "currency" TEXT NOT NULL,
    "totalMinor" INTEGER NOT NULL,
    "subtotalMinor" INTEGER,
    "discountMinor" INTEGER,
    "refundedMinor" INTEGER NOT NULL DEFAULT 0,
    "fullyRefunded" BOOLEAN NOT NULL DEFAULT false,
    "discountCodes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "itemQuantity" INTEGER,
    "lineCount" INTEGER,
    "productIds" BIGINT[] DEFAULT ARRAY[]::BIGINT[],
    "productTypes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "avgUnitPriceMinor" INTEGER,
    "shippingMinor" INTEGER,
    "expressShipping" BOOLEAN,
    "utmSource" TEXT,
    "utmMedium" TEXT,
    "utmCampaign" TEXT,
    "referrerDomain" TEXT,
    "sourceName" TEXT,
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("shopId","id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "shopDomain" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "error" TEXT,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("shopDomain","eventId")
);

-- CreateTable
CREATE TABLE "ShopModel" (
    "shopId" TEXT NOT NULL,
    "cutoffs" JSONB NOT NULL,
    "fittedAt" TIMESTAMP(3) NOT NULL,
    "asOf" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopModel_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "CustomerFeatures" (
    "shopId" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "features" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerFeatures_pkey" PRIMARY KEY ("shopId","customerId")
);

-- CreateTable
CREATE TABLE "SegmentMembership" (
    "shopId" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "segment" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SegmentMembership_pkey" PRIMARY KEY ("shopId","customerId","segment")
);

-- CreateTable
CREATE TABLE "SegmentTransition" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "segment" TEXT NOT NULL,
    "change" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT,

    CONSTRAINT "SegmentTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "record" JSONB NOT NULL,

    CONSTRAINT "DataRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Order_shopId_customerId_idx" ON "Order"("shopId", "customerId");

-- CreateIndex
CREATE INDEX "Order_shopId_shopifyUpdatedAt_idx" ON "Order"("shopId", "shopifyUpdatedAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_shopDomain_receivedAt_idx" ON "WebhookEvent"("shopDomain", "receivedAt");

-- CreateIndex
CREATE INDEX "SegmentMembership_shopId_segment_idx" ON "SegmentMembership"("shopId", "segment");

-- CreateIndex
CREATE INDEX "SegmentTransition_shopId_at_idx" ON "SegmentTransition"("shopId", "at");

-- CreateIndex
CREATE INDEX "SegmentTransition_shopId_customerId_idx" ON "SegmentTransition"("shopId", "customerId");

-- CreateIndex
CREATE INDEX "DataRequest_shopDomain_idx" ON "DataRequest"("shopDomain");
