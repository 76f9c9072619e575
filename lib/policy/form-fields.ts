import { z } from "zod";

// The policy's form fields as zod schemas with no server imports, so the admin page (browser)
// checks a save or a simulation with the very schemas the server parses it with (inputs.ts).

export const policyReason = z
  .string()
  .trim()
  .min(3, "reason: say why, in a few words")
  .max(500, "reason: at most 500 characters");

export const simulationDays = z
  .number({ message: "days: a whole number of days" })
  .int("days: a whole number of days")
  .min(1, "days: at least 1")
  .max(90, "days: at most 90");
