-- A slice belongs to one read of the orders: the fit step hands each chunk to
-- the queue as soon as its slice is stored (ADR 049), so a chunk job of a
-- failed fit attempt can still be waiting when a retried fit writes the run's
-- slices again, perhaps over other customer ranges. The chunk job asks for the
-- slice of its own read and, finding none, reads its range's orders. The table
-- only holds hand-overs between the jobs of running recomputes: those in
-- flight during this migration read their orders.
DELETE FROM "RecomputeSlice";
ALTER TABLE "RecomputeSlice" ADD COLUMN "readAt" TIMESTAMP(3) NOT NULL;
