-- CreateTable
CREATE TABLE "approval_opens" (
    "approval_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "opened_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_opens_pkey" PRIMARY KEY ("approval_id","user_id")
);

-- CreateIndex
CREATE INDEX "runs_created_at_idx" ON "runs"("created_at");

-- CreateIndex
CREATE INDEX "tool_calls_created_at_idx" ON "tool_calls"("created_at");

-- CreateIndex
CREATE INDEX "approvals_created_at_idx" ON "approvals"("created_at");

-- CreateIndex
CREATE INDEX "approvals_decided_at_idx" ON "approvals"("decided_at");

-- CreateIndex
CREATE INDEX "trace_events_kind_created_at_idx" ON "trace_events"("kind", "created_at");
