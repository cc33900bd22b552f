-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "compatApis" TEXT NOT NULL DEFAULT '';

-- A tenant that was issued a compat API's credential (kind "jwt:<api>" or "key:<api>") uses that API.
UPDATE "Tenant" SET "compatApis" = COALESCE((
    SELECT string_agg(DISTINCT split_part(c."kind", ':', 2), ',' ORDER BY split_part(c."kind", ':', 2))
    FROM "Credential" c WHERE c."tenantId" = "Tenant"."id" AND c."kind" LIKE '%:%'
), '');
