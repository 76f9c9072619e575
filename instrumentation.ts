// Next.js calls register() once when the server starts: OpenTelemetry export (when configured),
// and the job workers, which run in the app process unless COUNTERSIGN_WORKERS=0.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startTelemetry } = await import("@/lib/trace/otel");
  startTelemetry();
  if (process.env.COUNTERSIGN_WORKERS === "0") return;
  const { startWorkers } = await import("@/lib/jobs/workers");
  await startWorkers();
}
