-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created" DATETIME NOT NULL,
    "lastModified" DATETIME NOT NULL,
    "userName" TEXT NOT NULL,
    "externalId" TEXT,
    "displayName" TEXT,
    "nameFormatted" TEXT,
    "familyName" TEXT,
    "givenName" TEXT,
    "middleName" TEXT,
    "honorificPrefix" TEXT,
    "honorificSuffix" TEXT,
    "nickName" TEXT,
    "profileUrl" TEXT,
    "title" TEXT,
    "userType" TEXT,
    "preferredLanguage" TEXT,
    "locale" TEXT,
    "timezone" TEXT,
    "active" BOOLEAN,
    "employeeNumber" TEXT,
    "costCenter" TEXT,
    "organization" TEXT,
    "division" TEXT,
    "department" TEXT,
    "managerId" TEXT,
    "emailsPrimary" TEXT,
    "phoneNumbersPrimary" TEXT,
    "imsPrimary" TEXT,
    "photosPrimary" TEXT,
    "addressesPrimary" TEXT,
    "entitlementsPrimary" TEXT,
    "rolesPrimary" TEXT,
    "x509CertificatesPrimary" TEXT,
    "passwordHash" TEXT,
    "doc" TEXT NOT NULL,
    CONSTRAINT "User_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_User" ("active", "addressesPrimary", "costCenter", "created", "department", "displayName", "division", "doc", "emailsPrimary", "employeeNumber", "entitlementsPrimary", "externalId", "familyName", "givenName", "honorificPrefix", "honorificSuffix", "id", "imsPrimary", "lastModified", "locale", "managerId", "middleName", "nameFormatted", "nickName", "organization", "passwordHash", "phoneNumbersPrimary", "photosPrimary", "preferredLanguage", "profileUrl", "rolesPrimary", "tenantId", "timezone", "title", "userName", "userType", "version", "x509CertificatesPrimary") SELECT "active", "addressesPrimary", "costCenter", "created", "department", "displayName", "division", "doc", "emailsPrimary", "employeeNumber", "entitlementsPrimary", "externalId", "familyName", "givenName", "honorificPrefix", "honorificSuffix", "id", "imsPrimary", "lastModified", "locale", "managerId", "middleName", "nameFormatted", "nickName", "organization", "passwordHash", "phoneNumbersPrimary", "photosPrimary", "preferredLanguage", "profileUrl", "rolesPrimary", "tenantId", "timezone", "title", "userName", "userType", "version", "x509CertificatesPrimary" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE INDEX "User_tenantId_id_idx" ON "User"("tenantId", "id");
CREATE INDEX "User_tenantId_externalId_idx" ON "User"("tenantId", "externalId");
CREATE INDEX "User_tenantId_displayName_id_idx" ON "User"("tenantId", "displayName", "id");
CREATE INDEX "User_tenantId_familyName_id_idx" ON "User"("tenantId", "familyName", "id");
CREATE INDEX "User_tenantId_givenName_id_idx" ON "User"("tenantId", "givenName", "id");
CREATE INDEX "User_tenantId_created_id_idx" ON "User"("tenantId", "created", "id");
CREATE INDEX "User_tenantId_lastModified_id_idx" ON "User"("tenantId", "lastModified", "id");
CREATE INDEX "User_tenantId_managerId_idx" ON "User"("tenantId", "managerId");
CREATE INDEX "User_tenantId_emailsPrimary_id_idx" ON "User"("tenantId", "emailsPrimary", "id");
CREATE UNIQUE INDEX "User_tenantId_userName_key" ON "User"("tenantId", "userName");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
