-- CreateTable
CREATE TABLE "ResourceCount" (
    "tenantId" TEXT COLLATE "C" NOT NULL,
    "resource" TEXT COLLATE "C" NOT NULL,
    "shard" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "ResourceCount_pkey" PRIMARY KEY ("tenantId","resource","shard")
);

-- CreateIndex
CREATE INDEX "User_userName_idx" ON "User"("userName");

-- The counts of the rows there are, then triggers that keep them in the writing transaction.
-- Each statement adds its rows to one of 16 shards per tenant and resource, picked at random, so
-- that concurrent writers in one tenant seldom wait for the same row; a statement-level trigger
-- with the statement's rows as a table costs one upsert per statement, however many rows it wrote.
INSERT INTO "ResourceCount" ("tenantId", "resource", "shard", "count")
SELECT "tenantId", 'User', 0, COUNT(*) FROM "User" GROUP BY "tenantId";

INSERT INTO "ResourceCount" ("tenantId", "resource", "shard", "count")
SELECT "tenantId", 'Group', 0, COUNT(*) FROM "Group" GROUP BY "tenantId";

CREATE FUNCTION "count_resources"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "ResourceCount" ("tenantId", "resource", "shard", "count")
    SELECT "tenantId", TG_TABLE_NAME, floor(random() * 16)::int, CASE TG_OP WHEN 'INSERT' THEN COUNT(*) ELSE -COUNT(*) END
    FROM "changed" GROUP BY "tenantId"
    ON CONFLICT ("tenantId", "resource", "shard") DO UPDATE SET "count" = "ResourceCount"."count" + EXCLUDED."count";
    RETURN NULL;
END
$$;

CREATE TRIGGER "User_counted_insert" AFTER INSERT ON "User" REFERENCING NEW TABLE AS "changed" FOR EACH STATEMENT EXECUTE FUNCTION "count_resources"();
CREATE TRIGGER "User_counted_delete" AFTER DELETE ON "User" REFERENCING OLD TABLE AS "changed" FOR EACH STATEMENT EXECUTE FUNCTION "count_resources"();
CREATE TRIGGER "Group_counted_insert" AFTER INSERT ON "Group" REFERENCING NEW TABLE AS "changed" FOR EACH STATEMENT EXECUTE FUNCTION "count_resources"();
CREATE TRIGGER "Group_counted_delete" AFTER DELETE ON "Group" REFERENCING OLD TABLE AS "changed" FOR EACH STATEMENT EXECUTE FUNCTION "count_resources"();
