-- CreateEnum
CREATE TYPE "FollowUpStatus" AS ENUM ('open', 'answered');

-- AlterEnum
ALTER TYPE "MessageAuthor" ADD VALUE 'staff';

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "staff_id" UUID;

-- CreateTable
CREATE TABLE "follow_ups" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "FollowUpStatus" NOT NULL DEFAULT 'open',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answered_by_id" UUID,
    "answered_at" TIMESTAMP(3),

    CONSTRAINT "follow_ups_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "follow_ups_run_id_key" ON "follow_ups"("run_id");

-- CreateIndex
CREATE INDEX "follow_ups_status_created_at_idx" ON "follow_ups"("status", "created_at");

-- CreateIndex
CREATE INDEX "messages_run_id_idx" ON "messages"("run_id");

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_answered_by_id_fkey" FOREIGN KEY ("answered_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Runs that already ended with that promise join the queue.
INSERT INTO "follow_ups" ("id", "run_id", "reason", "created_at")
SELECT gen_random_uuid(), r."id", r."status"::text || ': ' || COALESCE(r."status_reason", 'no reason recorded'), COALESCE(r."finished_at", r."updated_at")
FROM "runs" r WHERE r."status" IN ('terminated', 'failed');
