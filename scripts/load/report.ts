// What `npm run load` prints: per phase, the requests by kind, the turns, the CPU each process
// used per turn; then the floor (the same turns straight on the engine) and the ratios the issue
// asks for, the database's verdict, and pass or fail.
import type { TurnRecord } from "./customer";
import type { RequestRecord } from "./http";
import { arrivalsPerSecond, describePacing, offeredTurnsPerSecond } from "./pacing";
import { ms, pct, summarise, type Summary } from "./stats";
import { TURN_KINDS } from "./turns";
import type { Verdict } from "./verify";

export type Phase = {
  label: string;
  customers: number;
  signedIn: number;
  turns: TurnRecord[];
  /** The phase's requests (sign-ins are reported apart). */
  records: RequestRecord[];
  seconds: number;
  /** LOAD_THINK_MS the phase ran with (0: the closed loop). */
  thinkMs: number;
  /** os.loadavg() (1, 5 and 15 min) as the phase started and ended: how busy the machine was. */
  loadAverage: LoadAverage;
  /** CPU seconds each process tree used during the phase. */
  cpu: Record<string, number>;
  /** Requests to a process that were cut by its kill (counted apart from errors). */
  cutByKill: RequestRecord[];
  /** Runs the killed process held a lease on when it died, and how many have settled since. */
  killedHeld?: { ids: string[]; settled: number };
};

export type LoadAverage = { start: number[]; end: number[] };

export type FloorResult = {
  turns: TurnRecord[];
  seconds: number;
  cpu: Record<string, number>;
  thinkMs: number;
  loadAverage: LoadAverage;
};

const pad = (s: string | number, n: number) => String(s).padStart(n);
const secondsOf = (n: number) => `${(n / 1000).toFixed(2)} s`;

export function turnFigures(turns: TurnRecord[], seconds: number) {
  const answered = turns.filter((t) => t.ms !== null);
  return {
    answered: answered.length,
    perSecond: answered.length / seconds,
    turn: summarise(answered.map((t) => t.ms!)),
    send: summarise(turns.flatMap((t) => (t.sentMs === undefined ? [] : [t.sentMs]))),
  };
}

export function printRequests(title: string, records: RequestRecord[]) {
  console.log(`\n${title}: ${records.length} HTTP requests`);
  console.log(
    `  ${"kind".padEnd(8)} ${pad("count", 6)} ${pad("errors", 6)} ${pad("p50", 8)} ${pad("p95", 8)} ${pad("p99", 8)} ${pad("max", 8)}`,
  );
  for (const kind of ["sign-in", "page", "stream", "send", "read", "poll", "all"] as const) {
    const of = kind === "all" ? records : records.filter((r) => r.kind === kind);
    if (of.length === 0) continue;
    const s = summarise(of.map((r) => r.ms));
    const errors = of.filter((r) => r.error !== undefined).length;
    console.log(
      `  ${kind.padEnd(8)} ${pad(s.count, 6)} ${pad(errors, 6)} ${pad(ms(s.p50), 8)} ${pad(ms(s.p95), 8)} ${pad(ms(s.p99), 8)} ${pad(ms(s.max), 8)}`,
    );
  }
}

export function printPhase(phase: Phase) {
  printRequests(`${phase.label}, ${phase.seconds.toFixed(1)} s`, phase.records);
  const f = turnFigures(phase.turns, phase.seconds);
  console.log(
    `  turns: ${phase.turns.length} sent, ${f.answered} answered, ${f.perSecond.toFixed(2)} turns/s`,
  );
  printOffered(phase.signedIn, phase.thinkMs, phase.turns, f);
  console.log(`  ${loadAverageLine(phase.loadAverage)}`);
  console.log(
    `  turn to answer (HTTP + stream): p50 ${secondsOf(f.turn.p50)}, p95 ${secondsOf(f.turn.p95)}, p99 ${secondsOf(f.turn.p99)}, max ${secondsOf(f.turn.max)}`,
  );
  console.log(
    `  send (POST /api/chat, with any retry): p50 ${ms(f.send.p50)}, p95 ${ms(f.send.p95)}`,
  );
  for (const kind of TURN_KINDS) {
    const of = phase.turns.filter((x) => x.kind === kind);
    const s = summarise(of.filter((x) => x.ms !== null).map((x) => x.ms!));
    console.log(
      `    ${kind.padEnd(17)} ${pad(of.length, 4)} sent, ${pad(s.count, 4)} answered, p50 ${secondsOf(s.p50)}, p95 ${secondsOf(s.p95)}`,
    );
  }
  printCpu(phase.cpu, f.answered, phase.seconds);
  if (phase.cutByKill.length) {
    const kept = phase.turns.filter((t) => t.afterCut === "kept").length;
    const resent = phase.turns.filter((t) => t.afterCut === "resent").length;
    console.log(
      `  requests cut by the kill (the customer moved to another process and went on): ${phase.cutByKill.length}; sends among them found kept in the thread ${kept}, sent again ${resent}`,
    );
  }
  if (phase.killedHeld)
    console.log(
      `  runs whose lease the killed process held: ${phase.killedHeld.ids.length}; settled since by the other processes: ${phase.killedHeld.settled}`,
    );
}

export function printCpu(
  cpu: Record<string, number>,
  answered: number,
  seconds: number,
  per = "answered turn",
) {
  const total = Object.values(cpu).reduce((a, b) => a + b, 0);
  const parts = Object.entries(cpu).map(
    ([name, s]) => `${name} ${((s / Math.max(1, answered)) * 1000).toFixed(0)} ms`,
  );
  console.log(
    `  CPU per ${per}: ${parts.join(", ")}; all ${((total / Math.max(1, answered)) * 1000).toFixed(0)} ms (${(total / seconds).toFixed(2)} cores busy on average)`,
  );
}

export function printFloor(http: Phase, floor: FloorResult) {
  const h = turnFigures(http.turns, http.seconds);
  const e = turnFigures(floor.turns, floor.seconds);
  console.log(
    `\nThe floor: the same ${floor.turns.length} turns straight on the engine (startTurn + advanceRun in one process, no HTTP), ${floor.seconds.toFixed(1)} s`,
  );
  console.log(
    `  ${e.answered} answered, ${e.perSecond.toFixed(2)} turns/s; turn p50 ${secondsOf(e.turn.p50)}, p95 ${secondsOf(e.turn.p95)}, p99 ${secondsOf(e.turn.p99)}`,
  );
  printOffered(new Set(floor.turns.map((t) => t.customer)).size, floor.thinkMs, floor.turns, e);
  console.log(`  ${loadAverageLine(floor.loadAverage)}`);
  printCpu(floor.cpu, e.answered, floor.seconds);
  console.log(
    `  HTTP / engine: turns/s ${ratio(h.perSecond, e.perSecond)} (target ≥ 0.5), turn p95 ${ratio(h.turn.p95, e.turn.p95)}`,
  );
}

export function printCompare(one: Phase, many: Phase) {
  const a = turnFigures(one.turns, one.seconds);
  const b = turnFigures(many.turns, many.seconds);
  const line = (what: string, x: Summary, y: Summary) =>
    `  ${what}: p95 ${secondsOf(x.p95)} alone, ${secondsOf(y.p95)} with ${many.customers}: ${ratio(y.p95, x.p95)} (target ≤ 3)`;
  console.log(`\n${many.customers} customers against 1, in this run:`);
  console.log(line("turn to answer", a.turn, b.turn));
  console.log(line("send", a.send, b.send));
  console.log(`  both phases paced alike: ${describePacing(many.thinkMs)}`);
}

/**
 * What the pacing offered beside what was answered. In the closed loop the offer is whatever the
 * app answers (a customer sends again as soon as it is answered); with think time it is about
 * N / (think + turn time), and answered turns/s below it means the app fell behind.
 */
function printOffered(
  customers: number,
  thinkMs: number,
  turns: TurnRecord[],
  f: ReturnType<typeof turnFigures>,
) {
  const arrived = arrivalsPerSecond(
    turns.flatMap((t) => (t.sentAt === undefined ? [] : [t.sentAt])),
  );
  const offered = offeredTurnsPerSecond(customers, thinkMs, f.turn.mean);
  const asked =
    offered === null
      ? "closed loop: each customer sends again as soon as it is answered, so the offer follows the answers"
      : `think time: the pacing asks for up to ${offeredTurnsPerSecond(customers, thinkMs, 0)!.toFixed(2)} turns/s were every turn instant, about ${offered.toFixed(2)} with the measured turns (${customers} customer${customers === 1 ? "" : "s"} / (${(thinkMs / 1000).toFixed(1)} s think + ${(f.turn.mean / 1000).toFixed(2)} s mean turn))`;
  console.log(
    `  offered load (${asked}): ${arrived.toFixed(2)} sends/s arrived from the first send to the last; ${f.perSecond.toFixed(2)} turns/s answered`,
  );
}

export function loadAverageLine({ start, end }: LoadAverage) {
  const three = (l: number[]) => l.map((x) => x.toFixed(2)).join(" / ");
  return `load average (1 / 5 / 15 min): ${three(start)} at the start, ${three(end)} at the end`;
}

const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : "n/a");

export function printVerdict(label: string, verdict: Verdict, settleS: number) {
  console.log(
    `\n${label}: ${verdict.runs} runs: ${
      Object.entries(verdict.byStatus)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ") || "none"
    }`,
  );
  console.log(
    `  lost (accepted without a run, or not terminal/parked within ${settleS} s): ${verdict.lost.length}`,
  );
  console.log(
    `  wrong or missing answers: ${verdict.wrong.length}; runs no turn asked for: ${verdict.unexpected}; double effects: ${verdict.doubleEffects.length}`,
  );
}

/** Errors of one phase: unanswered or wrongly answered turns, and failed requests. */
export function phaseErrors(phase: Phase, verdict: Verdict, turnsPerCustomer: number) {
  const cut = new Set(phase.cutByKill);
  const failed = phase.records.filter((r) => r.error !== undefined && !cut.has(r));
  const unanswered = phase.turns.filter((x) => x.ms === null);
  const wrongIds = new Set(verdict.wrongRunIds);
  const bad = new Set([
    ...unanswered.map((x) => x.runId ?? `unsent:${x.customer}:${x.kind}`),
    ...phase.turns.flatMap((x) => (x.runId && wrongIds.has(x.runId) ? [x.runId] : [])),
  ]);
  const turnErrors = bad.size + (phase.customers - phase.signedIn) * turnsPerCustomer;
  const samples = [
    ...failed.map((r) => `${r.kind}: ${r.error}`),
    ...unanswered.map((x) => `turn ${x.kind} of customer ${x.customer}: ${x.error}`),
  ];
  return { failed: failed.length, requests: phase.records.length, turnErrors, samples };
}

export function printErrors(
  label: string,
  e: ReturnType<typeof phaseErrors>,
  totalTurns: number,
  extra: string[],
) {
  console.log(
    `\nErrors (${label}): HTTP ${e.failed} of ${e.requests} (${pct(e.failed, e.requests)}); turns ${e.turnErrors} of ${totalTurns} (${pct(e.turnErrors, totalTurns)})`,
  );
  const samples = [...e.samples, ...extra];
  for (const line of samples.slice(0, 10)) console.log(`  ${line}`);
  if (samples.length > 10) console.log(`  … and ${samples.length - 10} more`);
}
