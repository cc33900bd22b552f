-- CreateTable
CREATE TABLE "Tenant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "patchReturn" TEXT NOT NULL DEFAULT 'representation'
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Credential" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "secretHash" TEXT,
    "subject" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME,
    "revokedAt" DATETIME
);

-- CreateTable
CREATE TABLE "User" (
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
    "active" BOOLEAN NOT NULL DEFAULT true,
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

-- CreateTable
CREATE TABLE "UserValue" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tenantId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "attr" TEXT NOT NULL,
    "pos" INTEGER NOT NULL,
    "value" TEXT,
    "display" TEXT,
    "type" TEXT,
    "primary" BOOLEAN NOT NULL DEFAULT false,
    "formatted" TEXT,
    "streetAddress" TEXT,
    "locality" TEXT,
    "region" TEXT,
    "postalCode" TEXT,
    "country" TEXT,
    CONSTRAINT "UserValue_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Group" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created" DATETIME NOT NULL,
    "lastModified" DATETIME NOT NULL,
    "displayName" TEXT NOT NULL,
    "externalId" TEXT,
    "doc" TEXT NOT NULL,
    CONSTRAINT "Group_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "GroupMember" (
    "tenantId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "display" TEXT,
    "userId" TEXT,
    "memberGroupId" TEXT,

    PRIMARY KEY ("groupId", "memberId"),
    CONSTRAINT "GroupMember_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "GroupMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "GroupMember_memberGroupId_fkey" FOREIGN KEY ("memberGroupId") REFERENCES "Group" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Tenant_name_key" ON "Tenant"("name");

-- CreateIndex
CREATE INDEX "Credential_tenantId_idx" ON "Credential"("tenantId");

-- CreateIndex
CREATE INDEX "User_tenantId_id_idx" ON "User"("tenantId", "id");

-- CreateIndex
CREATE INDEX "User_tenantId_externalId_idx" ON "User"("tenantId", "externalId");

-- CreateIndex
CREATE INDEX "User_tenantId_displayName_id_idx" ON "User"("tenantId", "displayName", "id");

-- CreateIndex
CREATE INDEX "User_tenantId_familyName_id_idx" ON "User"("tenantId", "familyName", "id");

-- CreateIndex
CREATE INDEX "User_tenantId_givenName_id_idx" ON "User"("tenantId", "givenName", "id");

-- CreateIndex
CREATE INDEX "User_tenantId_created_id_idx" ON "User"("tenantId", "created", "id");

-- CreateIndex
CREATE INDEX "User_tenantId_lastModified_id_idx" ON "User"("tenantId", "lastModified", "id");

-- CreateIndex
CREATE INDEX "User_tenantId_managerId_idx" ON "User"("tenantId", "managerId");

-- CreateIndex
CREATE INDEX "User_tenantId_emailsPrimary_id_idx" ON "User"("tenantId", "emailsPrimary", "id");

-- CreateIndex
CREATE UNIQUE INDEX "User_tenantId_userName_key" ON "User"("tenantId", "userName");

-- CreateIndex
CREATE INDEX "UserValue_tenantId_attr_value_idx" ON "UserValue"("tenantId", "attr", "value");

-- CreateIndex
CREATE INDEX "UserValue_userId_attr_idx" ON "UserValue"("userId", "attr");

-- CreateIndex
CREATE INDEX "Group_tenantId_id_idx" ON "Group"("tenantId", "id");

-- CreateIndex
CREATE INDEX "Group_tenantId_externalId_idx" ON "Group"("tenantId", "externalId");

-- CreateIndex
CREATE INDEX "Group_tenantId_created_id_idx" ON "Group"("tenantId", "created", "id");

-- CreateIndex
CREATE INDEX "Group_tenantId_lastModified_id_idx" ON "Group"("tenantId", "lastModified", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Group_tenantId_displayName_key" ON "Group"("tenantId", "displayName");

-- CreateIndex
CREATE INDEX "GroupMember_tenantId_memberId_idx" ON "GroupMember"("tenantId", "memberId");

-- CreateIndex
CREATE INDEX "GroupMember_userId_idx" ON "GroupMember"("userId");

-- CreateIndex
CREATE INDEX "GroupMember_memberGroupId_idx" ON "GroupMember"("memberGroupId");
