"use server";

import { adminAction } from "@/lib/auth/guards";
import { memberInput, removeMemberInput, teamSettingsInput } from "./inputs";
import { addMember, createTeam, removeMember, updateTeam } from "./teams";

// The /admin/teams page's doors; each checks for itself that an admin is signed in.

const guardedCreate = adminAction(teamSettingsInput, createTeam);
const guardedUpdate = adminAction(teamSettingsInput, updateTeam);
const guardedAdd = adminAction(memberInput, addMember);
const guardedRemove = adminAction(removeMemberInput, removeMember);

export async function createTeamAction(input: unknown) {
  return guardedCreate(input);
}
export async function updateTeamAction(input: unknown) {
  return guardedUpdate(input);
}
export async function addMemberAction(input: unknown) {
  return guardedAdd(input);
}
export async function removeMemberAction(input: unknown) {
  return guardedRemove(input);
}
