"use server";

import { z } from "zod";
import { adminAction } from "@/lib/auth/guards";
import { registerExternalAgent, updateExternalAgent } from "./agents";
import { formToSettings } from "./form";
import { agentName, registerExternalAgentInput, updateExternalAgentInput } from "./inputs";
import { issueAgentKey, revokeAgentKey } from "./keys";

// Admin server actions for external agents (/admin/agents). The secret and the first key are
// returned once, to the admin who registered the agent, and never again.

const guardedRegister = adminAction(registerExternalAgentInput, async (actor, input) => {
  const { agent, signingSecret, key } = await registerExternalAgent(
    actor,
    { name: input.name, ...formToSettings(input) },
    { firstKeyName: "first key" },
  );
  return { name: agent.name, signingSecret, key: key ?? "" };
});
export async function registerExternalAgentAction(input: unknown) {
  return guardedRegister(input);
}

const guardedUpdate = adminAction(updateExternalAgentInput, async (actor, { name, ...form }) => {
  const agent = await updateExternalAgent(actor, name, formToSettings(form));
  return { name: agent.name };
});
export async function updateExternalAgentAction(input: unknown) {
  return guardedUpdate(input);
}

const guardedCreateKey = adminAction(
  z.object({ agent: agentName, keyName: z.string().max(80, "keyName is at most 80 characters") }),
  async (actor, input) => {
    const { key, keyPrefix } = await issueAgentKey(actor, input.agent, input.keyName);
    return { key, keyPrefix };
  },
);
export async function createAgentKeyAction(input: unknown) {
  return guardedCreateKey(input);
}

const guardedRevokeKey = adminAction(
  z.object({ agent: agentName, keyId: z.uuid({ message: "Unknown key" }) }),
  async (actor, input) => {
    await revokeAgentKey(actor, input.agent, input.keyId);
    return { revoked: input.keyId };
  },
);
export async function revokeAgentKeyAction(input: unknown) {
  return guardedRevokeKey(input);
}
