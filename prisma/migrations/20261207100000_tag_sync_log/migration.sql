-- The tag write-back's change log (ADR 066): once a shop's write-back has
-- compared every customer under its current tag settings, it compares only
-- the customers whose tags may have moved out of sync since, as logged here:
-- the memberships store logs the customers whose segments it changed (it is
-- their one writer), and PostgreSQL's triggers log the customers whose
-- recorded tags (Customer."appTags", "tagCount") or liveness ("deletedAt")
-- another writer changed, and those added or deleted. The write-back's own
-- record of the tags it applied is not logged (it leaves them in sync; it
-- logs again those it could not sync). A pass consumes the rows its snapshot
-- saw; rows committed later stay for the next one.
CREATE TABLE "TagSyncChange" (
    "id" BIGSERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "xid" xid8 NOT NULL DEFAULT pg_current_xact_id(),

    CONSTRAINT "TagSyncChange_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "TagSyncChange_shopId_idx" ON "TagSyncChange"("shopId");

-- The tag settings (a digest) the log is kept for: logging is on while it is set.
ALTER TABLE "Shop" ADD COLUMN "tagLogKey" TEXT;
-- Whether a pass that compared every customer under "tagLogKey" completed: only then may a pass compare the logged ones.
ALTER TABLE "Shop" ADD COLUMN "tagLogComplete" BOOLEAN NOT NULL DEFAULT false;

-- The write-back's own record of applied tags sets segments.tag_writer for its transaction: not logged.
CREATE FUNCTION "logTagSyncCustomer"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "Shop" WHERE id = NEW."shopId" AND "tagLogKey" IS NOT NULL) THEN
    INSERT INTO "TagSyncChange" ("shopId", "customerId") VALUES (NEW."shopId", NEW.id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Customer_tags_changed" AFTER UPDATE OF "appTags", "tagCount", "deletedAt" ON "Customer"
  FOR EACH ROW WHEN (
    coalesce(current_setting('segments.tag_writer', true), '') <> 'on'
    AND (OLD."appTags" IS DISTINCT FROM NEW."appTags" OR OLD."tagCount" IS DISTINCT FROM NEW."tagCount"
      OR OLD."deletedAt" IS DISTINCT FROM NEW."deletedAt"))
  EXECUTE FUNCTION "logTagSyncCustomer"();

-- Customers added or deleted: the statement triggers of ADR 064 log them for the tag write-back too.
CREATE OR REPLACE FUNCTION "logCustomerChanges"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "FeatureChange" ("shopId", "customerId")
    SELECT DISTINCT "shopId", id FROM new_rows c WHERE c."shopId" IN (SELECT id FROM "Shop" WHERE "logsFeatureChanges");
    IF coalesce(current_setting('segments.tag_writer', true), '') <> 'on' THEN
      INSERT INTO "TagSyncChange" ("shopId", "customerId")
      SELECT DISTINCT "shopId", id FROM new_rows c WHERE c."shopId" IN (SELECT id FROM "Shop" WHERE "tagLogKey" IS NOT NULL);
    END IF;
  ELSE
    INSERT INTO "FeatureChange" ("shopId", "customerId")
    SELECT DISTINCT "shopId", id FROM old_rows c WHERE c."shopId" IN (SELECT id FROM "Shop" WHERE "logsFeatureChanges");
    INSERT INTO "TagSyncChange" ("shopId", "customerId")
    SELECT DISTINCT "shopId", id FROM old_rows c WHERE c."shopId" IN (SELECT id FROM "Shop" WHERE "tagLogKey" IS NOT NULL);
  END IF;
  RETURN NULL;
END $$;

-- TRUNCATE logs no rows: every shop's next write-back compares every customer.
CREATE FUNCTION "forgetTagLogs"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Shop" SET "tagLogComplete" = false WHERE "tagLogComplete";
  RETURN NULL;
END $$;

CREATE TRIGGER "Customer_truncated_tags" AFTER TRUNCATE ON "Customer" FOR EACH STATEMENT EXECUTE FUNCTION "forgetTagLogs"();
CREATE TRIGGER "SegmentMembership_truncated" AFTER TRUNCATE ON "SegmentMembership" FOR EACH STATEMENT EXECUTE FUNCTION "forgetTagLogs"();
