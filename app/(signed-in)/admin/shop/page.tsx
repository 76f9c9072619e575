import Link from "next/link";
import { z } from "zod";
import { jsonSchemaBounds } from "@/lib/agent-settings/setting-fields";
import { ShopFaultSwitches } from "@/components/admin/shop-fault-switches";
import { Refusal } from "@/components/ui/refusal";
import { pageActor } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { FAULT_MODES, listFaults, setFaultInput, SHOP_OPERATIONS } from "@/agents/demo-shop/faults";

export const metadata = { title: "Shop failure switches · Countersign" };

export default async function ShopFaultsPage() {
  const { actor, refused } = await pageActor("admin", "/admin/shop");
  if (refused) return <Refusal actor={actor} surface="admin console" />;
  const faults = await listFaults(db);
  const { properties } = z.toJSONSchema(setFaultInput, { io: "input" }) as {
    properties: Record<string, unknown>;
  };
  const timesBounds = jsonSchemaBounds(properties.remaining) ?? {
    min: 1,
    max: 1000,
    integer: true,
  };
  return (
    <div className="mx-auto max-w-5xl">
      <Link href="/admin" className="text-sm text-slate-600 hover:underline">
        ← Administration
      </Link>
      <h1 className="mt-2 text-xl font-semibold">Shop failure switches</h1>
      <p className="text-sm text-slate-600">
        Make the demo shop fail the way real external systems do, one operation at a time, to show
        how runs handle it. A switch stays on until you turn it off, or for the number of calls you
        give. Every process sees it at once.
      </p>
      <ShopFaultSwitches
        operations={[...SHOP_OPERATIONS]}
        modes={[...FAULT_MODES]}
        faults={faults}
        timesBounds={timesBounds}
      />
    </div>
  );
}
