"use server";

import { setShopFaultAudited } from "@/agents/demo-shop/admin";
import { adminAction } from "@/lib/auth/guards";
import { setFaultInput } from "@/agents/demo-shop/faults";

const guardedSetFault = adminAction(setFaultInput, setShopFaultAudited);

export async function setShopFault(input: unknown) {
  return guardedSetFault(input);
}
