-- CreateTable
CREATE TABLE "agent_pauses" (
    "agent" TEXT NOT NULL,
    "paused" BOOLEAN NOT NULL,
    "reason" TEXT NOT NULL,
    "changed_by_id" UUID,
    "changed_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "agent_pauses_pkey" PRIMARY KEY ("agent")
);
