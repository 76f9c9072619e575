-- CreateEnum
CREATE TYPE "AlertStatus" AS ENUM ('pending', 'firing', 'resolved');

-- CreateTable
CREATE TABLE "agent_baselines" (
    "agent" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "median" DOUBLE PRECISION NOT NULL,
    "mad" DOUBLE PRECISION NOT NULL,
    "sample" INTEGER NOT NULL,
    "refreshed_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "agent_baselines_pkey" PRIMARY KEY ("agent","metric")
);

-- CreateTable
CREATE TABLE "run_anomalies" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "agent" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "median" DOUBLE PRECISION NOT NULL,
    "ratio" DOUBLE PRECISION NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_anomalies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_rules" (
    "key" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("key","version")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" UUID NOT NULL,
    "rule_key" TEXT NOT NULL,
    "rule_version" INTEGER NOT NULL,
    "status" "AlertStatus" NOT NULL,
    "value" DOUBLE PRECISION,
    "sample" INTEGER NOT NULL DEFAULT 0,
    "summary" TEXT NOT NULL,
    "breaching_since" TIMESTAMP(3) NOT NULL,
    "fired_at" TIMESTAMP(3),
    "last_notified_at" TIMESTAMP(3),
    "resolved_at" TIMESTAMP(3),

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_notifications" (
    "id" UUID NOT NULL,
    "alert_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMP(3),

    CONSTRAINT "alert_notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "run_anomalies_created_at_idx" ON "run_anomalies"("created_at");

-- CreateIndex
CREATE INDEX "run_anomalies_agent_created_at_idx" ON "run_anomalies"("agent", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "run_anomalies_run_id_metric_key" ON "run_anomalies"("run_id", "metric");

-- CreateIndex
CREATE INDEX "alerts_rule_key_status_idx" ON "alerts"("rule_key", "status");

-- CreateIndex
CREATE INDEX "alerts_status_breaching_since_idx" ON "alerts"("status", "breaching_since");

-- CreateIndex
CREATE INDEX "alert_notifications_alert_id_created_at_idx" ON "alert_notifications"("alert_id", "created_at");

-- AddForeignKey
ALTER TABLE "alert_notifications" ADD CONSTRAINT "alert_notifications_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
