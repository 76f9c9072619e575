import { z } from "zod";

// What putting a candidate in shadow accepts, with no server imports, so the form (browser)
// checks with the very schema the server action parses with. Whether the agent exists is asked of
// the registry by putInShadow (lib/shadow/config.ts), which the browser does not load.

export const shadowInput = z.object({
  agent: z.string().min(1, "Unknown agent").max(80, "Unknown agent"),
  version: z.coerce
    .number()
    .int("version: a whole number")
    .min(1, "version: choose a saved settings version"),
  sampleRate: z.coerce
    .number()
    .min(0, "sampleRate: between 0 and 1")
    .max(1, "sampleRate: between 0 and 1"),
});

/**
 * The shadow form's fields as typed: the candidate as "agent:version" and the rate in percent,
 * read into what `shadowInput` parses; its issues are shown at the field they came from.
 */
export const shadowForm = z
  .object({ choice: z.string(), rate: z.string() })
  .transform(({ choice, rate }, ctx) => {
    const percent = Number(rate);
    if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
      ctx.addIssue({
        code: "custom",
        path: ["rate"],
        message: "Sampling rate: a percentage from 0 to 100",
      });
      return z.NEVER;
    }
    const [agent = "", version = ""] = choice.split(":");
    const checked = shadowInput.safeParse({ agent, version, sampleRate: percent / 100 });
    if (checked.success) return checked.data;
    for (const issue of checked.error.issues)
      ctx.addIssue({
        code: "custom",
        path: [issue.path[0] === "sampleRate" ? "rate" : "choice"],
        message: issue.message,
      });
    return z.NEVER;
  });
