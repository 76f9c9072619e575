-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('pending', 'sent', 'failed');

-- DropIndex
DROP INDEX "approvals_status_created_at_idx";

-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "agent_version" INTEGER;

-- AlterTable
ALTER TABLE "approvals" ADD COLUMN     "claimed_by_id" UUID,
ADD COLUMN     "claimed_until" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "agent_configs" (
    "id" UUID NOT NULL,
    "agent" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "settings" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_configs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_entries" (
    "seq" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_email" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "approval_id" UUID,
    "run_id" UUID,
    "payload" JSONB NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "approval_id" UUID NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMP(3),
    "read_at" TIMESTAMP(3),

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shop_faults" (
    "operation" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "remaining" INTEGER,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "shop_faults_pkey" PRIMARY KEY ("operation")
);

-- CreateIndex
CREATE UNIQUE INDEX "agent_configs_agent_version_key" ON "agent_configs"("agent", "version");

-- CreateIndex
CREATE UNIQUE INDEX "audit_entries_hash_key" ON "audit_entries"("hash");

-- CreateIndex
CREATE INDEX "audit_entries_approval_id_idx" ON "audit_entries"("approval_id");

-- CreateIndex
CREATE INDEX "notifications_channel_status_created_at_idx" ON "notifications"("channel", "status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "approvals_status_created_at_id_idx" ON "approvals"("status", "created_at", "id");

-- CreateIndex
CREATE INDEX "approvals_status_expires_at_id_idx" ON "approvals"("status", "expires_at", "id");

-- CreateIndex
CREATE INDEX "approvals_status_agent_tool_created_at_idx" ON "approvals"("status", "agent", "tool", "created_at");

-- AddForeignKey
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_claimed_by_id_fkey" FOREIGN KEY ("claimed_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_configs" ADD CONSTRAINT "agent_configs_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The audit trail is append-only in the database itself: updates and deletes are discarded.
-- (Rules rather than a trigger: the migration runner splits scripts on semicolons.)
CREATE RULE audit_entries_no_update AS ON UPDATE TO "audit_entries" DO INSTEAD NOTHING;
CREATE RULE audit_entries_no_delete AS ON DELETE TO "audit_entries" DO INSTEAD NOTHING;
