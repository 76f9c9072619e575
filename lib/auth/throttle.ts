import "server-only";
import { db } from "@/lib/db";

// Slows password guessing: a few failures per account, or many per client address, within a
// window lock sign-in for the rest of it. bcrypt makes each guess slow; this makes them few.
const WINDOW_MS = 15 * 60_000;
const MAX_PER_ACCOUNT = 5;
const MAX_PER_ADDRESS = 50;

/** Minutes until sign-in is allowed again, or null when it is allowed now. */
export async function signInLockedFor(email: string, ip: string): Promise<number | null> {
  const since = new Date(Date.now() - WINDOW_MS);
  const [byAccount, byAddress] = await Promise.all([
    db.signInFailure.findMany({ where: { email, createdAt: { gt: since } }, orderBy: { createdAt: "asc" }, select: { createdAt: true } }),
    db.signInFailure.count({ where: { ip, createdAt: { gt: since } } }),
  ]);
  if (byAccount.length < MAX_PER_ACCOUNT && byAddress < MAX_PER_ADDRESS) return null;
  const oldest = byAccount[0]?.createdAt ?? since;
  return Math.max(1, Math.ceil((oldest.getTime() + WINDOW_MS - Date.now()) / 60_000));
}

export async function recordSignInFailure(email: string, ip: string) {
  await db.signInFailure.create({ data: { email, ip } });
}

export async function clearSignInFailures(email: string) {
  await db.signInFailure.deleteMany({ where: { email } });
}
