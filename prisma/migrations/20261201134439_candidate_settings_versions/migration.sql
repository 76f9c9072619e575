-- CreateTable
CREATE TABLE "agent_active_settings" (
    "agent" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "activated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_active_settings_pkey" PRIMARY KEY ("agent")
);

-- CreateTable
CREATE TABLE "agent_settings_activations" (
    "id" UUID NOT NULL,
    "agent" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "previous_version" INTEGER NOT NULL,
    "gate" TEXT NOT NULL,
    "override_reason" TEXT,
    "eval_run_id" UUID,
    "failed_cases" JSONB,
    "activated_by_email" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_settings_activations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "agent_settings_activations_agent_created_at_idx" ON "agent_settings_activations"("agent", "created_at");

-- Existing installations: the newest saved version of each agent stays the one in force
INSERT INTO "agent_active_settings" ("agent", "version") SELECT "agent", MAX("version") FROM "agent_configs" GROUP BY "agent";
