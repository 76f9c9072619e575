"use server";

import { reviewerAction } from "@/lib/auth/guards";
import { createApiToken, createTokenInput, revokeApiToken, revokeTokenInput } from "@/lib/auth/tokens";

// Reviewers and admins manage their own personal access tokens; the domain functions scope
// every query to the acting user.
const guardedCreate = reviewerAction(createTokenInput, createApiToken);
const guardedRevoke = reviewerAction(revokeTokenInput, revokeApiToken);

export async function createToken(input: unknown) {
  return guardedCreate(input);
}

export async function revokeToken(input: unknown) {
  return guardedRevoke(input);
}
