import { z } from "zod";

// What the teams page accepts, with no server imports so the form (browser) checks with the very
// schemas the server actions parse with. A team's name is what rules route to ("team": "risk"), so
// it follows the policy document's naming and never changes; its title is what people read.

export const teamName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "name: lower-case letters, digits and _ (e.g. risk), as rules name it");
const title = z.string().trim().min(2, "title: at least 2 characters").max(80, "title: at most 80 characters");
/** Minutes an item may wait in the queue before it is escalated (one minute to thirty days). */
const slaMinutes = z
  .number({ message: "SLA: a whole number of minutes" })
  .int("SLA: a whole number of minutes")
  .min(1, "SLA: at least 1 minute")
  .max(30 * 24 * 60, "SLA: at most 30 days");
const email = z.string().trim().toLowerCase().pipe(z.email("escalation contact: an email address of a reviewer"));
const optional = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === "" ? null : v), schema.nullable().default(null));

export const teamSettingsInput = z
  .object({
    name: teamName,
    title,
    slaMinutes,
    escalationEmail: optional(email),
    escalateToTeam: optional(teamName),
  })
  .strict()
  .refine((t) => t.escalateToTeam !== t.name, { path: ["escalateToTeam"], message: "escalation queue: another team than this one" });
export type TeamSettingsInput = z.infer<typeof teamSettingsInput>;

export const memberInput = z.object({ team: teamName, email: z.string().trim().toLowerCase().pipe(z.email("member: an email address")) }).strict();
export const removeMemberInput = z.object({ team: teamName, userId: z.uuid("member: unknown reviewer") }).strict();
