-- The demo carrier's tables move to the shipping agent's folder (agents/shipping/migrations/001_demo_carrier.sql),
-- which creates them again right after the core's migrations, and the demo seed fills them again.
-- DropForeignKey
ALTER TABLE "demo_carrier_reschedules" DROP CONSTRAINT "demo_carrier_reschedules_tracking_number_fkey";

-- DropTable
DROP TABLE "demo_carrier_shipments";

-- DropTable
DROP TABLE "demo_carrier_reschedules";

-- DropTable
DROP TABLE "demo_carrier_tickets";
