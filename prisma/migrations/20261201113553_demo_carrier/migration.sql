-- CreateTable
CREATE TABLE "demo_carrier_shipments" (
    "tracking_number" TEXT NOT NULL,
    "customer_email" TEXT NOT NULL,
    "order_id" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "delivery_date" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "demo_carrier_shipments_pkey" PRIMARY KEY ("tracking_number")
);

-- CreateTable
CREATE TABLE "demo_carrier_reschedules" (
    "id" TEXT NOT NULL,
    "tracking_number" TEXT NOT NULL,
    "previous_date" TEXT NOT NULL,
    "delivery_date" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "demo_carrier_reschedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "demo_carrier_tickets" (
    "id" TEXT NOT NULL,
    "customer_email" TEXT NOT NULL,
    "tracking_number" TEXT,
    "subject" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "demo_carrier_tickets_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "demo_carrier_shipments_customer_email_order_id_key" ON "demo_carrier_shipments"("customer_email", "order_id");

-- CreateIndex
CREATE UNIQUE INDEX "demo_carrier_reschedules_idempotency_key_key" ON "demo_carrier_reschedules"("idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "demo_carrier_tickets_idempotency_key_key" ON "demo_carrier_tickets"("idempotency_key");

-- AddForeignKey
ALTER TABLE "demo_carrier_reschedules" ADD CONSTRAINT "demo_carrier_reschedules_tracking_number_fkey" FOREIGN KEY ("tracking_number") REFERENCES "demo_carrier_shipments"("tracking_number") ON DELETE RESTRICT ON UPDATE CASCADE;
