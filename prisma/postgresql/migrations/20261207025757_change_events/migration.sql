-- CreateTable
CREATE TABLE "Event" (
    "tenantId" TEXT COLLATE "C" NOT NULL,
    "sequence" INTEGER NOT NULL,
    "id" TEXT COLLATE "C" NOT NULL,
    "type" TEXT COLLATE "C" NOT NULL,
    "resourceType" TEXT COLLATE "C" NOT NULL,
    "resourceId" TEXT COLLATE "C" NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "payload" TEXT COLLATE "C" NOT NULL,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("tenantId","sequence")
);

-- CreateTable
CREATE TABLE "Subscription" (
    "id" TEXT COLLATE "C" NOT NULL,
    "tenantId" TEXT COLLATE "C" NOT NULL,
    "format" TEXT COLLATE "C" NOT NULL,
    "url" TEXT COLLATE "C",
    "types" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "secret" TEXT COLLATE "C" NOT NULL,
    "audience" TEXT COLLATE "C",
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "cursor" INTEGER NOT NULL,
    "retryForSeconds" INTEGER NOT NULL,
    "leaseOwner" TEXT COLLATE "C",
    "leaseUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PendingDelivery" (
    "tenantId" TEXT COLLATE "C" NOT NULL,
    "subscriptionId" TEXT COLLATE "C" NOT NULL,
    "sequence" INTEGER NOT NULL,
    "resourceId" TEXT COLLATE "C" NOT NULL,
    "state" TEXT COLLATE "C" NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "firstAttemptAt" TIMESTAMP(3),
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT COLLATE "C",

    CONSTRAINT "PendingDelivery_pkey" PRIMARY KEY ("subscriptionId","sequence")
);

-- CreateTable
CREATE TABLE "DeliveryAttempt" (
    "id" SERIAL NOT NULL,
    "tenantId" TEXT COLLATE "C" NOT NULL,
    "subscriptionId" TEXT COLLATE "C" NOT NULL,
    "sequence" INTEGER NOT NULL,
    "eventId" TEXT COLLATE "C" NOT NULL,
    "attemptedAt" TIMESTAMP(3) NOT NULL,
    "status" INTEGER,
    "durationMs" INTEGER NOT NULL,
    "error" TEXT COLLATE "C",
    "outcome" TEXT COLLATE "C" NOT NULL,

    CONSTRAINT "DeliveryAttempt_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PendingDelivery" ADD CONSTRAINT "PendingDelivery_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryAttempt" ADD CONSTRAINT "DeliveryAttempt_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription"("id") ON DELETE CASCADE ON UPDATE CASCADE;
