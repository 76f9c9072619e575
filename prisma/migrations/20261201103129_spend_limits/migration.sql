-- CreateTable
CREATE TABLE "workspace_limits" (
    "version" INTEGER NOT NULL,
    "settings" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workspace_limits_pkey" PRIMARY KEY ("version")
);

-- CreateIndex
CREATE INDEX "runs_user_id_status_idx" ON "runs"("user_id", "status");

-- CreateIndex
CREATE INDEX "runs_user_id_created_at_idx" ON "runs"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "runs_user_id_updated_at_idx" ON "runs"("user_id", "updated_at");

-- CreateIndex
CREATE INDEX "runs_agent_updated_at_idx" ON "runs"("agent", "updated_at");

-- AddForeignKey
ALTER TABLE "workspace_limits" ADD CONSTRAINT "workspace_limits_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
