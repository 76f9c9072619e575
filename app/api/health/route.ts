import { db } from "@/lib/db";

export const dynamic = "force-dynamic";

// 200 once the database answers and the migrations have been applied; 503 otherwise.
export async function GET() {
  try {
    const [row] = await db.$queryRaw<
      { applied: bigint }[]
    >`select count(*) as applied from _prisma_migrations where finished_at is not null`;
    if (!row || row.applied === BigInt(0))
      return Response.json(
        { status: "starting", reason: "migrations not applied" },
        { status: 503 },
      );
    return Response.json({ status: "ok" });
  } catch {
    return Response.json(
      { status: "unavailable", reason: "database unreachable" },
      { status: 503 },
    );
  }
}
