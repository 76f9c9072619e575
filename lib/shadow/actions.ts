"use server";

import { adminAction } from "@/lib/auth/guards";
import { putInShadow, shadowInput, stopShadow, stopShadowInput } from "./config";

// Admin only: which candidate version runs in shadow beside live traffic, and how often.
const guardedPut = adminAction(shadowInput, putInShadow);
const guardedStop = adminAction(stopShadowInput, stopShadow);

export async function startShadowMode(input: unknown) {
  return guardedPut(input);
}

export async function stopShadowMode(input: unknown) {
  return guardedStop(input);
}
