import { withDatabase } from "../database";

// Specs that send more turns a minute from one customer than the workspace's default limit allows
// (10) raise it for their run, and put back what was in force after.

const query = (text: string, values: unknown[] = []) =>
  withDatabase((client) => client.query(text, values));

/** Saves limits allowing `perMinute` turns a minute; resolves with the function that restores the previous ones. */
export async function allowTurnsPerMinute(
  perMinute: number,
  why: string,
): Promise<() => Promise<void>> {
  const latest = await query(`select settings from workspace_limits order by version desc limit 1`);
  // No stored version: the code's defaults, which an empty version stands for.
  const inForce = (latest.rows[0]?.settings ?? {}) as Record<string, unknown>;
  await query(
    `insert into workspace_limits (version, settings, reason)
     select coalesce(max(version), 0) + 1, $1::jsonb, $2 from workspace_limits`,
    [JSON.stringify({ ...inForce, maxTurnsPerMinute: perMinute }), `${why}: more turns a minute`],
  );
  return async () => {
    await query(
      `insert into workspace_limits (version, settings, reason)
       select max(version) + 1, $1::jsonb, $2 from workspace_limits`,
      [JSON.stringify(inForce), `${why} done`],
    );
  };
}
