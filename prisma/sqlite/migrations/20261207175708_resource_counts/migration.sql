-- CreateTable
CREATE TABLE "ResourceCount" (
    "tenantId" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "shard" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("tenantId", "resource", "shard")
);

-- CreateIndex
CREATE INDEX "User_userName_idx" ON "User"("userName");

-- The counts of the rows there are, then a trigger per insert and delete that keeps them in the
-- writing transaction. SQLite has one writer at a time, so one row per tenant and resource.
INSERT INTO "ResourceCount" ("tenantId", "resource", "shard", "count")
SELECT "tenantId", 'User', 0, COUNT(*) FROM "User" GROUP BY "tenantId";

INSERT INTO "ResourceCount" ("tenantId", "resource", "shard", "count")
SELECT "tenantId", 'Group', 0, COUNT(*) FROM "Group" GROUP BY "tenantId";

CREATE TRIGGER "User_counted_insert" AFTER INSERT ON "User" BEGIN
    INSERT INTO "ResourceCount" ("tenantId", "resource", "shard", "count") VALUES (NEW."tenantId", 'User', 0, 1)
    ON CONFLICT ("tenantId", "resource", "shard") DO UPDATE SET "count" = "count" + 1;
END;

CREATE TRIGGER "User_counted_delete" AFTER DELETE ON "User" BEGIN
    UPDATE "ResourceCount" SET "count" = "count" - 1 WHERE "tenantId" = OLD."tenantId" AND "resource" = 'User' AND "shard" = 0;
END;

CREATE TRIGGER "Group_counted_insert" AFTER INSERT ON "Group" BEGIN
    INSERT INTO "ResourceCount" ("tenantId", "resource", "shard", "count") VALUES (NEW."tenantId", 'Group', 0, 1)
    ON CONFLICT ("tenantId", "resource", "shard") DO UPDATE SET "count" = "count" + 1;
END;

CREATE TRIGGER "Group_counted_delete" AFTER DELETE ON "Group" BEGIN
    UPDATE "ResourceCount" SET "count" = "count" - 1 WHERE "tenantId" = OLD."tenantId" AND "resource" = 'Group' AND "shard" = 0;
END;
