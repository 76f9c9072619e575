import { randomBytes } from "node:crypto";

// Spotlighting: tool output reaches the model inside a boundary it cannot guess, so text in the
// data cannot pose as the end of the data. The gate on irreversible calls is in code regardless.
export function asUntrustedData(payload: unknown): string {
  const boundary = randomBytes(8).toString("hex");
  return `<tool-output boundary="${boundary}">\n${JSON.stringify(payload)}\n</tool-output boundary="${boundary}">`;
}
