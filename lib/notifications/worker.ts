import "server-only";
import type { PgBoss } from "pg-boss";

/** Delivers queued notifications with retries. (Being built.) */
export async function startNotificationWorkers(_boss: PgBoss): Promise<void> {}
