"use server";

import { adminAction } from "@/lib/auth/guards";
import { setAgentPaused, setPauseInput } from "./state";

// The kill switch's one door: admins only, checked here (the wrapper authenticates, authorises
// and validates before anything runs), never by the page that shows the button.
const guardedSetPause = adminAction(setPauseInput, (actor, input) => setAgentPaused(actor, input));

export async function setAgentPause(input: unknown) {
  return guardedSetPause(input);
}
