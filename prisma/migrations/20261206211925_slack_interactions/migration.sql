-- CreateTable
CREATE TABLE "slack_interactions" (
    "signature_hash" TEXT NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slack_interactions_pkey" PRIMARY KEY ("signature_hash")
);

-- CreateIndex
CREATE INDEX "slack_interactions_received_at_idx" ON "slack_interactions"("received_at");
