// Next.js calls register() once when the server starts: the agents' own configuration checked,
// the features wired on the runtime (lib/features.ts), OpenTelemetry export (when configured), and the job workers, which run in the app process
// unless COUNTERSIGN_WORKERS=0.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkInstalledAgents } = await import("@/lib/agents-config");
  try {
    checkInstalledAgents();
  } catch (error) {
    // A wrong agent setting stops the server with the variable named, not the first tool call.
    console.error((error as Error).message);
    process.exit(1);
  }
  // The features on the runtime's hooks, before anything in this process can advance a run.
  await import("@/lib/features");
  const { startTelemetry } = await import("@/lib/trace/otel");
  startTelemetry();
  if (process.env.COUNTERSIGN_WORKERS === "0") return;
  const { startWorkers } = await import("@/lib/workers");
  await startWorkers();
}
