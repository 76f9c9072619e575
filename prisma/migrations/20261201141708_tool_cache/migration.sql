-- CreateTable
CREATE TABLE "tool_cache_entries" (
    "agent" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "args_hash" TEXT NOT NULL,
    "records" TEXT[],
    "result" JSONB NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tool_cache_entries_pkey" PRIMARY KEY ("agent","tool","subject_id","args_hash")
);

-- CreateIndex
CREATE INDEX "tool_cache_entries_records_idx" ON "tool_cache_entries" USING GIN ("records");

-- CreateIndex
CREATE INDEX "tool_cache_entries_expires_at_idx" ON "tool_cache_entries"("expires_at");
