-- Order money columns from 32-bit INTEGER to BIGINT: 2^31 - 1 minor units is
-- only 21,474,836.47 in a two-decimal currency, and one larger order failed a
-- whole backfill batch. Widening keeps every stored value. One ALTER TABLE
-- rewrites the table once (not once per column); it holds an exclusive lock on
-- "Order" for the rewrite (about a minute per few million rows), so run it
-- with the workers stopped.
ALTER TABLE "Order" ALTER COLUMN "totalMinor" SET DATA TYPE BIGINT,
ALTER COLUMN "subtotalMinor" SET DATA TYPE BIGINT,
ALTER COLUMN "discountMinor" SET DATA TYPE BIGINT,
ALTER COLUMN "refundedMinor" SET DATA TYPE BIGINT,
ALTER COLUMN "avgUnitPriceMinor" SET DATA TYPE BIGINT,
ALTER COLUMN "shippingMinor" SET DATA TYPE BIGINT;
