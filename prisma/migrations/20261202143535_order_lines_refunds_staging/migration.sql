-- Order: what applying a refunds/create payload needs without asking Shopify
-- (the line items behind the aggregates, the refunds already included) and
-- whether a visit was recorded (direct traffic vs unknown acquisition).
-- Columns without a volatile default: no table rewrite. Existing rows keep
-- NULL lines and visitRecorded (a refund on such a row refetches the order).
ALTER TABLE "Order" ADD COLUMN     "lines" JSONB,
ADD COLUMN     "refundIds" BIGINT[] DEFAULT ARRAY[]::BIGINT[],
ADD COLUMN     "visitRecorded" BOOLEAN;

-- Product types per product (REST line items carry none): looked up once.
CREATE TABLE "ProductType" (
    "shopId" TEXT NOT NULL,
    "productId" BIGINT NOT NULL,
    "productType" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProductType_pkey" PRIMARY KEY ("shopId","productId")
);

-- UNLOGGED: the lines of a bulk export staged for one import (joined by
-- __parentId in PostgreSQL, then deleted). Nothing in it must survive a
-- database crash: an interrupted import downloads the export again.
CREATE UNLOGGED TABLE "BulkExportLine" (
    "runId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "line" BIGSERIAL NOT NULL,
    "body" JSONB NOT NULL,

    CONSTRAINT "BulkExportLine_pkey" PRIMARY KEY ("runId","line")
);
