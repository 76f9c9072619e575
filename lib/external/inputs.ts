import { z } from "zod";
import { externalAgentFormSchema } from "./form";

// What the external agents' admin actions accept, with no server imports, so the form (browser)
// checks a draft with the very schemas the server actions parse with.

export const agentName = z.string().min(1, "Unknown agent").max(40, "Unknown agent");

export const registerExternalAgentInput = externalAgentFormSchema.extend({
  name: z.string().max(40, "name is at most 40 characters"),
});
export const updateExternalAgentInput = externalAgentFormSchema.extend({ name: agentName });
