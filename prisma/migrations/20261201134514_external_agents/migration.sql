-- CreateTable
CREATE TABLE "external_agents" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "tool_policies" JSONB NOT NULL DEFAULT '{}',
    "allowed_origins" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "signing_secret" TEXT NOT NULL,
    "confidence_threshold" DOUBLE PRECISION NOT NULL DEFAULT 0.8,
    "approval_ttl_seconds" INTEGER NOT NULL DEFAULT 3600,
    "max_wait_seconds" INTEGER NOT NULL DEFAULT 600,
    "rate_limit_per_minute" INTEGER NOT NULL DEFAULT 120,
    "mcp_url" TEXT,
    "mcp_command" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "user_id" UUID NOT NULL,
    "conversation_id" UUID NOT NULL,
    "created_by_email" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "external_agents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "external_agent_keys" (
    "id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    "window_start" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "window_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "external_agent_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "external_actions" (
    "id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "run_id" UUID NOT NULL,
    "tool_call_id" UUID NOT NULL,
    "summary" TEXT,
    "input_schema" JSONB,
    "subject" JSONB,
    "untrusted_inputs" JSONB NOT NULL DEFAULT '[]',
    "callback_url" TEXT,
    "grant_used_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "external_actions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "external_webhook_deliveries" (
    "id" TEXT NOT NULL,
    "action_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMP(3),

    CONSTRAINT "external_webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "external_agents_name_key" ON "external_agents"("name");

-- CreateIndex
CREATE UNIQUE INDEX "external_agents_user_id_key" ON "external_agents"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "external_agents_conversation_id_key" ON "external_agents"("conversation_id");

-- CreateIndex
CREATE UNIQUE INDEX "external_agent_keys_key_hash_key" ON "external_agent_keys"("key_hash");

-- CreateIndex
CREATE INDEX "external_agent_keys_agent_id_idx" ON "external_agent_keys"("agent_id");

-- CreateIndex
CREATE UNIQUE INDEX "external_actions_run_id_key" ON "external_actions"("run_id");

-- CreateIndex
CREATE UNIQUE INDEX "external_actions_tool_call_id_key" ON "external_actions"("tool_call_id");

-- CreateIndex
CREATE UNIQUE INDEX "external_actions_agent_id_idempotency_key_key" ON "external_actions"("agent_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "external_webhook_deliveries_action_id_idx" ON "external_webhook_deliveries"("action_id");

-- AddForeignKey
ALTER TABLE "external_agent_keys" ADD CONSTRAINT "external_agent_keys_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "external_agents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "external_actions" ADD CONSTRAINT "external_actions_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "external_agents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "external_actions" ADD CONSTRAINT "external_actions_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "external_webhook_deliveries" ADD CONSTRAINT "external_webhook_deliveries_action_id_fkey" FOREIGN KEY ("action_id") REFERENCES "external_actions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
