-- CreateEnum
CREATE TYPE "TokenScope" AS ENUM ('read', 'decide', 'reply');

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "session_version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable (edited by hand: existing tokens are backfilled before the column becomes NOT NULL).
-- Tokens made before expiry existed keep the access they had (every scope) and expire 90 days
-- after they were created, but not sooner than a week from now, so their owners have notice.
ALTER TABLE "api_tokens" ADD COLUMN     "expires_at" TIMESTAMP(3),
ADD COLUMN     "scopes" "TokenScope"[];
UPDATE "api_tokens" SET "expires_at" = GREATEST("created_at" + INTERVAL '90 days', CURRENT_TIMESTAMP + INTERVAL '7 days'),
  "scopes" = ARRAY['read', 'decide', 'reply']::"TokenScope"[];
ALTER TABLE "api_tokens" ALTER COLUMN "expires_at" SET NOT NULL;

-- DropTable
DROP TABLE "sign_in_failures";

-- CreateTable
CREATE TABLE "ended_sessions" (
    "session_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "ended_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ended_sessions_pkey" PRIMARY KEY ("session_id")
);

-- CreateTable
CREATE TABLE "sign_in_throttles" (
    "email" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "last_failure_at" TIMESTAMP(3) NOT NULL,
    "blocked_until" TIMESTAMP(3) NOT NULL,
    "last_attempt" UUID,

    CONSTRAINT "sign_in_throttles_pkey" PRIMARY KEY ("email","ip")
);

-- CreateIndex
CREATE INDEX "ended_sessions_expires_at_idx" ON "ended_sessions"("expires_at");

-- CreateIndex
CREATE INDEX "sign_in_throttles_last_failure_at_idx" ON "sign_in_throttles"("last_failure_at");

-- CreateIndex
CREATE INDEX "api_tokens_user_id_created_at_idx" ON "api_tokens"("user_id", "created_at");
