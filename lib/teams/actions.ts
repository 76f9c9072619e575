"use server";

import { adminAction, reviewerAction } from "@/lib/auth/guards";
import { createDelegation, revokeDelegation } from "./delegations";
import {
  delegationInput,
  memberInput,
  removeMemberInput,
  revokeDelegationInput,
  teamSettingsInput,
} from "./inputs";
import { addMember, createTeam, removeMember, updateTeam } from "./teams";

// The /admin/teams page's doors (each checks for itself that an admin is signed in), and
// /account's out-of-office hand-over (a reviewer's own).

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

const guardedDelegate = reviewerAction(delegationInput, createDelegation);
const guardedRevokeDelegation = reviewerAction(revokeDelegationInput, revokeDelegation);

export async function delegateQueuesAction(input: unknown) {
  return guardedDelegate(input);
}
export async function revokeDelegationAction(input: unknown) {
  return guardedRevokeDelegation(input);
}
