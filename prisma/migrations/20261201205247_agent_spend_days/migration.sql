-- CreateTable
CREATE TABLE "agent_spend_days" (
    "agent" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "shard" SMALLINT NOT NULL,
    "cost_micros" BIGINT NOT NULL,

    CONSTRAINT "agent_spend_days_pkey" PRIMARY KEY ("agent","day","shard")
);

-- Today's spend so far, from the trace, so an installation upgraded mid-day keeps its budgets.
INSERT INTO "agent_spend_days" ("agent", "day", "shard", "cost_micros")
SELECT r."agent", (timezone('utc', now()))::date, (hashtext(r."id"::text) & 15)::smallint, sum(e."cost_micros")
FROM "trace_events" e JOIN "runs" r ON r."id" = e."run_id"
WHERE e."kind" = 'model_call' AND e."cost_micros" > 0 AND r."agent" IS NOT NULL AND r."mode" = 'live'
  AND e."created_at" >= date_trunc('day', timezone('utc', now()))
GROUP BY 1, 2, 3;
