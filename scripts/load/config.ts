// The load test's settings, from the environment, validated and bounded: it is meant to stress
// one app on this machine, never to be pointed at someone else's.
import { z } from "zod";
import { longestPacingMs } from "./pacing";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z.object({
  LOAD_URL: z
    .url()
    .refine(
      (u) => LOOPBACK_HOSTS.has(new URL(u).hostname),
      "LOAD_URL must be a loopback address (localhost, 127.0.0.1 or [::1]): the load test never targets another machine",
    )
    .refine(
      (u) => new URL(u).protocol === "http:" || new URL(u).protocol === "https:",
      "LOAD_URL must be http or https",
    )
    .optional(),
  /** Port of the app the load test starts itself (when LOAD_URL is unset). */
  PORT: int(3402, 1024, 65_535),
  /** Database connections of the app the load test starts (200 sessions polling share them with the workers). */
  LOAD_DB_POOL_MAX: int(30, 2, 100),
  /** Worker processes (`npm run worker`) started beside the app's own workers, when the load test starts the app. */
  LOAD_WORKER_PROCESSES: int(1, 0, 4),
  /**
   * 1 (default, as the app ships): each app process also runs the job workers; 0: it only serves
   * HTTP (COUNTERSIGN_WORKERS=0) and the LOAD_WORKER_PROCESSES worker processes advance the runs.
   */
  LOAD_WEB_WORKERS: z.enum(["0", "1"]).default("1"),
  /**
   * App processes the load test starts (each a web server with its in-process workers), on PORT,
   * PORT+1, …, all on one PostgreSQL; customer i talks to process i mod LOAD_APP_PROCESSES.
   */
  LOAD_APP_PROCESSES: int(1, 1, 4),
  /**
   * 1: SIGKILL the last app process (its whole process group) once a third of the turns are
   * answered; its customers move to another process. Needs LOAD_APP_PROCESSES of 2 or more.
   */
  LOAD_KILL_ONE: z.enum(["0", "1"]).default("0"),
  /** 1: one customer chats alone first, then LOAD_USERS at once; the ratio of their p95s is printed. */
  LOAD_COMPARE_USERS: z.enum(["0", "1"]).default("0"),
  /** 1 (default): after the HTTP phase, the same turns straight on the engine (the floor), with the ratio. */
  LOAD_FLOOR: z.enum(["0", "1"]).default("1"),
  /** 1: every started process writes a V8 CPU profile (node --cpu-prof) under <data dir>/profiles. */
  LOAD_CPU_PROF: z.enum(["0", "1"]).default("0"),
  LOAD_USERS: int(200, 1, 1000),
  LOAD_TURNS: int(3, 1, 20),
  /**
   * 0 (default): the closed loop, each customer sends its next turn the moment the previous one is
   * answered. T > 0: customers start spread over T ms and pause 0.5–1.5 × T between turns, as
   * people read and type (scripts/load/pacing.ts); the floor paces its turns the same way.
   */
  LOAD_THINK_MS: z.coerce
    .number({ error: "must be a whole number of milliseconds" })
    .int("must be a whole number of milliseconds")
    .min(0, "must be 0 (no think time) or more")
    .max(120_000, "must be at most 120000 (two minutes between turns)")
    .default(0),
  /**
   * How a customer learns its answer: `stream` (GET /api/stream, the thread read again on its
   * events, as the chat does while its stream is up) or `poll` (the thread read every LOAD_POLL_MS,
   * as the chat does while its stream is down).
   */
  LOAD_READ: z.enum(["stream", "poll"]).default("stream"),
  /** With LOAD_READ=poll, or for a customer whose stream was refused: the chat's 1 s poll. */
  LOAD_POLL_MS: int(1000, 100, 10_000),
  LOAD_SIGNIN_CONCURRENCY: int(8, 1, 200),
  /** How long one turn may take to be answered before it counts as unanswered. */
  LOAD_ANSWER_TIMEOUT_S: int(600, 5, 1800),
  /** The whole run, sign-ins to the last check; past it, everything still waiting is stopped and counted. */
  LOAD_DEADLINE_S: int(2400, 30, 3600),
  /** After the sessions end, how long runs may take to reach a terminal or parked state. */
  LOAD_SETTLE_S: int(180, 1, 600),
});

export type LoadConfig = z.infer<typeof schema> & { baseUrl: string; startApp: boolean };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join(".")}: ${i.message}`)
      .join("\n  ");
    throw new Error(`Bad load test settings:\n  ${problems}`);
  }
  const config = parsed.data;
  const baseUrl = config.LOAD_URL
    ? config.LOAD_URL.replace(/\/+$/, "")
    : `http://127.0.0.1:${config.PORT}`;
  if (config.LOAD_KILL_ONE === "1" && (config.LOAD_URL || config.LOAD_APP_PROCESSES < 2))
    throw new Error(
      "Bad load test settings:\n  LOAD_KILL_ONE=1 needs LOAD_APP_PROCESSES=2 or more, started by the load test (no LOAD_URL)",
    );
  if (config.LOAD_WEB_WORKERS === "0" && config.LOAD_WORKER_PROCESSES === 0)
    throw new Error(
      "Bad load test settings:\n  LOAD_WEB_WORKERS=0 needs LOAD_WORKER_PROCESSES=1 or more, or nothing would answer",
    );
  // The pacing alone must leave the work most of the run: waits past the deadline would be
  // counted as unanswered turns, blamed on the app.
  const phases = config.LOAD_COMPARE_USERS === "1" ? 2 : 1;
  const pacingS = (phases * longestPacingMs(config.LOAD_THINK_MS, config.LOAD_TURNS)) / 1000;
  if (pacingS > config.LOAD_DEADLINE_S / 2)
    throw new Error(
      `Bad load test settings:\n  LOAD_THINK_MS=${config.LOAD_THINK_MS} with LOAD_TURNS=${config.LOAD_TURNS} can spend up to ${Math.ceil(pacingS)} s just waiting between turns, more than half of LOAD_DEADLINE_S=${config.LOAD_DEADLINE_S}; lower LOAD_THINK_MS or LOAD_TURNS, or raise LOAD_DEADLINE_S`,
    );
  return { ...config, baseUrl, startApp: !config.LOAD_URL };
}
