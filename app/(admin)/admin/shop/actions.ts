"use server";

import { adminAction } from "@/lib/auth/guards";
import { db } from "@/lib/db";
import { setFault, setFaultInput } from "@/agents/demo-shop/faults";

const guardedSetFault = adminAction(setFaultInput, (_actor, input) => setFault(db, input));

export async function setShopFault(input: unknown) {
  return guardedSetFault(input);
}
