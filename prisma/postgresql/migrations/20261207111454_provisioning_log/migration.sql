-- CreateTable
CREATE TABLE "AdminCredential" (
    "id" TEXT COLLATE "C" NOT NULL,
    "secretHash" TEXT COLLATE "C" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "AdminCredential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProvisioningRequest" (
    "id" SERIAL NOT NULL,
    "tenantId" TEXT COLLATE "C" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "surface" TEXT COLLATE "C" NOT NULL,
    "client" TEXT COLLATE "C" NOT NULL,
    "userAgent" TEXT COLLATE "C",
    "method" TEXT COLLATE "C" NOT NULL,
    "path" TEXT COLLATE "C" NOT NULL,
    "status" INTEGER NOT NULL,
    "scimType" TEXT COLLATE "C",
    "detail" TEXT COLLATE "C",
    "durationMs" DOUBLE PRECISION NOT NULL,
    "resourceType" TEXT COLLATE "C",
    "resourceId" TEXT COLLATE "C",
    "requestBody" TEXT COLLATE "C",
    "responseBody" TEXT COLLATE "C",
    "bytes" INTEGER NOT NULL,

    CONSTRAINT "ProvisioningRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProvisioningRequest_tenantId_id_idx" ON "ProvisioningRequest"("tenantId", "id");

-- CreateIndex
CREATE INDEX "ProvisioningRequest_tenantId_status_id_idx" ON "ProvisioningRequest"("tenantId", "status", "id");

-- CreateIndex
CREATE INDEX "ProvisioningRequest_tenantId_resourceId_id_idx" ON "ProvisioningRequest"("tenantId", "resourceId", "id");

-- CreateIndex
CREATE INDEX "ProvisioningRequest_at_idx" ON "ProvisioningRequest"("at");

-- AddForeignKey
ALTER TABLE "ProvisioningRequest" ADD CONSTRAINT "ProvisioningRequest_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
