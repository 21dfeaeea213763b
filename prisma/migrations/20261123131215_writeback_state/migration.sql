-- CreateTable
CREATE TABLE "CustomerWriteback" (
    "shopId" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "metafieldHash" TEXT,
    "cappedTags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerWriteback_pkey" PRIMARY KEY ("shopId","customerId")
);

-- CreateTable
CREATE TABLE "SegmentMirror" (
    "shopId" TEXT NOT NULL,
    "segment" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SegmentMirror_pkey" PRIMARY KEY ("shopId","segment")
);
