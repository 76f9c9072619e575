-- AlterTable
ALTER TABLE "approvals" ADD COLUMN     "records" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "approvals_records_idx" ON "approvals" USING GIN ("records");

-- Items already waiting get the records their identifier arguments name ("order_id" 1042 is
-- "order:1042"), the rule lib/agents.ts recordsOf falls back to. New items get the tool's own.
UPDATE "approvals" a
   SET "records" = coalesce((
         SELECT array_agg(coalesce(nullif(regexp_replace(e.key, '_?(id|number|Id)$', ''), ''), e.key) || ':' || (e.value #>> '{}'))
           FROM jsonb_each(CASE jsonb_typeof(a.proposed_arguments) WHEN 'object' THEN a.proposed_arguments ELSE '{}'::jsonb END) e
          WHERE e.key ~ '(^|_)(id|number|record)$|Id$' AND jsonb_typeof(e.value) IN ('string', 'number')
       ), ARRAY[]::TEXT[])
 WHERE a.status = 'pending';
