-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Tenant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "patchReturn" TEXT NOT NULL DEFAULT 'representation',
    "compatApis" TEXT NOT NULL DEFAULT ''
);
INSERT INTO "new_Tenant" ("createdAt", "id", "name", "patchReturn") SELECT "createdAt", "id", "name", "patchReturn" FROM "Tenant";
DROP TABLE "Tenant";
ALTER TABLE "new_Tenant" RENAME TO "Tenant";
CREATE UNIQUE INDEX "Tenant_name_key" ON "Tenant"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- A tenant that was issued a compat API's credential (kind "jwt:<api>" or "key:<api>") uses that API.
UPDATE "Tenant" SET "compatApis" = COALESCE((
    SELECT group_concat("api", ',') FROM (
        SELECT DISTINCT substr("kind", instr("kind", ':') + 1) AS "api"
        FROM "Credential" WHERE "Credential"."tenantId" = "Tenant"."id" AND "kind" LIKE '%:%'
        ORDER BY "api"
    )
), '');
