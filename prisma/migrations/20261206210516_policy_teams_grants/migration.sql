-- AlterEnum
ALTER TYPE "TokenScope" ADD VALUE 'admin';

-- AlterTable
ALTER TABLE "approvals" ADD COLUMN     "due_at" TIMESTAMP(3),
ADD COLUMN     "escalated_at" TIMESTAMP(3),
ADD COLUMN     "grant_id" UUID,
ADD COLUMN     "on_expiry" TEXT NOT NULL DEFAULT 'expire',
ADD COLUMN     "policy_rules" JSONB,
ADD COLUMN     "policy_version" INTEGER,
ADD COLUMN     "required_approvals" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "team" TEXT;

-- CreateTable
CREATE TABLE "approval_votes" (
    "approval_id" UUID NOT NULL,
    "reviewer_id" UUID NOT NULL,
    "args_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_votes_pkey" PRIMARY KEY ("approval_id","reviewer_id","args_hash")
);

-- CreateTable
CREATE TABLE "policy_versions" (
    "version" INTEGER NOT NULL,
    "document" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by_email" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_versions_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "teams" (
    "name" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "sla_seconds" INTEGER NOT NULL,
    "escalation_email" TEXT,
    "escalate_to_team" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "teams_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "team_members" (
    "team_name" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "added_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_members_pkey" PRIMARY KEY ("team_name","user_id")
);

-- CreateTable
CREATE TABLE "delegations" (
    "id" UUID NOT NULL,
    "from_user_id" UUID NOT NULL,
    "to_user_id" UUID NOT NULL,
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "delegations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_grants" (
    "id" UUID NOT NULL,
    "agent" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "subject_id" UUID NOT NULL,
    "bounds" JSONB NOT NULL,
    "granted_by_id" UUID NOT NULL,
    "granted_by_email" TEXT NOT NULL,
    "source_approval_id" UUID NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "uses_left" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMP(3),
    "revoked_by_email" TEXT,

    CONSTRAINT "approval_grants_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "team_members_user_id_idx" ON "team_members"("user_id");

-- CreateIndex
CREATE INDEX "delegations_to_user_id_ends_at_idx" ON "delegations"("to_user_id", "ends_at");

-- CreateIndex
CREATE INDEX "approval_grants_agent_tool_subject_id_idx" ON "approval_grants"("agent", "tool", "subject_id");

-- AddForeignKey
ALTER TABLE "approval_votes" ADD CONSTRAINT "approval_votes_approval_id_fkey" FOREIGN KEY ("approval_id") REFERENCES "approvals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_name_fkey" FOREIGN KEY ("team_name") REFERENCES "teams"("name") ON DELETE CASCADE ON UPDATE CASCADE;
