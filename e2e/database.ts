import pg from "pg";

// Direct access to the app's database for the few specs that must arrange or check what the UI
// cannot (an order to refund, a time to live already past). playwright.config.ts names it.
export const DATABASE_URL = `postgresql://countersign:countersign-local@127.0.0.1:${process.env.E2E_PG_PORT ?? "25434"}/${process.env.E2E_DB_NAME}`;

export async function withDatabase<T>(
  work: (client: pg.Client) => Promise<T>,
  connectionString = DATABASE_URL,
): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
