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
CREATE INDEX "eval_runs_agent_version_created_at_idx" ON "eval_runs"("agent", "version", "created_at");

-- CreateIndex
CREATE INDEX "eval_case_results_eval_run_id_idx" ON "eval_case_results"("eval_run_id");

-- CreateIndex
CREATE INDEX "eval_case_results_suite_case_id_idx" ON "eval_case_results"("suite", "case_id");

-- CreateIndex
CREATE UNIQUE INDEX "eval_suite_versions_agent_suite_version_key" ON "eval_suite_versions"("agent", "suite", "version");

-- AddForeignKey
ALTER TABLE "eval_case_results" ADD CONSTRAINT "eval_case_results_eval_run_id_fkey" FOREIGN KEY ("eval_run_id") REFERENCES "eval_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
