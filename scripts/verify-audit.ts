// npm run audit:verify — checks the whole audit hash chain in DATABASE_URL (or the embedded demo
// database): prints how many entries it read and the first broken link (exits 1 if broken), and
// how many entries are written but not yet chained by the appender.
import pg from "pg";
import { describeVerdict, verifyAuditChain, type AuditRecord } from "../lib/audit/chain";
import { openDatabase } from "../lib/db/local-database";

type Row = Omit<AuditRecord, "at"> & { at: string };

const database = await openDatabase();
const client = new pg.Client({ connectionString: database.url });
let exitCode = 0;
try {
  await client.connect();
  const verdict = await verifyAuditChain(async (afterSeq, limit) => {
    // The column is a UTC timestamp without zone: read it as ISO text so the local zone cannot shift it.
    const { rows } = await client.query<Row>(
      `select seq, to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, actor_email as "actorEmail", action,
              approval_id as "approvalId", run_id as "runId", payload, prev_hash as "prevHash", hash
         from audit_entries where seq > $1 order by seq limit $2`,
      [afterSeq, limit],
    );
    return rows.map((row) => ({ ...row, at: new Date(row.at) }));
  });
  console.log(describeVerdict(verdict));
  // Entries a decision wrote that the appender has not linked yet are not verified: say so.
  const waiting = await client
    .query<{ n: string; oldest: string | null }>(
      `select count(*) as n, to_char(min(at), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as oldest from audit_pending`,
    )
    .catch(() => null);
  const unchained = Number(waiting?.rows[0]?.n ?? 0);
  if (unchained > 0)
    console.log(
      `${unchained} entries not yet chained (oldest written at ${waiting!.rows[0]!.oldest}); the appender links them in batches, and they are not covered by this verification.`,
    );
  if (verdict.broken) exitCode = 1;
} catch (error) {
  const missing = (error as { code?: string }).code === "42P01";
  console.error(
    missing
      ? "This database has no audit trail yet: apply the migrations first (npm run db:migrate)."
      : `Could not verify the audit chain: ${String(error)}`,
  );
  exitCode = 2;
} finally {
  await client.end().catch(() => {});
  await database.stop().catch(() => {});
}
process.exit(exitCode);
