-- AlterTable
ALTER TABLE "approvals" ADD COLUMN     "reason_codes" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "approvals_reason_codes_idx" ON "approvals" USING GIN ("reason_codes");

-- Backfill: the codes of items parked before codes existed, read from their reasons' sentences.
UPDATE "approvals" a SET "reason_codes" = coalesce((
  SELECT array_agg(DISTINCT code) FROM (
    SELECT CASE
      WHEN r = 'irreversible' THEN 'irreversible'
      WHEN r LIKE 'approval required by%' THEN 'required_by_settings'
      WHEN r = 'no stated confidence' THEN 'no_confidence'
      WHEN r LIKE 'low confidence%' THEN 'low_confidence'
      WHEN r LIKE 'untrusted content%' THEN 'untrusted_input'
    END AS code
    FROM jsonb_array_elements_text(a."reasons") AS t(r)
  ) codes WHERE code IS NOT NULL), ARRAY[]::TEXT[]);
