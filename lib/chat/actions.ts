"use server";

import { userAction } from "@/lib/auth/guards";
import { messageInput, startTurn } from "@/lib/chat/service";

const guardedSendMessage = userAction(messageInput, startTurn);

// Server actions must be declared as async functions for the compiler to register them.
export async function sendMessage(input: unknown) {
  return guardedSendMessage(input);
}
