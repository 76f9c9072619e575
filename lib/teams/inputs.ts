import { z } from "zod";

// What the teams page accepts, with no server imports so the form (browser) checks with the very
// schemas the server actions parse with. A team's name is what rules route to ("team": "risk"), so
// it follows the policy document's naming and never changes; its title is what people read.

export const teamName = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,63}$/,
    "name: lower-case letters, digits and _ (e.g. risk), as rules name it",
  );
const title = z
  .string()
  .trim()
  .min(2, "title: at least 2 characters")
  .max(80, "title: at most 80 characters");
/** Minutes an item may wait in the queue before it is escalated (one minute to thirty days). */
const slaMinutes = z
  .number({ message: "SLA: a whole number of minutes" })
  .int("SLA: a whole number of minutes")
  .min(1, "SLA: at least 1 minute")
  .max(30 * 24 * 60, "SLA: at most 30 days");
const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("escalation contact: an email address of a reviewer"));
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (v === "" ? null : v), schema.nullable().default(null));

export const teamSettingsInput = z
  .object({
    name: teamName,
    title,
    slaMinutes,
    escalationEmail: optional(email),
    escalateToTeam: optional(teamName),
  })
  .strict()
  .refine((t) => t.escalateToTeam !== t.name, {
    path: ["escalateToTeam"],
    message: "escalation queue: another team than this one",
  });
export type TeamSettingsInput = z.infer<typeof teamSettingsInput>;

export const memberInput = z
  .object({
    team: teamName,
    email: z.string().trim().toLowerCase().pipe(z.email("member: an email address")),
  })
  .strict();
export const removeMemberInput = z
  .object({ team: teamName, userId: z.uuid("member: unknown reviewer") })
  .strict();

/** The longest a reviewer may hand their queues away in one go. */
export const MAX_DELEGATION_DAYS = 90;

/** Out of office: my queues to another reviewer, from … until (instants; the form sends them in UTC). */
export const delegationInput = z
  .object({
    toEmail: z.string().trim().toLowerCase().pipe(z.email("to: the email address of a reviewer")),
    startsAt: z.iso
      .datetime({ offset: true, message: "from: a date and time" })
      .transform((v) => new Date(v)),
    endsAt: z.iso
      .datetime({ offset: true, message: "until: a date and time" })
      .transform((v) => new Date(v)),
  })
  .strict()
  .refine((d) => d.endsAt > d.startsAt, { path: ["endsAt"], message: "until: after from" })
  .refine((d) => d.endsAt.getTime() - d.startsAt.getTime() <= MAX_DELEGATION_DAYS * 86_400_000, {
    path: ["endsAt"],
    message: `until: at most ${MAX_DELEGATION_DAYS} days after from`,
  });
export type DelegationInput = z.infer<typeof delegationInput>;

/** A datetime-local value (the browser's time zone) as an instant, or the text as typed so the schema names it. */
const instant = (local: string) => {
  const date = new Date(local);
  return local && !Number.isNaN(date.getTime()) ? date.toISOString() : local;
};

/**
 * The hand-over form's fields as typed (local times), read into what `delegationInput` parses, so
 * the form shows that schema's own messages beside the fields before anything is sent.
 */
export const delegationForm = z
  .object({ toEmail: z.string(), startsAt: z.string(), endsAt: z.string() })
  .transform((d) => ({ ...d, startsAt: instant(d.startsAt), endsAt: instant(d.endsAt) }))
  .pipe(delegationInput);

export const revokeDelegationInput = z.object({ id: z.uuid("Unknown hand-over") }).strict();
