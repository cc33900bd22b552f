-- CreateTable
CREATE TABLE "ExtensionValue" (
    "id" SERIAL NOT NULL,
    "tenantId" TEXT COLLATE "C" NOT NULL,
    "userId" TEXT COLLATE "C",
    "groupId" TEXT COLLATE "C",
    "attr" TEXT COLLATE "C" NOT NULL,
    "pos" INTEGER NOT NULL,
    "value" TEXT COLLATE "C",
    "num" DOUBLE PRECISION,
    "uniqueValue" TEXT COLLATE "C",

    CONSTRAINT "ExtensionValue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Sequence" (
    "tenantId" TEXT COLLATE "C" NOT NULL,
    "name" TEXT COLLATE "C" NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "Sequence_pkey" PRIMARY KEY ("tenantId","name")
);

-- CreateIndex
CREATE INDEX "ExtensionValue_tenantId_attr_value_idx" ON "ExtensionValue"("tenantId", "attr", "value");

-- CreateIndex
CREATE INDEX "ExtensionValue_tenantId_attr_num_idx" ON "ExtensionValue"("tenantId", "attr", "num");

-- CreateIndex
CREATE INDEX "ExtensionValue_userId_idx" ON "ExtensionValue"("userId");

-- CreateIndex
CREATE INDEX "ExtensionValue_groupId_idx" ON "ExtensionValue"("groupId");

-- CreateIndex
CREATE UNIQUE INDEX "ExtensionValue_tenantId_attr_uniqueValue_key" ON "ExtensionValue"("tenantId", "attr", "uniqueValue");

-- AddForeignKey
ALTER TABLE "ExtensionValue" ADD CONSTRAINT "ExtensionValue_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExtensionValue" ADD CONSTRAINT "ExtensionValue_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;
