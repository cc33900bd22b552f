-- CreateTable
CREATE TABLE "Event" (
    "tenantId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "resourceType" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "payload" TEXT NOT NULL,

    PRIMARY KEY ("tenantId", "sequence"),
    CONSTRAINT "Event_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Subscription" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "url" TEXT,
    "types" TEXT NOT NULL DEFAULT '',
    "secret" TEXT NOT NULL,
    "audience" TEXT,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "cursor" INTEGER NOT NULL,
    "retryForSeconds" INTEGER NOT NULL,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Subscription_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PendingDelivery" (
    "tenantId" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "resourceId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "firstAttemptAt" DATETIME,
    "nextAttemptAt" DATETIME NOT NULL,
    "lastError" TEXT,

    PRIMARY KEY ("subscriptionId", "sequence"),
    CONSTRAINT "PendingDelivery_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DeliveryAttempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tenantId" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "eventId" TEXT NOT NULL,
    "attemptedAt" DATETIME NOT NULL,
    "status" INTEGER,
    "durationMs" INTEGER NOT NULL,
    "error" TEXT,
    "outcome" TEXT NOT NULL,
    CONSTRAINT "DeliveryAttempt_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Event_id_key" ON "Event"("id");

-- CreateIndex
CREATE INDEX "Event_occurredAt_idx" ON "Event"("occurredAt");

-- CreateIndex
CREATE INDEX "Subscription_tenantId_idx" ON "Subscription"("tenantId");

-- CreateIndex
CREATE INDEX "PendingDelivery_subscriptionId_state_nextAttemptAt_idx" ON "PendingDelivery"("subscriptionId", "state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "PendingDelivery_subscriptionId_resourceId_sequence_idx" ON "PendingDelivery"("subscriptionId", "resourceId", "sequence");

-- CreateIndex
CREATE INDEX "DeliveryAttempt_subscriptionId_id_idx" ON "DeliveryAttempt"("subscriptionId", "id");

-- CreateIndex
CREATE INDEX "DeliveryAttempt_attemptedAt_idx" ON "DeliveryAttempt"("attemptedAt");
