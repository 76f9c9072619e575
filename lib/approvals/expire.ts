import "server-only";
import type { PgBoss } from "pg-boss";

/** Periodically expires approvals past their time to live. (Being built.) */
export async function startApprovalMaintenance(_boss: PgBoss): Promise<void> {}
