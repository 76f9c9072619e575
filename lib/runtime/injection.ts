// Flags untrusted text (tool results, documents) that reads like instructions to the model.
// A flag never blocks reading; it makes every later call in the run wait for a human, because
// the gate lives in code: a fully persuaded model still cannot act alone.
const INSTRUCTION_LIKE = [
  /\bignore (all |any )?(the )?(previous|prior|above|earlier) (instructions|prompts?|rules)\b/i,
  /\bdisregard (all |any )?(the )?(previous|prior|above|system) /i,
  /\byou are now\b/i,
  /\b(new|updated) (system )?instructions?\s*:/i,
  /\bsystem prompt\b/i,
  /<\/?(system|assistant|tool-output)[^>]*>/i,
  /\b(call|use|invoke) (the )?(issue_refund|send_email|send_password_reset|update_email|close_account)\b/i,
];

export function findInstructionLike(text: string): string | null {
  for (const pattern of INSTRUCTION_LIKE) {
    const match = pattern.exec(text);
    if (match) return match[0].slice(0, 120);
  }
  return null;
}

export const FLAGGED_EVENT = "untrusted content flagged";
