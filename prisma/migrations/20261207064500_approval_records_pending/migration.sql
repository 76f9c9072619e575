-- The records index serves one question, which pending calls change this record, so it holds
-- pending approvals only. A decision then adds no entry to it: a GIN index updated on every
-- decision (each is an update that changes an indexed column) grows a pending list that every
-- pre-check must scan, and slowed decisions under many reviewers. The Prisma schema cannot say
-- "partial", and the @@index([records], type: Gin) names this index.
DROP INDEX "approvals_records_idx";

CREATE INDEX "approvals_records_idx" ON "approvals" USING GIN ("records") WHERE "status" = 'pending';
