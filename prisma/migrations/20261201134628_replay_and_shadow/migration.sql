-- CreateEnum
CREATE TYPE "RunMode" AS ENUM ('live', 'shadow', 'replay');

-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "mode" "RunMode" NOT NULL DEFAULT 'live',
ADD COLUMN     "source_run_id" UUID;

-- CreateTable
CREATE TABLE "model_responses" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "seq" SERIAL NOT NULL,
    "purpose" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT,
    "content" JSONB NOT NULL DEFAULT '[]',
    "stop_reason" TEXT,
    "usage" JSONB NOT NULL DEFAULT '{}',
    "error" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_responses_pkey" PRIMARY KEY ("id")
);

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

-- CreateIndex
CREATE INDEX "model_responses_run_id_seq_idx" ON "model_responses"("run_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "scratch_runs_run_id_key" ON "scratch_runs"("run_id");

-- CreateIndex
CREATE INDEX "scratch_runs_kind_created_at_idx" ON "scratch_runs"("kind", "created_at");

-- CreateIndex
CREATE INDEX "scratch_runs_source_run_id_idx" ON "scratch_runs"("source_run_id");

-- CreateIndex
CREATE INDEX "scratch_messages_run_id_created_at_idx" ON "scratch_messages"("run_id", "created_at");
