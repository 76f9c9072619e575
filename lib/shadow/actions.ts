"use server";

import { adminAction } from "@/lib/auth/guards";
import { putInShadow, stopShadow, stopShadowInput } from "./config";
import { shadowInput } from "./inputs";

// Admin only: which candidate version runs in shadow beside live traffic, and how often.
const guardedPut = adminAction(shadowInput, putInShadow);
const guardedStop = adminAction(stopShadowInput, stopShadow);

export async function startShadowMode(input: unknown) {
  return guardedPut(input);
}

export async function stopShadowMode(input: unknown) {
  return guardedStop(input);
}
