// The job workers as a real child process (scripts/worker.ts), so tests can kill them the way a
// power cut would and start them again.
import { spawn } from "node:child_process";
import path from "node:path";

export type WorkerExit = { code: number | null; signal: NodeJS.Signals | null };

export type WorkerProcess = {
  readonly pid: number;
  /** Everything the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Settles when the process has exited. */
  readonly exited: Promise<WorkerExit>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<WorkerExit>;
};

const READY_LINE = '"msg":"workers started"';
const running = new Set<WorkerProcess>();

/**
 * Starts `scripts/worker.ts` on the Node running the tests, with the tests' environment plus
 * `env`, and resolves once its workers are polling.
 */
export async function startWorkerProcess(
  env: Record<string, string> = {},
  readyTimeoutMs = 60_000,
): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.resolve("scripts/worker.ts")],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const exited = new Promise<WorkerExit>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<void>((resolve) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes(READY_LINE)) resolve();
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
  });

  const worker: WorkerProcess = {
    pid: child.pid!,
    output: () => output,
    exited,
    async stop(graceMs = 5_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited.finally(() => clearTimeout(timer));
      }
      running.delete(worker);
      return exited;
    },
  };
  running.add(worker);
  void exited.then(() => running.delete(worker));

  const outcome = await Promise.race([
    ready.then(() => "ready" as const),
    exited.then(() => "exited" as const),
    new Promise<"timeout">((resolve) =>
      setTimeout(() => resolve("timeout"), readyTimeoutMs).unref(),
    ),
  ]);
  if (outcome !== "ready") {
    await worker.stop(0);
    throw new Error(
      `The worker process ${outcome === "exited" ? "exited" : `was not ready within ${readyTimeoutMs / 1000}s`} before starting its workers:\n${output}`,
    );
  }
  return worker;
}

/** Stops every worker process these helpers started and that is still running. */
export async function stopAllWorkerProcesses() {
  await Promise.all([...running].map((worker) => worker.stop()));
}

/** Resolves with the process's exit, or rejects after `timeoutMs`. */
export async function waitForExit(worker: WorkerProcess, timeoutMs: number): Promise<WorkerExit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `worker ${worker.pid} still running after ${timeoutMs / 1000}s:\n${worker.output()}`,
          ),
        ),
      timeoutMs,
    );
  });
  return Promise.race([worker.exited, timeout]).finally(() => clearTimeout(timer));
}
