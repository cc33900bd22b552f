-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Tenant" (
    "id" TEXT COLLATE "C" NOT NULL,
    "name" TEXT COLLATE "C" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "patchReturn" TEXT COLLATE "C" NOT NULL DEFAULT 'representation',

    CONSTRAINT "Tenant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT COLLATE "C" NOT NULL,
    "value" TEXT COLLATE "C" NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Credential" (
    "id" TEXT COLLATE "C" NOT NULL,
    "tenantId" TEXT COLLATE "C" NOT NULL,
    "kind" TEXT COLLATE "C" NOT NULL,
    "scopes" TEXT COLLATE "C" NOT NULL,
    "secretHash" TEXT COLLATE "C",
    "subject" TEXT COLLATE "C",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "Credential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT COLLATE "C" NOT NULL,
    "tenantId" TEXT COLLATE "C" NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created" TIMESTAMP(3) NOT NULL,
    "lastModified" TIMESTAMP(3) NOT NULL,
    "userName" TEXT COLLATE "C" NOT NULL,
    "externalId" TEXT COLLATE "C",
    "displayName" TEXT COLLATE "C",
    "nameFormatted" TEXT COLLATE "C",
    "familyName" TEXT COLLATE "C",
    "givenName" TEXT COLLATE "C",
    "middleName" TEXT COLLATE "C",
    "honorificPrefix" TEXT COLLATE "C",
    "honorificSuffix" TEXT COLLATE "C",
    "nickName" TEXT COLLATE "C",
    "profileUrl" TEXT COLLATE "C",
    "title" TEXT COLLATE "C",
    "userType" TEXT COLLATE "C",
    "preferredLanguage" TEXT COLLATE "C",
    "locale" TEXT COLLATE "C",
    "timezone" TEXT COLLATE "C",
    "active" BOOLEAN NOT NULL DEFAULT true,
    "employeeNumber" TEXT COLLATE "C",
    "costCenter" TEXT COLLATE "C",
    "organization" TEXT COLLATE "C",
    "division" TEXT COLLATE "C",
    "department" TEXT COLLATE "C",
    "managerId" TEXT COLLATE "C",
    "emailsPrimary" TEXT COLLATE "C",
    "phoneNumbersPrimary" TEXT COLLATE "C",
    "imsPrimary" TEXT COLLATE "C",
    "photosPrimary" TEXT COLLATE "C",
    "addressesPrimary" TEXT COLLATE "C",
    "entitlementsPrimary" TEXT COLLATE "C",
    "rolesPrimary" TEXT COLLATE "C",
    "x509CertificatesPrimary" TEXT COLLATE "C",
    "passwordHash" TEXT COLLATE "C",
    "doc" TEXT COLLATE "C" NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserValue" (
    "id" SERIAL NOT NULL,
    "tenantId" TEXT COLLATE "C" NOT NULL,
    "userId" TEXT COLLATE "C" NOT NULL,
    "attr" TEXT COLLATE "C" NOT NULL,
    "pos" INTEGER NOT NULL,
    "value" TEXT COLLATE "C",
    "display" TEXT COLLATE "C",
    "type" TEXT COLLATE "C",
    "primary" BOOLEAN NOT NULL DEFAULT false,
    "formatted" TEXT COLLATE "C",
    "streetAddress" TEXT COLLATE "C",
    "locality" TEXT COLLATE "C",
    "region" TEXT COLLATE "C",
    "postalCode" TEXT COLLATE "C",
    "country" TEXT COLLATE "C",

    CONSTRAINT "UserValue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Group" (
    "id" TEXT COLLATE "C" NOT NULL,
    "tenantId" TEXT COLLATE "C" NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created" TIMESTAMP(3) NOT NULL,
    "lastModified" TIMESTAMP(3) NOT NULL,
    "displayName" TEXT COLLATE "C" NOT NULL,
    "externalId" TEXT COLLATE "C",
    "doc" TEXT COLLATE "C" NOT NULL,

    CONSTRAINT "Group_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupMember" (
    "tenantId" TEXT COLLATE "C" NOT NULL,
    "groupId" TEXT COLLATE "C" NOT NULL,
    "memberId" TEXT COLLATE "C" NOT NULL,
    "type" TEXT COLLATE "C" NOT NULL,
    "display" TEXT COLLATE "C",
    "userId" TEXT COLLATE "C",
    "memberGroupId" TEXT COLLATE "C",

    CONSTRAINT "GroupMember_pkey" PRIMARY KEY ("groupId","memberId")
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

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserValue" ADD CONSTRAINT "UserValue_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Group" ADD CONSTRAINT "Group_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupMember" ADD CONSTRAINT "GroupMember_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupMember" ADD CONSTRAINT "GroupMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupMember" ADD CONSTRAINT "GroupMember_memberGroupId_fkey" FOREIGN KEY ("memberGroupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;
