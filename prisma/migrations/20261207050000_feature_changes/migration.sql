-- What changed in the data a recompute's kept read depends on (ADR 064):
-- once a shop's first kept read is about to be taken ("logsFeatureChanges";
-- not during the install's backfill, which would log its every order),
-- PostgreSQL itself logs, per statement, the customers whose orders were
-- inserted, updated (both the old and the new customer of a reassigned order)
-- or deleted, and the customers added, deleted, or deleted or restored by
-- "deletedAt" (customer id 0: guest orders), with the writer's transaction
-- id. Every writer is covered (webhooks, backfill, reconciliation, erasure,
-- a psql session), and a change is in the log exactly when it is in a
-- snapshot: a read consumes the rows its snapshot sees
-- (pg_visible_in_snapshot), and the rows of changes committed after it stay
-- for the next recompute. This replaces the fingerprint of ADR 051 (a scan of
-- every order on every check).
CREATE TABLE "FeatureChange" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "xid" xid8 NOT NULL DEFAULT pg_current_xact_id(),

    CONSTRAINT "FeatureChange_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "FeatureChange_shopId_idx" ON "FeatureChange"("shopId");

ALTER TABLE "Shop" ADD COLUMN "logsFeatureChanges" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "FeatureRead" DROP COLUMN "fingerprint";
-- The snapshot of the read's transaction (pg_current_snapshot()), whose log rows it consumed.
ALTER TABLE "FeatureRead" ADD COLUMN "snapshot" TEXT NOT NULL DEFAULT '';
-- A kept read from before the log has no snapshot: forgotten, the next recompute reads the orders again.
DELETE FROM "RecomputeSlice" WHERE "runId" IN (SELECT "runId" FROM "FeatureRead");
DELETE FROM "FeatureRead";
ALTER TABLE "FeatureRead" ALTER COLUMN "snapshot" DROP DEFAULT;

CREATE FUNCTION "logOrderChanges"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "FeatureChange" ("shopId", "customerId")
    SELECT DISTINCT "shopId", coalesce("customerId", 0) FROM new_rows c WHERE c."shopId" IN (SELECT id FROM "Shop" WHERE "logsFeatureChanges");
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "FeatureChange" ("shopId", "customerId")
    SELECT DISTINCT "shopId", coalesce("customerId", 0) FROM old_rows c WHERE c."shopId" IN (SELECT id FROM "Shop" WHERE "logsFeatureChanges");
  ELSE
    INSERT INTO "FeatureChange" ("shopId", "customerId")
    SELECT "shopId", "customerId" FROM (
      SELECT "shopId", coalesce("customerId", 0) AS "customerId" FROM new_rows
      UNION SELECT "shopId", coalesce("customerId", 0) FROM old_rows) c
    WHERE c."shopId" IN (SELECT id FROM "Shop" WHERE "logsFeatureChanges");
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Order_inserted" AFTER INSERT ON "Order"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "logOrderChanges"();
CREATE TRIGGER "Order_updated" AFTER UPDATE ON "Order"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "logOrderChanges"();
CREATE TRIGGER "Order_deleted" AFTER DELETE ON "Order"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "logOrderChanges"();

CREATE FUNCTION "logCustomerChanges"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "FeatureChange" ("shopId", "customerId")
    SELECT DISTINCT "shopId", id FROM new_rows c WHERE c."shopId" IN (SELECT id FROM "Shop" WHERE "logsFeatureChanges");
  ELSE
    INSERT INTO "FeatureChange" ("shopId", "customerId")
    SELECT DISTINCT "shopId", id FROM old_rows c WHERE c."shopId" IN (SELECT id FROM "Shop" WHERE "logsFeatureChanges");
  END IF;
  RETURN NULL;
END $$;

-- A customer deleted or restored: one row at a time, and only where "deletedAt" changed (a statement trigger would
-- capture every row of the write-back's tag updates, which do not bear on the features).
CREATE FUNCTION "logCustomerLiveness"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "Shop" WHERE id = NEW."shopId" AND "logsFeatureChanges") THEN
    INSERT INTO "FeatureChange" ("shopId", "customerId") VALUES (NEW."shopId", NEW.id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Customer_inserted" AFTER INSERT ON "Customer"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "logCustomerChanges"();
CREATE TRIGGER "Customer_deleted" AFTER DELETE ON "Customer"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "logCustomerChanges"();
CREATE TRIGGER "Customer_liveness" AFTER UPDATE OF "deletedAt" ON "Customer"
  FOR EACH ROW WHEN (OLD."deletedAt" IS DISTINCT FROM NEW."deletedAt") EXECUTE FUNCTION "logCustomerLiveness"();

-- TRUNCATE logs no rows: every kept read is forgotten instead.
CREATE FUNCTION "forgetKeptReads"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "RecomputeSlice" WHERE "runId" IN (SELECT "runId" FROM "FeatureRead");
  DELETE FROM "FeatureRead";
  RETURN NULL;
END $$;

CREATE TRIGGER "Order_truncated" AFTER TRUNCATE ON "Order" FOR EACH STATEMENT EXECUTE FUNCTION "forgetKeptReads"();
CREATE TRIGGER "Customer_truncated" AFTER TRUNCATE ON "Customer" FOR EACH STATEMENT EXECUTE FUNCTION "forgetKeptReads"();
