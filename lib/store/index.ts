// The typed store: Kysely statements over the tables prisma/schema.prisma describes (types in
// lib/generated/kysely, generated with the Prisma client), run on the client's own pool or inside
// the caller's transaction. ARCHITECTURE.md ("The data layer") and CONTRIBUTING.md say how to add one.
export { builder, type DB } from "./kysely";
export { fixed, hot, prepared, rows, type HotStatement, type Queryable } from "./run";
export { lockForTransaction, tryLockForTransaction, type LockKey } from "./locks";
export { insertTraceEventsSql, traceEventsJson, type TraceEventRecord } from "./trace-events";
