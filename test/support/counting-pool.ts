import pg from "pg";

/** A pg pool that counts every statement any of its connections sends: one network round trip each. */
export function countingPool(max = 4) {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max });
  const counter = { statements: 0, log: [] as string[] };
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (
      ...args: unknown[]
    ) => {
      counter.statements++;
      const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string })?.text;
      counter.log.push(String(text).replace(/\s+/g, " ").slice(0, 90));
      return query(...args);
    };
  });
  return { pool, counter };
}
