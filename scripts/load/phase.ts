// One chat phase of the load test: every signed-in customer converses at once, paced as
// LOAD_THINK_MS says (scripts/load/pacing.ts), and the CPU each process tree spends and the load
// average are read before and after. With `killOne`, the last app process is SIGKILLed once a
// third of the turns are answered; its customers move to another process, and the requests the
// kill cut are counted apart from errors.
import { loadavg } from "node:os";
import type { LoadConfig } from "./config";
import { cpuDelta, cpuSecondsOfTrees, processIdsOf } from "./cpu";
import { converse, type TurnRecord } from "./customer";
import type { RequestRecord, Session } from "./http";
import { describePacing, pause, planPacing } from "./pacing";
import { killProcess, type Started } from "./processes";
import type { Phase } from "./report";
import type { LoadCustomer } from "./seed";

export type PhaseContext = {
  config: LoadConfig;
  apps: Started[];
  processTrees: () => Record<string, number | undefined>;
  spacingMs: number;
  signal: AbortSignal;
  /** The runs whose lease is held by one of these processes (lease owners are host:pid:nonce). */
  runsLeasedBy: (pids: number[]) => Promise<string[]>;
  /** How many of these runs are terminal or parked now. */
  settledCount: (runIds: string[]) => Promise<number>;
};

export async function chatPhase(
  { config, apps, processTrees, spacingMs, signal, runsLeasedBy, settledCount }: PhaseContext,
  label: string,
  sessions: (Session | null)[],
  customers: LoadCustomer[],
  killOne: boolean,
): Promise<Phase> {
  const records: RequestRecord[] = [];
  for (const s of sessions) s?.recordInto(records);
  const signedIn = sessions.filter((s) => s !== null).length;
  const victimIndex = apps.length - 1;
  const victim = killOne ? apps[victimIndex] : undefined;
  console.log(
    `\n${label}: ${signedIn} customers, ${config.LOAD_TURNS} turns each, ${config.LOAD_READ === "stream" ? "answers read through the live stream" : `polling every ${config.LOAD_POLL_MS} ms`}${victim ? `; app process ${victimIndex} is killed once a third of the turns are answered` : ""}…`,
  );
  console.log(`  pacing: ${describePacing(config.LOAD_THINK_MS)}`);
  let answered = 0;
  let killedAt: number | null = null;
  let cpuAtKill: Record<string, number> = {};
  let held: Promise<string[]> = Promise.resolve([]);
  const onAnswer = () => {
    answered += 1;
    if (!victim || killedAt !== null || answered < (signedIn * config.LOAD_TURNS) / 3) return;
    killedAt = performance.now();
    // The victim's CPU up to its death; its tree is gone from later readings.
    cpuAtKill = cpuSecondsOfTrees(processTrees());
    const pids = processIdsOf(victim.child.pid!);
    held = killProcess(victim).then(() => {
      console.log(`  SIGKILLed app process ${victimIndex} after ${answered} answers`);
      // Right after the kill, before any lease lapses: what the dead process was working on.
      return runsLeasedBy(pids);
    });
  };
  const opts = {
    turns: config.LOAD_TURNS,
    pollMs: config.LOAD_POLL_MS,
    answerTimeoutMs: config.LOAD_ANSWER_TIMEOUT_S * 1000,
    spacingMs,
    read: config.LOAD_READ,
    onAnswer,
  };
  const loadBefore = loadavg();
  const cpuBefore = cpuSecondsOfTrees(processTrees());
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const perCustomer = await Promise.all(
    customers.map(async (c, i) => {
      const session = sessions[i];
      if (!session) return [] as TurnRecord[];
      // Customer i of every phase, and of the floor, is paced alike: the same start and pauses.
      const pacing = planPacing(i, config.LOAD_THINK_MS, config.LOAD_TURNS);
      await pause(pacing.startDelayMs, signal);
      return converse(session, c, { ...opts, thinkMs: pacing.thinkMs }, signal);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  const cpu = cpuDelta(cpuBefore, { ...cpuAtKill, ...cpuSecondsOfTrees(processTrees()) });
  cpu["load client"] = (client.user + client.system) / 1e6;
  const cutByKill =
    killedAt === null
      ? []
      : records.filter((r) => r.app === victimIndex && r.status === 0 && r.at + r.ms >= killedAt!);
  const heldIds = await held;
  return {
    label,
    customers: customers.length,
    signedIn,
    turns: perCustomer.flat(),
    records,
    seconds,
    thinkMs: config.LOAD_THINK_MS,
    loadAverage: { start: loadBefore, end: loadavg() },
    cpu,
    cutByKill,
    ...(victim && { killedHeld: { ids: heldIds, settled: await settledCount(heldIds) } }),
  };
}
