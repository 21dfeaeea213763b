-- Feature slices are stored in parts of about 1 MB (docs/decisions/010-recompute-flow.md):
-- PostgreSQL stores one 15 MB value several times slower than the same bytes
-- in 1 MB values. The table only holds transient hand-overs between the jobs of
-- a running recompute; a chunk that finds no slice reads its orders instead.
ALTER TABLE "RecomputeSlice" ADD COLUMN "part" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "RecomputeSlice" DROP CONSTRAINT "RecomputeSlice_pkey";
ALTER TABLE "RecomputeSlice" ADD CONSTRAINT "RecomputeSlice_pkey" PRIMARY KEY ("runId", "index", "part");
