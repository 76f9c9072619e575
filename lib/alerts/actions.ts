"use server";

import { adminAction } from "@/lib/auth/guards";
import { saveRuleInput } from "./inputs";
import { saveAlertRule } from "./rules";

// Admins save alert rules as new versions (audited); the evaluator picks the latest up next minute.
const guardedSave = adminAction(saveRuleInput, async (actor, input) => {
  const saved = await saveAlertRule(actor, input);
  return { key: saved.key, version: saved.version };
});

export async function saveAlertRuleAction(input: unknown) {
  return guardedSave(input);
}
