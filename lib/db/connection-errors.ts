// Errors that say the database could not be reached or went away mid-query (a restart, a crash,
// a network cut), as opposed to a query it refused. Work interrupted by one is safe to retry:
// nothing it did after its last commit was kept.
const CONNECTION_CODES = new Set([
  "P1001",
  "P1002",
  "P1008",
  "P1017",
  "P2024",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "57P01",
  "57P02",
  "57P03",
]);
const CONNECTION_MESSAGE =
  /ECONNREFUSED|ECONNRESET|Connection terminated|terminating connection|connection (is )?closed|the database system is (starting up|shutting down|in recovery mode)|Can't reach database server|Server has closed the connection/i;

export function isConnectionError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
  if (typeof message === "string" && CONNECTION_MESSAGE.test(message)) return true;
  return isConnectionError(cause, depth + 1);
}
