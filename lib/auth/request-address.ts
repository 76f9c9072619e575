import "server-only";
import { headers } from "next/headers";
import { env } from "@/lib/env";
import { clientAddress, FORWARDED_FOR } from "@/lib/client-address";

/** The throttled client address of the current server action or route (see client-address.ts). */
export async function currentRequestAddress(): Promise<string> {
  return clientAddress((await headers()).get(FORWARDED_FOR), env().COUNTERSIGN_TRUSTED_PROXIES);
}
