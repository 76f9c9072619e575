// Next.js calls register() once when the server starts: job workers run in the app process
// unless COUNTERSIGN_WORKERS=0 (then run them as separate processes).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.COUNTERSIGN_WORKERS === "0") return;
  const { startWorkers } = await import("@/lib/jobs/workers");
  await startWorkers();
}
