-- CreateTable
CREATE TABLE "idempotency_records" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("scope","key")
);

-- The keys of the demo shop move to the generic table under its scope, and the request hash is computed the
-- same way ({operation, request}), so a retry after the upgrade still gets the first answer.
INSERT INTO "idempotency_records" ("scope", "key", "request_hash", "response", "created_at")
SELECT 'demo-shop', "key", "request_hash", "response", "created_at" FROM "shop_idempotency";

-- DropTable
DROP TABLE "shop_idempotency";
