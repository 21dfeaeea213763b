-- CustomerFeatures was never filled: the recompute keeps features in memory
-- and in RecomputeSlice. Old processes only ran deletes on it (privacy jobs);
-- during a rolling deploy such a job fails on the missing table and is retried
-- by an upgraded worker, so dropping it needs no separate narrow release.
DROP TABLE "CustomerFeatures";
