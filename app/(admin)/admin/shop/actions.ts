"use server";

import { setShopFaultAudited } from "@/lib/admin/shop-faults";
import { adminAction } from "@/lib/auth/guards";
import { setFaultInput } from "@/lib/shop/faults";

const guardedSetFault = adminAction(setFaultInput, setShopFaultAudited);

export async function setShopFault(input: unknown) {
  return guardedSetFault(input);
}
