-- CreateTable
CREATE TABLE "PendingMetafields" (
    "shopId" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "values" JSONB NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "PendingMetafields_pkey" PRIMARY KEY ("shopId","customerId")
);
