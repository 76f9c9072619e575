-- CreateEnum
CREATE TYPE "RunMode" AS ENUM ('live', 'shadow', 'replay');

-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "mode" "RunMode" NOT NULL DEFAULT 'live',
ADD COLUMN     "source_run_id" UUID;

-- CreateTable
CREATE TABLE "scratch_runs" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "run_id" UUID NOT NULL,
    "source_run_id" UUID NOT NULL,
    "agent" TEXT,
    "version" INTEGER,
    "divergences" JSONB NOT NULL DEFAULT '[]',
    "requested_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "scratch_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scratch_messages" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scratch_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shadow_configs" (
    "agent" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "sample_rate" DOUBLE PRECISION NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "shadow_configs_pkey" PRIMARY KEY ("agent")
);

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

-- CreateTable
CREATE TABLE "eval_runs" (
    "id" UUID NOT NULL,
    "agent" TEXT NOT NULL,
    "suites" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "model_provider" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "passed" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "regressions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_micros" INTEGER NOT NULL DEFAULT 0,
    "duration_ms" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_by_email" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "eval_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eval_case_results" (
    "id" UUID NOT NULL,
    "eval_run_id" UUID NOT NULL,
    "suite" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "failures" JSONB NOT NULL,
    "observation" JSONB NOT NULL,
    "tokens" INTEGER NOT NULL,
    "cost_micros" INTEGER NOT NULL,
    "duration_ms" INTEGER NOT NULL,

    CONSTRAINT "eval_case_results_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eval_suite_versions" (
    "id" UUID NOT NULL,
    "agent" TEXT NOT NULL,
    "suite" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "cases" JSONB NOT NULL,
    "change" TEXT NOT NULL,
    "source_run_id" UUID,
    "source_approval_id" UUID,
    "created_by_email" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "eval_suite_versions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "scratch_runs_run_id_key" ON "scratch_runs"("run_id");

-- CreateIndex
CREATE INDEX "scratch_runs_kind_created_at_idx" ON "scratch_runs"("kind", "created_at");

-- CreateIndex
CREATE INDEX "scratch_runs_source_run_id_idx" ON "scratch_runs"("source_run_id");

-- CreateIndex
CREATE INDEX "scratch_messages_run_id_created_at_idx" ON "scratch_messages"("run_id", "created_at");

-- CreateIndex
CREATE INDEX "agent_settings_activations_agent_created_at_idx" ON "agent_settings_activations"("agent", "created_at");

-- CreateIndex
CREATE INDEX "eval_runs_agent_version_created_at_idx" ON "eval_runs"("agent", "version", "created_at");

-- CreateIndex
CREATE INDEX "eval_case_results_eval_run_id_idx" ON "eval_case_results"("eval_run_id");

-- CreateIndex
CREATE INDEX "eval_case_results_suite_case_id_idx" ON "eval_case_results"("suite", "case_id");

-- CreateIndex
CREATE UNIQUE INDEX "eval_suite_versions_agent_suite_version_key" ON "eval_suite_versions"("agent", "suite", "version");

-- AddForeignKey
ALTER TABLE "eval_case_results" ADD CONSTRAINT "eval_case_results_eval_run_id_fkey" FOREIGN KEY ("eval_run_id") REFERENCES "eval_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing installations: the newest saved version of each agent stays the one in force
INSERT INTO "agent_active_settings" ("agent", "version") SELECT "agent", MAX("version") FROM "agent_configs" GROUP BY "agent";
