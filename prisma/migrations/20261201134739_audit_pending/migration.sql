-- CreateTable
CREATE TABLE "audit_pending" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_email" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "approval_id" UUID,
    "run_id" UUID,
    "payload" JSONB NOT NULL,

    CONSTRAINT "audit_pending_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_pending_approval_id_idx" ON "audit_pending"("approval_id");

-- An entry waiting for the chain keeps the content it was written with: updates are discarded.
CREATE RULE audit_pending_no_update AS ON UPDATE TO "audit_pending" DO INSTEAD NOTHING;
