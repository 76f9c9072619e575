-- CreateTable
CREATE TABLE "run_turns" (
    "run_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "message" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_turns_pkey" PRIMARY KEY ("run_id","seq")
);

-- AddForeignKey
ALTER TABLE "run_turns" ADD CONSTRAINT "run_turns_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Backfill: every message after the pinned request of an existing run becomes a turn row, and the
-- run keeps only its first message, so readTranscript reads old and new runs alike.
INSERT INTO "run_turns" ("run_id", "seq", "message")
SELECT r."id", (m.ordinality - 1)::int, m.value
FROM "runs" r, jsonb_array_elements(r."transcript") WITH ORDINALITY AS m(value, ordinality)
WHERE jsonb_typeof(r."transcript") = 'array' AND m.ordinality > 1;

UPDATE "runs" SET "transcript" = jsonb_build_array("transcript" -> 0)
WHERE jsonb_typeof("transcript") = 'array' AND jsonb_array_length("transcript") > 1;
