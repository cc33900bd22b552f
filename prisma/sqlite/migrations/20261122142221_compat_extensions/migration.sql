-- CreateTable
CREATE TABLE "ExtensionValue" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tenantId" TEXT NOT NULL,
    "userId" TEXT,
    "groupId" TEXT,
    "attr" TEXT NOT NULL,
    "pos" INTEGER NOT NULL,
    "value" TEXT,
    "num" REAL,
    "uniqueValue" TEXT,
    CONSTRAINT "ExtensionValue_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ExtensionValue_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Sequence" (
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "last" INTEGER NOT NULL,

    PRIMARY KEY ("tenantId", "name")
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
