-- CreateTable
CREATE TABLE "AdminCredential" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "secretHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ProvisioningRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tenantId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "surface" TEXT NOT NULL,
    "client" TEXT NOT NULL,
    "userAgent" TEXT,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "scimType" TEXT,
    "detail" TEXT,
    "durationMs" REAL NOT NULL,
    "resourceType" TEXT,
    "resourceId" TEXT,
    "requestBody" TEXT,
    "responseBody" TEXT,
    "bytes" INTEGER NOT NULL,
    CONSTRAINT "ProvisioningRequest_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ProvisioningRequest_tenantId_id_idx" ON "ProvisioningRequest"("tenantId", "id");

-- CreateIndex
CREATE INDEX "ProvisioningRequest_tenantId_status_id_idx" ON "ProvisioningRequest"("tenantId", "status", "id");

-- CreateIndex
CREATE INDEX "ProvisioningRequest_tenantId_resourceId_id_idx" ON "ProvisioningRequest"("tenantId", "resourceId", "id");

-- CreateIndex
CREATE INDEX "ProvisioningRequest_at_idx" ON "ProvisioningRequest"("at");
