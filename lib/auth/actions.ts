"use server";

import { reviewerAction } from "@/lib/auth/guards";
import { currentRequestAddress } from "@/lib/auth/request-address";
import { createTokenInput, revokeTokenInput } from "@/lib/auth/inputs";
import { createApiToken, revokeApiToken } from "@/lib/auth/tokens";

// Reviewers and admins manage their own personal access tokens; the domain functions scope
// every query to the acting user. Creating one re-checks the password, throttled by address.
const guardedCreate = reviewerAction(createTokenInput, async (actor, input) =>
  createApiToken(actor, input, await currentRequestAddress()),
);
const guardedRevoke = reviewerAction(revokeTokenInput, revokeApiToken);

export async function createToken(input: unknown) {
  return guardedCreate(input);
}

export async function revokeToken(input: unknown) {
  return guardedRevoke(input);
}
