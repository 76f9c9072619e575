"use server";

import { setActiveInput, setUserActive } from "@/lib/admin/users";
import { adminAction } from "@/lib/auth/guards";

const guardedSetActive = adminAction(setActiveInput, setUserActive);

export async function setActive(input: unknown) {
  return guardedSetActive(input);
}
